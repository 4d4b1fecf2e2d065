// The agent area's request pages: views, one request, answering and working it, review, search. Staff only.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ticketPriorities, type User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import { leadRoles, requireRole, staffRoles } from '../../plugins/auth.js';
import type { CannedRepliesService } from '../canned/canned-service.js';
import { type AttachmentsService, type StagedFile, uploadFieldModel } from '../attachments/attachments-service.js';
import { receiveUploadForm, refusedMessage } from '../attachments/upload-form.js';
import { agentReplyForm, assignForm, customerRequestForm, priorityForm, priorityLabels, reviewForm, spamForm, statusAfterReplyLabels } from './agent-forms.js';
import { agentRequestModel, agentViewRows } from './agent-page-models.js';
import { type AgentTicketsService, TicketClosedError } from './agent-tickets-service.js';
import { agentNavHook } from './agent-nav.js';
import { isAgentViewKey, canSeeView } from './agent-views.js';
import type { DueCursor, ViewCursor } from './agent-repository.js';

/** The clock only tells which due times have passed ("überfällig"). */
export type AgentRoutesOptions = { agentTickets: AgentTicketsService; canned: CannedRepliesService; attachments: AttachmentsService; clock: Clock };

/** Views that hold requests someone works on: they can be sorted by the answer due first. */
const dueSortableViews = new Set<string>(['nicht-zugewiesen', 'meine', 'alle-offenen', 'wartet', 'wartestellung']);

const notices: Record<string, string> = {
  gesendet: 'Ihre Antwort wurde gespeichert.',
  zugewiesen: 'Die Zuweisung wurde geändert.',
  prioritaet: 'Die Priorität wurde geändert.',
  spam: 'Die Anfrage ist als Spam markiert und erscheint in keiner Ansicht mehr.',
  'kein-spam': 'Die Anfrage ist nicht mehr als Spam markiert.',
  geprueft: 'Die Anfrage ist als geprüft markiert.',
  'wieder-geoeffnet': 'Die Anfrage wurde wieder geöffnet.',
  angelegt: 'Die Anfrage wurde angelegt.',
};

export default async function agentRoutes(app: FastifyInstance, { agentTickets, canned, attachments, clock }: AgentRoutesOptions) {
  app.addHook('onRequest', requireRole(...staffRoles));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get('/', async (_request, reply) => reply.redirect('/agent/views/nicht-zugewiesen', 303));

  app.get<{ Params: { view: string }; Querystring: { after?: string; sortierung?: string } }>('/views/:view', async (request, reply) => {
    const key = request.params.view;
    if (!isAgentViewKey(key) || !canSeeView(request.user!.role, key)) return reply.callNotFound();
    const view = agentTickets.views(request.user!).find((candidate) => candidate.key === key)!;
    const dueSortable = dueSortableViews.has(key);
    if (dueSortable && request.query.sortierung === 'faellig') {
      const cursor = parseDueCursor(request.query.after);
      const page = agentTickets.listViewByDue(request.user!, key, cursor);
      return reply.view('agent/view', {
        title: view.label, viewKey: key, rows: agentViewRows(page.rows, clock.now()), isFirstPage: cursor === undefined, dueSortable, sortByDue: true,
        nextHref: page.next ? `/agent/views/${key}?sortierung=faellig&after=${page.next.dueOrder}_${page.next.id}` : undefined,
      });
    }
    const cursor = parseViewCursor(request.query.after);
    const page = agentTickets.listView(request.user!, key, cursor);
    return reply.view('agent/view', {
      title: view.label,
      viewKey: key,
      rows: agentViewRows(page.rows, clock.now()),
      isFirstPage: cursor === undefined,
      dueSortable,
      sortByDue: false,
      nextHref: page.next ? `/agent/views/${key}?after=${formatViewCursor(page.next)}` : undefined,
    });
  });

  app.get('/requests/new', async (_request, reply) =>
    reply.view('agent/new-request', { title: 'Anfrage für Kunden anlegen', input: { channel: 'phone', status: 'pending' }, errors: {}, statusLabels: statusAfterReplyLabels }));

  app.post('/requests/new', async (request, reply) => {
    const form = customerRequestForm.safeParse(request.body ?? {});
    if (!form.success) {
      return reply.code(422).view('agent/new-request', { title: 'Anfrage für Kunden anlegen', input: keptInput(request.body), errors: fieldErrors(form.error), statusLabels: statusAfterReplyLabels });
    }
    const ticket = agentTickets.createForCustomer(request.user!, { ...form.data, answer: form.data.answer || undefined });
    return reply.redirect(`/agent/requests/${ticket.id}?hinweis=angelegt`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { hinweis?: string } }>('/requests/:id', async (request, reply) => {
    const ticketId = parseId(request.params.id);
    return renderRequest(reply, request.user!, ticketId, { notice: notices[request.query.hinweis ?? ''] });
  });

  app.post<{ Params: { id: string } }>('/requests/:id/replies', { config: { acceptsUploads: true } }, async (request, reply) => {
    const ticketId = parseId(request.params.id);
    if (ticketId === undefined || !agentTickets.findForAgent(ticketId)) return reply.callNotFound();
    const upload = await receiveUploadForm(request, attachments, request.user!.id);
    const body = upload.body;
    const input = keptInput(body);
    // Files chosen so far stay with the form whatever comes back: a text block inserted, an error, a collision.
    const kept = upload.files;
    if (typeof body.insertCanned === 'string') {
      const chosen = canned.find(Number(body.cannedReplyId));
      const text = chosen ? [input.body, chosen.body].filter(Boolean).join('\n\n') : input.body ?? '';
      return renderRequest(reply, request.user!, ticketId, { input: { ...input, body: text }, kept });
    }
    const form = agentReplyForm.safeParse(body);
    const refused = refusedMessage(upload.refused);
    if (!form.success || refused) {
      const errors = { ...(form.success ? {} : fieldErrors(form.error)), ...(refused ? { attachments: refused } : {}) };
      return renderRequest(reply, request.user!, ticketId, { errors, input, kept }, 422);
    }
    try {
      const result = agentTickets.agentReplies(request.user!, ticketId, { ...form.data, attachmentTokens: kept.map((file) => file.token) });
      if (result.outcome === 'collision') {
        return renderRequest(reply, request.user!, ticketId, {
          input,
          kept,
          collision: result.newMessageIds,
          errors: { form: 'Inzwischen ist eine neue Nachricht eingegangen (unten markiert). Bitte lesen Sie sie und senden Sie Ihre Antwort dann erneut.' },
        }, 409);
      }
    } catch (error) {
      if (error instanceof TicketClosedError) {
        return renderRequest(reply, request.user!, ticketId, { input, kept, errors: { form: 'Diese Anfrage ist geschlossen und nimmt keine Antworten mehr an.' } }, 422);
      }
      throw error;
    }
    return reply.redirect(`/agent/requests/${ticketId}?hinweis=gesendet`, 303);
  });

  app.post<{ Params: { id: string } }>('/requests/:id/assign', async (request, reply) => {
    const ticketId = parseId(request.params.id);
    const form = assignForm.safeParse(request.body ?? {});
    const found = ticketId === undefined ? undefined : agentTickets.findForAgent(ticketId);
    if (!found) return reply.callNotFound();
    if (!form.success) return renderRequest(reply, request.user!, ticketId, { errors: fieldErrors(form.error) }, 422);
    const choice = form.data.assignee;
    const assigneeId = choice === 'me' ? request.user!.id : choice === 'none' ? null : Number(choice);
    if (assigneeId !== null && !found.team.some((member) => member.id === assigneeId)) {
      return renderRequest(reply, request.user!, ticketId, { errors: { assignee: 'Diese Person kann keine Anfragen bearbeiten.' } }, 422);
    }
    agentTickets.assign(request.user!, found.ticket.id, assigneeId);
    return reply.redirect(`/agent/requests/${found.ticket.id}?hinweis=zugewiesen`, 303);
  });

  app.post<{ Params: { id: string } }>('/requests/:id/priority', async (request, reply) => {
    const ticketId = parseId(request.params.id);
    if (ticketId === undefined || !agentTickets.findForAgent(ticketId)) return reply.callNotFound();
    const form = priorityForm.safeParse(request.body ?? {});
    if (!form.success) return renderRequest(reply, request.user!, ticketId, { errors: fieldErrors(form.error) }, 422);
    agentTickets.setPriority(request.user!, ticketId, form.data.priority);
    return reply.redirect(`/agent/requests/${ticketId}?hinweis=prioritaet`, 303);
  });

  app.post<{ Params: { id: string } }>('/requests/:id/spam', async (request, reply) => {
    const ticketId = parseId(request.params.id);
    if (ticketId === undefined || !agentTickets.findForAgent(ticketId)) return reply.callNotFound();
    const { spam } = spamForm.parse(request.body ?? {});
    agentTickets.markSpam(request.user!, ticketId, spam);
    return reply.redirect(`/agent/requests/${ticketId}?hinweis=${spam ? 'spam' : 'kein-spam'}`, 303);
  });

  app.post<{ Params: { id: string } }>('/requests/:id/review', { onRequest: requireRole(...leadRoles) }, async (request, reply) => {
    const ticketId = parseId(request.params.id);
    const found = ticketId === undefined ? undefined : agentTickets.findForAgent(ticketId);
    if (!found || ticketId === undefined) return reply.callNotFound();
    if (!found.ticket.solvedByCustomer || found.ticket.reviewedAt) {
      return renderRequest(reply, request.user!, ticketId, { errors: { form: 'Diese Anfrage wartet auf keine Prüfung: sie wurde nicht vom Kunden gelöst oder ist schon geprüft.' } }, 422);
    }
    const form = reviewForm.safeParse(request.body ?? {});
    if (!form.success) return renderRequest(reply, request.user!, ticketId, { errors: fieldErrors(form.error), input: keptInput(request.body) }, 422);
    if (form.data.decision === 'reviewed') agentTickets.markReviewed(request.user!, ticketId);
    else agentTickets.leadReopens(request.user!, ticketId, form.data.reason);
    return reply.redirect(`/agent/requests/${ticketId}?hinweis=${form.data.decision === 'reviewed' ? 'geprueft' : 'wieder-geoeffnet'}`, 303);
  });

  app.get<{ Querystring: { q?: string; before?: string } }>('/search', async (request, reply) => {
    const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
    const before = /^\d{1,12}$/.test(request.query.before ?? '') ? Number(request.query.before) : undefined;
    const result = query.trim() ? agentTickets.search(query, before) : { kind: 'hits' as const, hits: [], next: undefined };
    if (result.kind === 'ticket') return reply.redirect(`/agent/requests/${result.ticketId}`, 303);
    return reply.view('agent/search', {
      title: 'Suche', searchQuery: query, result,
      nextHref: result.kind === 'hits' && result.next ? `/agent/search?q=${encodeURIComponent(query)}&before=${result.next}` : undefined,
    });
  });

  function renderRequest(
    reply: FastifyReply, user: User, ticketId: number | undefined,
    extra: { notice?: string; errors?: Record<string, string>; input?: Record<string, string>; collision?: number[]; kept?: StagedFile[] }, status = 200,
  ) {
    const found = ticketId === undefined ? undefined : agentTickets.findForAgent(ticketId);
    if (!found) return reply.callNotFound();
    const model = agentRequestModel(found, user, reply.locals.settings, {
      ...extra,
      uploads: uploadFieldModel(reply.locals.settings, extra.kept),
      now: clock.now(),
      latestMessageId: agentTickets.latestMessageId(found.ticket.id),
      cannedReplies: canned.list(),
      priorityOptions: ticketPriorities.map((key) => ({ key, label: priorityLabels[key] })),
      statusOptions: Object.entries(statusAfterReplyLabels).map(([key, label]) => ({ key, label })),
    });
    return reply.code(status).view('agent/request', model);
  }
}

function parseId(text: string): number | undefined {
  return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

function parseViewCursor(text: string | undefined): ViewCursor | undefined {
  const match = /^(?:([01])_)?(\d{1,15})_(\d{1,12})$/.exec(text ?? '');
  if (!match) return undefined;
  return { flagged: match[1] === undefined ? undefined : match[1] === '1', lastActivityAt: Number(match[2]), id: Number(match[3]) };
}

function parseDueCursor(text: string | undefined): DueCursor | undefined {
  const match = /^(\d{1,15})_(\d{1,12})$/.exec(text ?? '');
  return match ? { dueOrder: Number(match[1]), id: Number(match[2]) } : undefined;
}

function formatViewCursor(cursor: ViewCursor): string {
  const flag = cursor.flagged === undefined ? '' : `${cursor.flagged ? 1 : 0}_`;
  return `${flag}${cursor.lastActivityAt}_${cursor.id}`;
}
