// The team page for admins: who works in the agent area, invitations, roles, deactivating and reactivating accounts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { User } from '../../db/schema.js';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { inviteForm, roleForm } from './team-forms.js';
import type { TeamMemberRow } from './team-repository.js';
import { teamRoleLabels, teamRoles } from './team-rules.js';
import type { TeamService } from './team-service.js';

export type TeamRoutesOptions = { team: TeamService; agentTickets: AgentTicketsService; mailDeliveryWarning: boolean };

const notices: Record<string, string> = {
  eingeladen: 'Die Einladung wurde verschickt. Der Link darin gilt 7 Tage.',
  hochgestuft: 'Die Adresse gehörte zu einem Kundenkonto. Es ist jetzt ein Teamkonto, die Einladung wurde verschickt.',
  'erneut-eingeladen': 'Eine neue Einladung wurde verschickt. Der Link der vorigen gilt nicht mehr.',
  rolle: 'Die Rolle wurde geändert.',
  deaktiviert: 'Das Konto ist deaktiviert. Die Person wurde überall abgemeldet und kann sich nicht mehr anmelden. Ihre offenen Anfragen sind wieder „Nicht zugewiesen“.',
  reaktiviert: 'Das Konto ist wieder aktiv.',
};

const refusals = {
  alreadyInTeam: 'Diese E-Mail-Adresse gehört bereits zum Team. Ein deaktiviertes Konto können Sie in der Liste oben wieder aktivieren.',
  accountDisabled: 'Das Konto mit dieser E-Mail-Adresse ist gesperrt und kann nicht eingeladen werden.',
  ownRole: 'Sie können Ihre eigene Rolle nicht ändern. Bitten Sie eine andere Person mit der Rolle Administrator darum.',
  ownAccount: 'Sie können Ihr eigenes Konto nicht deaktivieren.',
  notPending: 'Diese Person hat ihr Kennwort bereits festgelegt oder ist deaktiviert; eine Einladung ist nicht nötig.',
};

type PageState = { errors?: FieldErrors; input?: Record<string, string>; notice?: string };

function teamPageModel(members: TeamMemberRow[], actor: User, mailDeliveryWarning: boolean, state: PageState = {}) {
  return {
    title: 'Team',
    members: members.map((member) => ({
      ...member,
      roleLabel: teamRoleLabels[member.role],
      isSelf: member.id === actor.id,
      invitationPending: !member.hasPassword && !member.disabledAt,
    })),
    roleOptions: teamRoles.map((key) => ({ key, label: teamRoleLabels[key] })),
    mailDeliveryWarning,
    errors: {},
    notice: undefined,
    ...state,
    input: { role: 'agent', ...state.input },
  };
}

export default async function teamRoutes(app: FastifyInstance, { team, agentTickets, mailDeliveryWarning }: TeamRoutesOptions) {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('preHandler', agentNavHook(agentTickets));

  const render = (reply: FastifyReply, actor: User, state: PageState = {}, status = 200) =>
    reply.code(status).view('agent/team', teamPageModel(team.list(), actor, mailDeliveryWarning, state));

  app.get<{ Querystring: { hinweis?: string } }>('/team', async (request, reply) =>
    render(reply, request.user!, { notice: notices[request.query.hinweis ?? ''] }));

  app.post('/team/invite', async (request, reply) => {
    const form = inviteForm.safeParse(request.body ?? {});
    const input = keptInput(request.body);
    if (!form.success) return render(reply, request.user!, { errors: fieldErrors(form.error), input }, 422);
    const result = team.invite(request.user!, form.data);
    switch (result.outcome) {
      case 'already-in-team': return render(reply, request.user!, { errors: { email: refusals.alreadyInTeam }, input }, 422);
      case 'account-disabled': return render(reply, request.user!, { errors: { email: refusals.accountDisabled }, input }, 422);
      case 'invited': return reply.redirect('/agent/team?hinweis=eingeladen', 303);
      case 'upgraded': return reply.redirect('/agent/team?hinweis=hochgestuft', 303);
    }
  });

  app.post<{ Params: { id: string } }>('/team/:id/invite', async (request, reply) => {
    const outcome = team.resendInvitation(request.user!, parseId(request.params.id));
    if (outcome === 'not-found') return reply.callNotFound();
    if (outcome === 'not-pending') return render(reply, request.user!, { errors: { form: refusals.notPending } }, 422);
    return reply.redirect('/agent/team?hinweis=erneut-eingeladen', 303);
  });

  app.post<{ Params: { id: string } }>('/team/:id/role', async (request, reply) => {
    const member = team.find(parseId(request.params.id));
    if (!member) return reply.callNotFound();
    const form = roleForm.safeParse(request.body ?? {});
    if (!form.success) return render(reply, request.user!, { errors: { [`role-${member.id}`]: fieldErrors(form.error).role! } }, 422);
    const outcome = team.changeRole(request.user!, member.id, form.data.role);
    if (outcome === 'not-found') return reply.callNotFound();
    // The own row offers no role field, so the refusal belongs to the page, not to a field.
    if (outcome === 'own-role') return render(reply, request.user!, { errors: { form: refusals.ownRole } }, 422);
    return reply.redirect('/agent/team?hinweis=rolle', 303);
  });

  app.post<{ Params: { id: string } }>('/team/:id/disable', async (request, reply) => {
    const outcome = team.deactivate(request.user!, parseId(request.params.id));
    if (outcome === 'not-found') return reply.callNotFound();
    if (outcome === 'own-account') return render(reply, request.user!, { errors: { form: refusals.ownAccount } }, 422);
    return reply.redirect('/agent/team?hinweis=deaktiviert', 303);
  });

  app.post<{ Params: { id: string } }>('/team/:id/enable', async (request, reply) => {
    const outcome = team.reactivate(request.user!, parseId(request.params.id));
    if (outcome === 'not-found') return reply.callNotFound();
    return reply.redirect('/agent/team?hinweis=reaktiviert', 303);
  });
}

/** An id from the path; anything that is not one matches no account and ends in the 404 page. */
function parseId(text: string): number {
  return /^\d{1,12}$/.test(text) ? Number(text) : -1;
}
