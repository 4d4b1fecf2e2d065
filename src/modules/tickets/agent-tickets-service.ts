// Use cases of the agent area: the views, working a request, team-lead review, requests for customers, search.
import { prepareChangeCounter } from '../../db/change-counter.js';
import type { DbOrTx } from '../../db/client.js';
import { createReadSnapshot } from '../../db/read-snapshot.js';
import type { Attachment, Ticket, TicketChannel, TicketPriority, User } from '../../db/schema.js';
import { attachmentBlocks } from '../attachments/attachment-mails.js';
import { chooseForMail, claimUploads } from '../attachments/attachments-service.js';
import { prepareFindRating } from '../ratings/ratings-repository.js';
import { findOrCreateCustomer } from '../users/users-repository.js';
import { agentAnswerMail } from './agent-mails.js';
import {
  activeTeam, eventsForAgent, failedMailsOfTicket, findTicketForAgent, findUserIdByEmail, followUpsOf, latestMessageId,
  messagesAfter, messagesForAgent, otherRequestsOf, prepareAgentViewQueries, prepareDueViewQueries, type DueCursor, type ViewCursor,
} from './agent-repository.js';
import { agentViews, canSeeView, type AgentViewKey } from './agent-views.js';
import { authorLabel } from './ticket-views.js';
import { nextStatus, type TicketStatusEvent } from './ticket-status.js';
import { prepareWordsStarting, searchMessages, searchWords, toFtsQuery } from './ticket-search.js';
import type { TicketServiceDeps } from './tickets-service.js';
import { findTicket, insertEvent, insertMessage, insertTicket, updateTicket } from './tickets-repository.js';
import { acknowledgementMail } from './ticket-mails.js';

export const agentPageSize = 25;
export const statusAfterReply = ['open', 'pending', 'on_hold', 'solved'] as const;
export type StatusAfterReply = (typeof statusAfterReply)[number];

const setStatusEvent: Record<StatusAfterReply, TicketStatusEvent> = {
  open: 'agent_sets_open', pending: 'agent_sets_pending', on_hold: 'agent_sets_on_hold', solved: 'agent_sets_solved',
};

export class TicketClosedError extends Error {}

export type AgentReply = {
  body: string; visibility: 'public' | 'internal'; status: StatusAfterReply; lastSeenMessageId: number;
  /** Tokens of files staged with the form; the answer or note takes them. */
  attachmentTokens?: readonly string[];
};
export type NewCustomerRequest = {
  email: string; name: string; subject: string; description: string; channel: TicketChannel;
  answer?: string; status?: StatusAfterReply;
};

export type AgentTicketsService = ReturnType<typeof createAgentTicketsService>;

export function createAgentTicketsService(deps: TicketServiceDeps) {
  const { db, clock, outbox, settings, publicUrl, dueTimes, attachments, ratingLinks } = deps;
  const viewQueries = prepareAgentViewQueries(db);
  // Every agent page shows the eight view counts, eight queries; they are kept until the database changes.
  const changeCounter = prepareChangeCounter(db);
  let countCache: { version: string; counts: Map<string, number> } | undefined;
  const wordsStarting = prepareWordsStarting(db);
  const dueViewQueries = prepareDueViewQueries(db);
  const ratingOf = prepareFindRating(db);
  const readSnapshot = createReadSnapshot(db);

  function recordStatus(tx: DbOrTx, ticket: Ticket, event: TicketStatusEvent, actorId: number, at: Date): Partial<Ticket> {
    const to = nextStatus(ticket.status, event);
    if (to === ticket.status) return {};
    insertEvent(tx, { ticketId: ticket.id, actorId, kind: 'status', fromValue: ticket.status, toValue: to, at });
    return { status: to, solvedAt: to === 'solved' ? at : null };
  }

  function openTicket(tx: DbOrTx, ticketId: number): Ticket {
    const ticket = findTicket(tx, ticketId);
    if (!ticket) throw new Error(`ticket ${ticketId} not found`);
    return ticket;
  }

  /** Queues the answer mail with the whole earlier public conversation, the answer's files, and the rating links once solved. */
  function mailAnswer(tx: DbOrTx, ticket: Ticket, status: string, messageId: number, files: Attachment[]) {
    const current = settings.current();
    const found = findTicketForAgent(tx, ticket.id)!;
    const thread = messagesForAgent(tx, ticket.id)
      .filter((message) => message.visibility === 'public')
      .map((message) => ({ id: message.id, author: authorLabel({ name: message.authorName, role: message.authorRole }, current), createdAt: message.createdAt, body: message.body }));
    const answer = thread.find((message) => message.id === messageId)!;
    const earlier = thread.filter((message) => message.id !== messageId).reverse();
    const link = `${publicUrl}/requests/${ticket.id}`;
    const mailed = chooseForMail(files);
    outbox.enqueue(tx, {
      kind: 'agent_answer',
      to: { address: found.requester.email, name: found.requester.name },
      ticketId: ticket.id,
      ticketMessageId: messageId,
      headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
      content: agentAnswerMail({
        ticketId: ticket.id, subject: ticket.subject, status, answer, earlier, link, settings: current,
        files: attachmentBlocks(mailed, link),
        rating: status === 'solved' ? ratingLinks.mailBlocks(ticket.id) : [],
      }),
      attachmentIds: mailed.attached.map((file) => file.id),
    });
  }

  function reply(tx: DbOrTx, agent: User, ticket: Ticket, input: Omit<AgentReply, 'lastSeenMessageId'>, now: Date): Partial<Ticket> {
    const message = insertMessage(tx, { ticketId: ticket.id, authorId: agent.id, visibility: input.visibility, body: input.body, channel: 'web', createdAt: now });
    const files = claimUploads(tx, input.attachmentTokens ?? [], message.id, agent.id, now);
    if (input.visibility === 'internal') return {};
    // A public answer: nothing is owed until the customer writes again, and a pending request waits on them from now.
    const changes: Partial<Ticket> = {
      lastPublicBy: 'agent', lastAgentReplyAt: now, replyDueAt: null, ...recordStatus(tx, ticket, setStatusEvent[input.status], agent.id, now),
    };
    if (ticket.assigneeId === null) {
      changes.assigneeId = agent.id;
      insertEvent(tx, { ticketId: ticket.id, actorId: agent.id, kind: 'assignee', toValue: agent.name, at: now });
    }
    mailAnswer(tx, ticket, changes.status ?? ticket.status, message.id, files);
    return changes;
  }

  return {
    views(user: User) {
      return agentViews.filter((view) => canSeeView(user.role, view.key));
    },

    viewCounts(user: User): Record<string, number> {
      const version = changeCounter();
      if (countCache?.version !== version) countCache = { version, counts: new Map() };
      const cached = countCache.counts;
      const counts: Record<string, number> = {};
      for (const view of agentViews) {
        if (!canSeeView(user.role, view.key)) continue;
        // "Meine" is the only view whose rows depend on who asks.
        const cacheKey = view.key === 'meine' ? `meine:${user.id}` : view.key;
        let count = cached.get(cacheKey);
        if (count === undefined) cached.set(cacheKey, (count = viewQueries.count(view.key, user.id)));
        counts[view.key] = count;
      }
      return counts;
    },

    listView(user: User, key: AgentViewKey, cursor?: ViewCursor) {
      const rows = viewQueries.list(key, user.id, cursor, agentPageSize + 1);
      const page = rows.slice(0, agentPageSize);
      const last = page.at(-1);
      const next = rows.length > agentPageSize && last
        ? { flagged: key === 'zu-pruefen' ? last.solvedWithQuestion : undefined, lastActivityAt: last.lastActivityAt.getTime(), id: last.id }
        : undefined;
      return { rows: page, next };
    },

    /** The view with the answer due first; requests that owe nothing come last. */
    listViewByDue(user: User, key: AgentViewKey, cursor?: DueCursor) {
      const rows = dueViewQueries.list(key, user.id, cursor, agentPageSize + 1);
      const page = rows.slice(0, agentPageSize);
      const last = page.at(-1);
      const next = rows.length > agentPageSize && last && last.dueOrder !== null ? { dueOrder: last.dueOrder, id: last.id } : undefined;
      return { rows: page, next };
    },

    findForAgent(id: number) {
      return readSnapshot(() => {
        const found = findTicketForAgent(db, id);
        if (!found) return undefined;
        return {
          ...found,
          attachments: attachments.listForTicket(id, false),
          rating: ratingOf(id),
          followUps: followUpsOf(db, id),
          messages: messagesForAgent(db, id),
          events: eventsForAgent(db, id),
          otherRequests: otherRequestsOf(db, found.ticket.requesterId, id),
          team: activeTeam(db),
          failedMails: failedMailsOfTicket(db, id),
        };
      });
    },

    /** Answers or notes; refuses when someone wrote since the agent loaded the page, and says what is new. */
    agentReplies(agent: User, ticketId: number, input: AgentReply): { outcome: 'sent' } | { outcome: 'collision'; newMessageIds: number[] } {
      return db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if (ticket.status === 'closed') throw new TicketClosedError();
        const newer = messagesAfter(tx, ticketId, input.lastSeenMessageId).filter((message) => message.authorId !== agent.id);
        if (newer.length > 0) return { outcome: 'collision' as const, newMessageIds: newer.map((message) => message.id) };
        const now = clock.now();
        updateTicket(tx, ticketId, { lastActivityAt: now, ...reply(tx, agent, ticket, input, now) });
        return { outcome: 'sent' as const };
      }, { behavior: 'immediate' });
    },

    latestMessageId(ticketId: number): number {
      return latestMessageId(db, ticketId);
    },

    assign(agent: User, ticketId: number, assigneeId: number | null): void {
      db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if (ticket.assigneeId === assigneeId) return;
        const team = activeTeam(tx);
        const assignee = assigneeId === null ? undefined : team.find((member) => member.id === assigneeId);
        if (assigneeId !== null && !assignee) throw new Error(`user ${assigneeId} cannot be assigned`);
        const now = clock.now();
        const previous = team.find((member) => member.id === ticket.assigneeId)?.name ?? null;
        insertEvent(tx, { ticketId, actorId: agent.id, kind: 'assignee', fromValue: previous, toValue: assignee?.name ?? null, at: now });
        const status = assignee && ticket.status !== 'closed' ? recordStatus(tx, ticket, 'agent_assigns', agent.id, now) : {};
        updateTicket(tx, ticketId, { assigneeId, lastActivityAt: now, ...status });
      }, { behavior: 'immediate' });
    },

    setPriority(agent: User, ticketId: number, priority: TicketPriority): void {
      db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if (ticket.priority === priority) return;
        const now = clock.now();
        insertEvent(tx, { ticketId, actorId: agent.id, kind: 'priority', fromValue: ticket.priority, toValue: priority, at: now });
        updateTicket(tx, ticketId, { priority, lastActivityAt: now });
      }, { behavior: 'immediate' });
    },

    /** Spam hides a request from every view; undoing it brings it back where its status puts it. */
    markSpam(agent: User, ticketId: number, spam: boolean): void {
      db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if ((ticket.spamAt !== null) === spam) return;
        const now = clock.now();
        insertEvent(tx, { ticketId, actorId: agent.id, kind: 'spam', fromValue: spam ? 'no' : 'yes', toValue: spam ? 'yes' : 'no', at: now });
        updateTicket(tx, ticketId, { spamAt: spam ? now : null, lastActivityAt: now });
      }, { behavior: 'immediate' });
    },

    /** A team lead confirms a request that the customer closed themselves. */
    markReviewed(lead: User, ticketId: number): void {
      db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if (!ticket.solvedByCustomer || ticket.reviewedAt) return;
        const now = clock.now();
        insertEvent(tx, { ticketId, actorId: lead.id, kind: 'review', toValue: 'reviewed', at: now });
        updateTicket(tx, ticketId, { reviewedAt: now, reviewedById: lead.id, lastActivityAt: now });
      }, { behavior: 'immediate' });
    },

    /** A team lead reopens a self-solved request, with an internal note saying why. */
    leadReopens(lead: User, ticketId: number, reason: string): void {
      db.transaction((tx) => {
        const ticket = openTicket(tx, ticketId);
        if (!ticket.solvedByCustomer || ticket.reviewedAt) return;
        const now = clock.now();
        insertMessage(tx, { ticketId, authorId: lead.id, visibility: 'internal', body: reason, channel: 'web', createdAt: now });
        insertEvent(tx, { ticketId, actorId: lead.id, kind: 'review', toValue: 'reopened', at: now });
        // Reopened means someone must work on it again: an answer is owed as after a customer's message.
        const status = ticket.status === 'closed' ? {} : { ...recordStatus(tx, ticket, 'lead_reopens', lead.id, now), replyDueAt: dueTimes.nextResponseDue(now) };
        updateTicket(tx, ticketId, { reviewedAt: now, reviewedById: lead.id, lastActivityAt: now, ...status });
      }, { behavior: 'immediate' });
    },

    /** A phone call or letter recorded as a request; optionally answered at once. */
    createForCustomer(agent: User, input: NewCustomerRequest): Ticket {
      return db.transaction((tx) => {
        const now = clock.now();
        const customer = findOrCreateCustomer(tx, input.email, input.name, now);
        const firstResponseDueAt = dueTimes.firstResponseDue(now);
        const ticket = insertTicket(tx, {
          requesterId: customer.id, subject: input.subject, status: 'new', channel: input.channel,
          createdAt: now, lastActivityAt: now, lastPublicBy: 'customer', firstResponseDueAt, replyDueAt: firstResponseDueAt,
        });
        insertMessage(tx, { ticketId: ticket.id, authorId: customer.id, visibility: 'public', body: input.description, channel: input.channel, createdAt: now });
        insertEvent(tx, { ticketId: ticket.id, actorId: agent.id, kind: 'created', toValue: 'new', at: now });
        let changes: Partial<Ticket> = {};
        if (input.answer) {
          changes = reply(tx, agent, ticket, { body: input.answer, visibility: 'public', status: input.status ?? 'pending' }, now);
        } else {
          outbox.enqueue(tx, {
            kind: 'acknowledgement',
            to: { address: customer.email, name: customer.name },
            ticketId: ticket.id,
            headers: { 'Auto-Submitted': 'auto-generated' },
            content: acknowledgementMail(
              ticket.id, { request: `${publicUrl}/requests/${ticket.id}`, setPassword: customer.passwordHash ? undefined : `${publicUrl}/password/forgot` },
              settings.current(), dueTimes.promise(firstResponseDueAt, now, { withDate: true }),
            ),
          });
        }
        if (Object.keys(changes).length > 0) updateTicket(tx, ticket.id, changes);
        return { ...ticket, ...changes };
      }, { behavior: 'immediate' });
    },

    /** "#123" or "123" finds the request, an address finds the customer's requests, anything else searches the text. */
    search(query: string, beforeMessageId?: number) {
      const trimmed = query.trim();
      const number = /^#?(\d{1,12})$/.exec(trimmed);
      if (number && findTicket(db, Number(number[1]))) return { kind: 'ticket' as const, ticketId: Number(number[1]) };
      if (/^[^\s@]+@[^\s@]+$/.test(trimmed)) {
        const requesterId = findUserIdByEmail(db, trimmed);
        if (requesterId !== undefined) return { kind: 'requester' as const, rows: otherRequestsOf(db, requesterId, 0, 100) };
      }
      const fts = toFtsQuery(searchWords(trimmed), wordsStarting);
      if (!fts) return { kind: 'hits' as const, hits: [], next: undefined };
      const hits = searchMessages(db, fts, beforeMessageId, agentPageSize + 1);
      const page = hits.slice(0, agentPageSize);
      // Several messages of one request may match; the request is listed once, with its newest hit.
      const seen = new Set<number>();
      const perRequest = page.filter((hit) => !seen.has(hit.ticketId) && seen.add(hit.ticketId));
      return { kind: 'hits' as const, hits: perRequest, next: hits.length > agentPageSize ? page.at(-1)?.messageId : undefined };
    },

  };
}
