// "Meine Aktivitäten" and one request: reading, answering, marking solved. Logged-in customers only.
import type { FastifyInstance } from 'fastify';
import type { User } from '../../db/schema.js';
import { fieldErrors, keptInput } from '../../lib/forms.js';
import { requireLogin } from '../../plugins/auth.js';
import { type AttachmentsService, uploadFieldModel } from '../attachments/attachments-service.js';
import { receiveUploadForm, refusedMessage } from '../attachments/upload-form.js';
import { looksLikeQuestion } from './question-detector.js';
import { customerStatusFilterOf, customerStatusFilters, customerStatusLabel } from './ticket-labels.js';
import { showModel } from './ticket-views.js';
import { listQuery, replyForm } from './tickets-forms.js';
import type { TicketsService } from './tickets-service.js';

const notices: Record<string, string> = {
  gesendet: 'Ihre Antwort wurde gesendet.',
  geloest: 'Vielen Dank! Die Anfrage ist jetzt als gelöst markiert. Falls doch noch etwas offen ist, antworten Sie einfach hier.',
  geschlossen: 'Diese Anfrage ist abgeschlossen und nimmt keine Antworten mehr an. Bitte erstellen Sie eine Folgeanfrage.',
};

export default async function customerRoutes(app: FastifyInstance, { tickets, attachments }: { tickets: TicketsService; attachments: AttachmentsService }) {
  app.addHook('onRequest', requireLogin);

  app.get('/requests', async (request, reply) => {
    const query = listQuery.parse(request.query);
    const [at, id] = query.after?.split('_').map(Number) ?? [];
    const after = at !== undefined && id !== undefined ? { lastActivityAt: at, id } : undefined;
    const page = tickets.listForCustomer(request.user!, { filter: query.status, search: query.q, after });
    return reply.view('requests/index', {
      title: 'Meine Aktivitäten',
      rows: page.rows.map((row) => ({
        id: row.id, subject: row.subject, createdAt: row.createdAt, lastActivityAt: row.lastActivityAt,
        statusKey: customerStatusFilterOf(row.status), statusLabel: customerStatusLabel(row.status),
      })),
      filters: Object.entries(customerStatusFilters).map(([key, filter]) => ({ key, label: filter.label })),
      status: query.status,
      q: query.q ?? '',
      isFirstPage: after === undefined,
      nextHref: page.next ? pageHref(query.status, query.q, `${page.next.lastActivityAt}_${page.next.id}`) : undefined,
      firstHref: pageHref(query.status, query.q),
    });
  });

  app.get<{ Params: { id: string }; Querystring: { hinweis?: string } }>('/requests/:id', async (request, reply) => {
    const found = findOwn(request.params.id, request.user!);
    if (!found) return reply.callNotFound();
    const notice = notices[request.query.hinweis ?? ''];
    return reply.view('requests/show', showModel(found, reply.locals.settings, { notice, uploads: uploadFieldModel(reply.locals.settings) }));
  });

  app.post<{ Params: { id: string } }>('/requests/:id/replies', { config: { acceptsUploads: true } }, async (request, reply) => {
    const found = findOwn(request.params.id, request.user!);
    if (!found) return reply.callNotFound();
    const upload = await receiveUploadForm(request, attachments, request.user!.id);
    const form = replyForm.safeParse(upload.body);
    const refused = refusedMessage(upload.refused);
    // Files travel with a message: a reply that is only the solved box has none to carry them.
    const withoutText = form.success && !form.data.body && upload.files.length > 0
      ? 'Bitte schreiben Sie ein paar Worte zu Ihren Anhängen.' : undefined;
    if (!form.success || refused || withoutText) {
      const errors = {
        ...(form.success ? {} : fieldErrors(form.error)),
        ...(withoutText ? { body: withoutText } : {}),
        ...(refused ? { attachments: refused } : {}),
      };
      const model = showModel(found, reply.locals.settings, { errors, input: keptInput(upload.body), uploads: uploadFieldModel(reply.locals.settings, upload.files) });
      return reply.code(422).view('requests/show', model);
    }
    const { body, markSolved, confirmed } = form.data;
    const attachmentTokens = upload.files.map((file) => file.token);
    if (markSolved && !confirmed && looksLikeQuestion(body)) {
      return reply.view('requests/confirm-solve', { title: 'Anfrage wirklich als gelöst markieren?', ticketId: found.ticket.id, body, attachmentTokens });
    }
    const outcome = tickets.customerReplies(request.user!, found.ticket.id, { body, markSolved, attachmentTokens });
    const notice = outcome === 'solved' ? 'geloest' : outcome === 'closed' ? 'geschlossen' : 'gesendet';
    return reply.redirect(`/requests/${found.ticket.id}?hinweis=${notice}`, 303);
  });

  function findOwn(id: string, user: User) {
    return /^\d{1,12}$/.test(id) ? tickets.findForCustomer(user, Number(id)) : undefined;
  }
}

function pageHref(status: string | undefined, q: string | undefined, after?: string): string {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (q) params.set('q', q);
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `/requests?${query}` : '/requests';
}
