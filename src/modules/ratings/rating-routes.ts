// The rating page behind the mail links (no login; a GET only shows, a POST records, since mail scanners open links) and the leads' report.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { leadRoles, requireRole } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { agentStatusLabels, customerStatusLabel } from '../tickets/ticket-labels.js';
import type { TicketsService } from '../tickets/tickets-service.js';
import { type RatingChoice, ratingChoices, type RatingLinks } from './rating-links.js';
import { notSolvedForm, ratingForm, reportQuery } from './ratings-forms.js';
import { ratingLabels, type RatingsService } from './ratings-service.js';

export type RatingRoutesOptions = { ratings: RatingsService; ratingLinks: RatingLinks; tickets: TicketsService; agentTickets: AgentTicketsService };

const notices: Record<string, string> = {
  danke: 'Vielen Dank für Ihre Bewertung! Sie können sie ändern, bis die Anfrage abgeschlossen ist.',
  'wieder-offen': 'Vielen Dank. Ihre Anfrage ist wieder geöffnet, und wir kümmern uns darum.',
};

export async function ratingPageRoutes(app: FastifyInstance, { ratings, ratingLinks, tickets }: RatingRoutesOptions) {
  function pageModel(token: string, ticketId: number, extra: { errors?: FieldErrors; input?: Record<string, string>; notice?: string; choice?: string } = {}) {
    const found = ratings.pageFor(ticketId)!;
    const chosen = extra.input?.rating ?? (extra.choice && extra.choice in ratingChoices ? ratingChoices[extra.choice as RatingChoice] : found.rating?.rating);
    return {
      title: `Ihre Meinung zu Anfrage #${ticketId}`,
      token,
      ticket: { ...found.ticket, statusLabel: customerStatusLabel(found.ticket.status) },
      rating: found.rating ? { ...found.rating, label: ratingLabels[found.rating.rating] } : undefined,
      chosen,
      comment: extra.input?.comment ?? found.rating?.comment ?? '',
      message: extra.input?.message ?? '',
      errors: extra.errors ?? {},
      notice: extra.notice,
    };
  }

  function ticketOf(token: string): number | undefined {
    const ticketId = ratingLinks.ticketOf(token);
    return ticketId !== undefined && ratings.pageFor(ticketId) ? ticketId : undefined;
  }

  function render(reply: FastifyReply, status: number, model: ReturnType<typeof pageModel>) {
    // The page stands for one customer's request: no search engine, no shared cache, no referrer with the token.
    return reply.code(status).header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex').view('ratings/show', model);
  }

  app.get<{ Params: { token: string }; Querystring: { bewertung?: string; hinweis?: string; folgeanfrage?: string } }>('/ratings/:token', async (request, reply) => {
    const ticketId = ticketOf(request.params.token);
    if (ticketId === undefined) return reply.callNotFound();
    const followUp = /^\d{1,12}$/.test(request.query.folgeanfrage ?? '') ? request.query.folgeanfrage : undefined;
    const notice = followUp
      ? `Vielen Dank. Wir haben Ihr Anliegen als Folgeanfrage #${followUp} aufgenommen und kümmern uns darum.`
      : notices[request.query.hinweis ?? ''];
    return render(reply, 200, pageModel(request.params.token, ticketId, { choice: request.query.bewertung, notice }));
  });

  app.post<{ Params: { token: string } }>('/ratings/:token', async (request, reply) => {
    const ticketId = ticketOf(request.params.token);
    if (ticketId === undefined) return reply.callNotFound();
    const form = ratingForm.safeParse(request.body ?? {});
    if (!form.success) {
      return render(reply, 422, pageModel(request.params.token, ticketId, { errors: fieldErrors(form.error), input: keptInput(request.body) }));
    }
    const outcome = ratings.rate(ticketId, form.data);
    if (outcome !== 'saved') {
      const message = outcome === 'closed'
        ? 'Diese Anfrage ist abgeschlossen; ihre Bewertung lässt sich nicht mehr ändern.'
        : 'Diese Anfrage ist wieder in Bearbeitung. Sobald sie gelöst ist, können Sie sie bewerten.';
      return render(reply, 422, pageModel(request.params.token, ticketId, { errors: { form: message }, input: keptInput(request.body) }));
    }
    return reply.redirect(`/ratings/${request.params.token}?hinweis=danke`, 303);
  });

  app.post<{ Params: { token: string } }>('/ratings/:token/not-solved', async (request, reply) => {
    const ticketId = ticketOf(request.params.token);
    if (ticketId === undefined) return reply.callNotFound();
    const form = notSolvedForm.safeParse(request.body ?? {});
    if (!form.success) {
      return render(reply, 422, pageModel(request.params.token, ticketId, { errors: fieldErrors(form.error), input: keptInput(request.body) }));
    }
    const result = tickets.customerStillNeedsHelp(ticketId, form.data.message);
    const query = result.outcome === 'follow_up' ? `folgeanfrage=${result.ticketId}` : 'hinweis=wieder-offen';
    return reply.redirect(`/ratings/${request.params.token}?${query}`, 303);
  });
}

export async function ratingReportRoutes(app: FastifyInstance, { ratings, agentTickets }: RatingRoutesOptions) {
  app.addHook('onRequest', requireRole(...leadRoles));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get('/ratings', async (request, reply) => {
    const { wochen } = reportQuery.parse(request.query);
    return reply.view('agent/ratings', { title: 'Zufriedenheit', report: ratings.report(wochen), statusLabels: agentStatusLabels });
  });
}
