// The agent area's Textbausteine: list, create, edit and delete canned replies. Every team member may manage them.
import type { FastifyInstance } from 'fastify';
import type { CannedReply } from '../../db/schema.js';
import { type FieldErrors, fieldErrors, keptInput } from '../../lib/forms.js';
import { requireRole, staffRoles } from '../../plugins/auth.js';
import { agentNavHook } from '../tickets/agent-nav.js';
import type { AgentTicketsService } from '../tickets/agent-tickets-service.js';
import { cannedBodyMaxLength, cannedReplyForm, cannedTitleMaxLength } from './canned-forms.js';
import type { CannedRepliesService } from './canned-service.js';

export type CannedRoutesOptions = { canned: CannedRepliesService; agentTickets: AgentTicketsService };

const notices: Record<string, string> = {
  angelegt: 'Der Textbaustein wurde angelegt.',
  gespeichert: 'Der Textbaustein wurde gespeichert.',
  geloescht: 'Der Textbaustein wurde gelöscht.',
};

type FormState = { errors?: FieldErrors; input?: Record<string, string>; notice?: string };

const limits = { titleMax: cannedTitleMaxLength, bodyMax: cannedBodyMaxLength };
const previewLength = 140;

/** The list page: every canned reply with the start of its text, and the form for a new one. */
function listModel(replies: CannedReply[], state: FormState = {}) {
  return {
    title: 'Textbausteine',
    replies: replies.map((reply) => ({ id: reply.id, title: reply.title, preview: preview(reply.body), updatedAt: reply.updatedAt })),
    errors: {}, input: {}, limits, ...state,
  };
}

function editModel(reply: CannedReply, state: FormState = {}) {
  return { title: `Textbaustein „${reply.title}“ bearbeiten`, reply, errors: {}, input: { title: reply.title, body: reply.body }, limits, ...state };
}

export default async function cannedRoutes(app: FastifyInstance, { canned, agentTickets }: CannedRoutesOptions) {
  app.addHook('onRequest', requireRole(...staffRoles));
  app.addHook('preHandler', agentNavHook(agentTickets));

  app.get<{ Querystring: { hinweis?: string } }>('/canned', async (request, reply) =>
    reply.view('agent/canned', listModel(canned.list(), { notice: notices[request.query.hinweis ?? ''] })));

  app.post('/canned', async (request, reply) => {
    const form = cannedReplyForm.safeParse(request.body ?? {});
    if (!form.success) {
      return reply.code(422).view('agent/canned', listModel(canned.list(), { errors: fieldErrors(form.error), input: keptInput(request.body) }));
    }
    canned.create(request.user!, form.data);
    return reply.redirect('/agent/canned?hinweis=angelegt', 303);
  });

  app.get<{ Params: { id: string } }>('/canned/:id', async (request, reply) => {
    const found = findReply(request.params.id);
    if (!found) return reply.callNotFound();
    return reply.view('agent/canned-edit', editModel(found));
  });

  app.post<{ Params: { id: string } }>('/canned/:id', async (request, reply) => {
    const found = findReply(request.params.id);
    if (!found) return reply.callNotFound();
    const form = cannedReplyForm.safeParse(request.body ?? {});
    if (!form.success) {
      return reply.code(422).view('agent/canned-edit', editModel(found, { errors: fieldErrors(form.error), input: keptInput(request.body) }));
    }
    canned.update(found.id, form.data);
    return reply.redirect('/agent/canned?hinweis=gespeichert', 303);
  });

  app.post<{ Params: { id: string } }>('/canned/:id/delete', async (request, reply) => {
    const found = findReply(request.params.id);
    if (!found) return reply.callNotFound();
    canned.remove(found.id);
    return reply.redirect('/agent/canned?hinweis=geloescht', 303);
  });

  function findReply(idText: string): CannedReply | undefined {
    return /^\d{1,12}$/.test(idText) ? canned.find(Number(idText)) : undefined;
  }
}

/** The first words of a canned reply on one line, so the list stays a list even for long texts. */
function preview(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > previewLength ? `${oneLine.slice(0, previewLength - 1).trimEnd()}…` : oneLine;
}
