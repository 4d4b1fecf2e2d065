// Use cases of the customer's side of a request: write in, list, read, answer, mark solved, follow up.
import type { Db, DbOrTx } from '../../db/client.js';
import { createReadSnapshot } from '../../db/read-snapshot.js';
import type { Attachment, Ticket, TicketStatus, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { attachmentBlocks } from '../attachments/attachment-mails.js';
import { type AttachmentsService, chooseForMail, claimUploads } from '../attachments/attachments-service.js';
import type { DueTimes } from '../automation/due-times.js';
import type { RatingLinks } from '../ratings/rating-links.js';
import { prepareFindRating } from '../ratings/ratings-repository.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import { findOrCreateCustomer, prepareFindUserById } from '../users/users-repository.js';
import { canViewInPortal } from './ticket-access.js';
import { looksLikeQuestion } from './question-detector.js';
import { customerStatusFilters, type CustomerStatusFilter } from './ticket-labels.js';
import { subjectMaxLength } from './tickets-forms.js';
import { acknowledgementMail } from './ticket-mails.js';
import { customerReplyNotice, newRequestNotice } from './staff-mails.js';
import { activeTeam } from './agent-repository.js';
import { hasRecentMailTo } from '../mail/outbox-repository.js';
import { nextStatus, type TicketStatusEvent } from './ticket-status.js';
import {
  findTicket, insertEvent, lastCustomerMessage, insertMessage, insertTicket, type ListCursor, prepareCustomerListQuery,
  prepareTicketDetailQueries, updateTicket,
} from './tickets-repository.js';

export const customerListPageSize = 25;

export type NewRequest = {
  requester?: User;
  name: string;
  email: string;
  subject: string;
  description: string;
  followUpOfId?: number;
  /** Tokens of files staged with the form (see attachments-service); the first message takes them. */
  attachmentTokens?: readonly string[];
};

export type CustomerReply = { body: string; markSolved: boolean; attachmentTokens?: readonly string[] };

export class FollowUpNotAllowedError extends Error {}

export type TicketsService = ReturnType<typeof createTicketsService>;

/** What the customer's and the agents' ticket use cases both need. */
export type TicketServiceDeps = {
  db: Db; clock: Clock; outbox: Outbox; settings: SettingsService; publicUrl: string;
  dueTimes: DueTimes; attachments: AttachmentsService; ratingLinks: RatingLinks;
};

export function createTicketsService(deps: TicketServiceDeps) {
  const { db, clock, outbox, settings, publicUrl, dueTimes, attachments, ratingLinks } = deps;
  const detail = prepareTicketDetailQueries(db);
  const userById = prepareFindUserById(db);
  const customerList = prepareCustomerListQuery(db);
  const ratingOf = prepareFindRating(db);
  const readSnapshot = createReadSnapshot(db);

  function changeStatus(tx: DbOrTx, ticket: Ticket, event: TicketStatusEvent, actorId: number | null, at: Date): TicketStatus {
    const to = nextStatus(ticket.status, event);
    if (to !== ticket.status) {
      insertEvent(tx, { ticketId: ticket.id, actorId, kind: 'status', fromValue: ticket.status, toValue: to, at });
    }
    return to;
  }

  function notifyAssignee(tx: DbOrTx, ticket: Ticket, customer: User, body: string, messageId: number, files: Attachment[]): void {
    if (ticket.assigneeId === null || !settings.current().notifyAgents) return;
    const assignee = activeTeam(tx).find((member) => member.id === ticket.assigneeId);
    if (!assignee) return;
    const link = `${publicUrl}/agent/requests/${ticket.id}`;
    const mailed = chooseForMail(files);
    const content = customerReplyNotice(ticket, customer.name, body, link);
    outbox.enqueue(tx, {
      kind: 'agent_customer_reply', to: { address: assignee.email, name: assignee.name }, ticketId: ticket.id, ticketMessageId: messageId,
      content: { ...content, blocks: [...content.blocks, ...attachmentBlocks(mailed, link)] },
      attachmentIds: mailed.attached.map((file) => file.id),
    });
  }

  /** A customer's further message on a request that is not closed: we owe an answer, due from the first one still unanswered. */
  function dueAfterCustomerMessage(ticket: Ticket, status: TicketStatus, at: Date): Partial<Ticket> {
    if (status === 'solved' || status === 'closed' || status === 'pending') return { replyDueAt: null };
    return { replyDueAt: ticket.replyDueAt ?? dueTimes.nextResponseDue(at) };
  }

  const service = {
    /** The contact form: finds or creates the customer, opens the request, queues the acknowledgement. */
    createRequest(input: NewRequest): Ticket {
      return db.transaction((tx) => {
        const now = clock.now();
        const requester = input.requester ?? findOrCreateCustomer(tx, input.email, input.name, now);
        if (input.followUpOfId !== undefined) {
          const original = findTicket(tx, input.followUpOfId);
          if (!original || original.requesterId !== requester.id || original.status !== 'closed') throw new FollowUpNotAllowedError();
        }
        const firstResponseDueAt = dueTimes.firstResponseDue(now);
        const ticket = insertTicket(tx, {
          requesterId: requester.id, subject: input.subject, status: 'new', channel: 'web',
          createdAt: now, lastActivityAt: now, lastPublicBy: 'customer', followUpOfId: input.followUpOfId ?? null,
          firstResponseDueAt, replyDueAt: firstResponseDueAt,
        });
        const message = insertMessage(tx, { ticketId: ticket.id, authorId: requester.id, visibility: 'public', body: input.description, channel: 'web', createdAt: now });
        // Staged by whoever sent the form: the logged-in requester, or an anonymous visitor (null).
        const files = claimUploads(tx, input.attachmentTokens ?? [], message.id, input.requester?.id ?? null, now);
        insertEvent(tx, { ticketId: ticket.id, actorId: requester.id, kind: 'created', toValue: 'new', at: now });
        if (input.followUpOfId !== undefined) {
          insertEvent(tx, { ticketId: input.followUpOfId, actorId: requester.id, kind: 'follow_up', toValue: String(ticket.id), at: now });
        }
        const current = settings.current();
        if (current.notifyAgents) {
          const link = `${publicUrl}/agent/requests/${ticket.id}`;
          const mailed = chooseForMail(files);
          const notice = newRequestNotice(ticket, requester.name, link);
          for (const member of activeTeam(tx)) {
            outbox.enqueue(tx, {
              kind: 'agent_new_request', to: { address: member.email, name: member.name }, ticketId: ticket.id,
              content: { ...notice, blocks: [...notice.blocks, ...attachmentBlocks(mailed, link)] },
              attachmentIds: mailed.attached.map((file) => file.id),
            });
          }
        }
        // Anyone can type any address into the form: one acknowledgement an hour per address is all they can cause.
        const since = new Date(now.getTime() - 3600_000);
        if (!input.requester && hasRecentMailTo(tx, requester.email, 'acknowledgement', since)) return ticket;
        outbox.enqueue(tx, {
          kind: 'acknowledgement',
          to: { address: requester.email },
          ticketId: ticket.id,
          headers: { 'Auto-Submitted': 'auto-replied' },
          content: acknowledgementMail(
            ticket.id,
            { request: `${publicUrl}/requests/${ticket.id}`, setPassword: requester.passwordHash ? undefined : `${publicUrl}/password/forgot` },
            current,
            dueTimes.promise(firstResponseDueAt, now, { withDate: true }),
          ),
        });
        return ticket;
      }, { behavior: 'immediate' });
    },

    /** One page of "Meine Aktivitäten" and the cursor of the next, if there is one. */
    listForCustomer(user: User, options: { filter?: CustomerStatusFilter; search?: string; after?: ListCursor }) {
      const rows = customerList({
        requesterId: user.id,
        statuses: options.filter ? customerStatusFilters[options.filter].statuses : undefined,
        subjectContains: options.search,
        after: options.after,
        limit: customerListPageSize + 1,
      });
      const hasMore = rows.length > customerListPageSize;
      const page = rows.slice(0, customerListPageSize);
      const last = page.at(-1);
      return { rows: page, next: hasMore && last ? { lastActivityAt: last.lastActivityAt.getTime(), id: last.id } : undefined };
    },

    /** The request with its public conversation, or undefined when it is missing or someone else's. */
    findForCustomer(user: User, id: number) {
      return readSnapshot(() => {
        const found = detail.ticket(id);
        if (!found || !canViewInPortal(user, found.ticket)) return undefined;
        const rating = ratingOf(id);
        return {
          ...found,
          messages: detail.publicMessages(id),
          followUps: detail.followUps(id),
          attachments: attachments.listForTicket(id, true),
          rating,
          ratingPath: found.ticket.status === 'solved' || rating ? ratingLinks.pagePath(id) : undefined,
        };
      });
    },

    /** An answer in the portal, the solved checkbox, or both. A closed request takes neither. */
    customerReplies(user: User, ticketId: number, reply: CustomerReply): 'replied' | 'solved' | 'closed' {
      return db.transaction((tx) => {
        const ticket = findTicket(tx, ticketId);
        if (!ticket || !canViewInPortal(user, ticket)) throw new Error(`ticket ${ticketId} not visible to user ${user.id}`);
        if (ticket.status === 'closed') return 'closed';
        const now = clock.now();
        const changes: Partial<Ticket> = { lastActivityAt: now };
        const status = changeStatus(tx, ticket, reply.markSolved ? 'customer_solves' : 'customer_replies', user.id, now);
        if (reply.body) {
          const message = insertMessage(tx, { ticketId, authorId: user.id, visibility: 'public', body: reply.body, channel: 'web', createdAt: now });
          const files = claimUploads(tx, reply.attachmentTokens ?? [], message.id, user.id, now);
          changes.lastPublicBy = 'customer';
          Object.assign(changes, dueAfterCustomerMessage(ticket, status, now));
          notifyAssignee(tx, ticket, user, reply.body, message.id, files);
        }
        changes.status = status;
        if (status === 'solved') changes.replyDueAt = null;
        if (reply.markSolved) {
          const stillAsks = looksLikeQuestion(reply.body || lastCustomerMessage(tx, ticketId, user.id));
          Object.assign(changes, { solvedAt: now, solvedByCustomer: true, solvedWithQuestion: stillAsks, reviewedAt: null, reviewedById: null });
        }
        updateTicket(tx, ticketId, changes);
        return reply.markSolved ? 'solved' : 'replied';
      }, { behavior: 'immediate' });
    },

    /**
     * "Mein Anliegen ist noch nicht gelöst" from the rating link (no login): the message reopens the request, or, once it is
     * closed, becomes a follow-up request linked to it.
     */
    customerStillNeedsHelp(ticketId: number, message: string): { outcome: 'reopened' | 'follow_up'; ticketId: number } {
      const ticket = findTicket(db, ticketId);
      const requester = ticket ? userById(ticket.requesterId) : undefined;
      if (!ticket || !requester) throw new Error(`ticket ${ticketId} or its requester not found`);
      if (ticket.status !== 'closed') {
        const outcome = service.customerReplies(requester, ticketId, { body: message, markSolved: false });
        if (outcome !== 'closed') return { outcome: 'reopened', ticketId };
      }
      const followUp = service.createRequest({
        requester, name: requester.name, email: requester.email, followUpOfId: ticketId, description: message,
        subject: `Folgeanfrage zu #${ticket.id}: ${ticket.subject}`.slice(0, subjectMaxLength),
      });
      return { outcome: 'follow_up', ticketId: followUp.id };
    },

    /** By when we usually answer this new request, as the thank-you page says it: "Montag, 12:00 Uhr". */
    answerPromise(ticketId: number): string | undefined {
      const ticket = findTicket(db, ticketId);
      return ticket?.firstResponseDueAt ? dueTimes.promise(ticket.firstResponseDueAt, clock.now()) : undefined;
    },

    /** The original of a follow-up, if the customer may link to it. */
    findClosedForFollowUp(user: User, id: number): Ticket | undefined {
      const ticket = findTicket(db, id);
      return ticket && canViewInPortal(user, ticket) && ticket.status === 'closed' ? ticket : undefined;
    },
  };
  return service;
}
