// The admins' view of mail that has not gone out: pending and failed mail with the reason, and "Erneut senden".
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import type { MailAdminService } from './mail-admin-service.js';

const notices: Record<string, string> = {
  erneut: 'Die E-Mail wird erneut gesendet.',
  unveraendert: 'Diese E-Mail ist nicht (mehr) fehlgeschlagen und wurde nicht verändert.',
};

export default async function mailRoutes(app: FastifyInstance, { mailAdmin, agentTickets }: { mailAdmin: MailAdminService; agentTickets: AgentTicketsService }) {
  app.addHook('onRequest', requireRole('admin'));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get<{ Querystring: { hinweis?: string } }>('/mail', async (request, reply) =>
    reply.view('agent/mail', { title: 'Ausstehende E-Mails', mails: mailAdmin.undelivered(), notice: notices[request.query.hinweis ?? ''] }));

  app.post<{ Params: { id: string } }>('/mail/:id/retry', async (request, reply) => {
    const id = /^\d{1,12}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    const requeued = id !== undefined && mailAdmin.retry(id);
    return reply.redirect(`/agent/mail?hinweis=${requeued ? 'erneut' : 'unveraendert'}`, 303);
  });
}
