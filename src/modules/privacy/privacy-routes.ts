// The admins' Datenschutz page (/agent/privacy): download everything stored about a person, erase a person after a confirmation.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { personForm } from './privacy-forms.js';
import { exportAsDownload, type PrivacyService } from './privacy-service.js';

export type PrivacyRoutesOptions = { privacy: PrivacyService; agentTickets: AgentTicketsService };

const notices: Record<string, string> = {
  geloescht: 'Die Person wurde gelöscht. Ihre Anfragen bleiben ohne persönliche Angaben für die Statistik erhalten.',
};

const refusals = {
  notFound: 'Zu dieser E-Mail-Adresse gibt es kein Konto.',
  teamAccount: 'Diese Adresse gehört zu einem Teamkonto. Teamkonten werden hier nicht gelöscht; deaktivieren Sie das Konto unter „Team“.',
};

type PageState = { errors?: FieldErrors; input?: Record<string, string>; notice?: string; form?: 'export' | 'erase' };

function privacyPageModel(state: PageState = {}) {
  return { title: 'Datenschutz', errors: {}, input: {}, notice: undefined, form: undefined, ...state };
}

export default async function privacyRoutes(app: FastifyInstance, { privacy, agentTickets }: PrivacyRoutesOptions) {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('preHandler', agentNavHook(agentTickets));

  const render = (reply: FastifyReply, state: PageState = {}, status = 200) => reply.code(status).view('agent/privacy', privacyPageModel(state));
  // Each form has its own field, so the error lands under the field of the button that was used.
  const refuse = (reply: FastifyReply, form: 'export' | 'erase', body: unknown, message: string) =>
    render(reply, { errors: { [`${form}-email`]: message }, input: { [`${form}-email`]: keptInput(body).email ?? '' }, form }, 422);

  app.get<{ Querystring: { hinweis?: string } }>('/privacy', async (request, reply) => render(reply, { notice: notices[request.query.hinweis ?? ''] }));

  app.post('/privacy/export', async (request, reply) => {
    const form = personForm.safeParse(request.body ?? {});
    if (!form.success) return refuse(reply, 'export', request.body, fieldErrors(form.error).email!);
    const exported = privacy.exportPerson({ admin: request.user! }, form.data.email);
    if (!exported) return refuse(reply, 'export', request.body, refusals.notFound);
    return reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="datenauskunft-${exported.userId}.json"`)
      .header('Cache-Control', 'no-store')
      .send(exportAsDownload(exported));
  });

  // The first step only shows whom the erasure would hit; nothing is changed before the second form is sent.
  app.post('/privacy/erase', async (request, reply) => {
    const form = personForm.safeParse(request.body ?? {});
    if (!form.success) return refuse(reply, 'erase', request.body, fieldErrors(form.error).email!);
    const person = privacy.preview(form.data.email);
    if (!person) return refuse(reply, 'erase', request.body, refusals.notFound);
    if (person.role !== 'customer') return refuse(reply, 'erase', request.body, refusals.teamAccount);
    return reply.view('agent/privacy-confirm', { title: 'Person löschen', person });
  });

  app.post('/privacy/erase/confirm', async (request, reply) => {
    const form = personForm.safeParse(request.body ?? {});
    if (!form.success) return refuse(reply, 'erase', request.body, fieldErrors(form.error).email!);
    const result = await privacy.erasePerson({ admin: request.user! }, form.data.email);
    if (result.outcome === 'not-found') return refuse(reply, 'erase', request.body, refusals.notFound);
    if (result.outcome === 'team-account') return refuse(reply, 'erase', request.body, refusals.teamAccount);
    return reply.redirect('/agent/privacy?hinweis=geloescht', 303);
  });
}
