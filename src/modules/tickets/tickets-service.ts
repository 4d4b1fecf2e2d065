// Use cases of the customer's side of a request: write in, list, read, answer, mark solved, follow up.
import type { Db, DbOrTx } from '../../db/client.js';
import type { Ticket, TicketStatus, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import { findOrCreateCustomer } from '../users/users-repository.js';
import { canViewInPortal } from './ticket-access.js';
import { looksLikeQuestion } from './question-detector.js';
import { customerStatusFilters, type CustomerStatusFilter } from './ticket-labels.js';
import { acknowledgementMail } from './ticket-mails.js';
import { customerReplyNotice, newRequestNotice } from './staff-mails.js';
import { activeTeam } from './agent-repository.js';
import { hasRecentMailTo } from '../mail/outbox-repository.js';
import { nextStatus, type TicketStatusEvent } from './ticket-status.js';
import {
  findTicket, insertEvent, lastCustomerMessage, insertMessage, insertTicket, type ListCursor, listTicketsOfRequester,
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
};

export class FollowUpNotAllowedError extends Error {}

export type TicketsService = ReturnType<typeof createTicketsService>;

export function createTicketsService(deps: { db: Db; clock: Clock; outbox: Outbox; settings: SettingsService; publicUrl: string }) {
  const { db, clock, outbox, settings, publicUrl } = deps;
  const detail = prepareTicketDetailQueries(db);

  function changeStatus(tx: DbOrTx, ticket: Ticket, event: TicketStatusEvent, actorId: number | null, at: Date): TicketStatus {
    const to = nextStatus(ticket.status, event);
    if (to !== ticket.status) {
      insertEvent(tx, { ticketId: ticket.id, actorId, kind: 'status', fromValue: ticket.status, toValue: to, at });
    }
    return to;
  }

  function notifyAssignee(tx: DbOrTx, ticket: Ticket, customer: User, body: string, messageId: number): void {
    if (ticket.assigneeId === null || !settings.current().notifyAgents) return;
    const assignee = activeTeam(tx).find((member) => member.id === ticket.assigneeId);
    if (!assignee) return;
    outbox.enqueue(tx, {
      kind: 'agent_customer_reply', to: { address: assignee.email, name: assignee.name }, ticketId: ticket.id, ticketMessageId: messageId,
      content: customerReplyNotice(ticket, customer.name, body, `${publicUrl}/agent/requests/${ticket.id}`),
    });
  }

  return {
    /** The contact form: finds or creates the customer, opens the request, queues the acknowledgement. */
    createRequest(input: NewRequest): Ticket {
      return db.transaction((tx) => {
        const now = clock.now();
        const requester = input.requester ?? findOrCreateCustomer(tx, input.email, input.name, now);
        if (input.followUpOfId !== undefined) {
          const original = findTicket(tx, input.followUpOfId);
          if (!original || original.requesterId !== requester.id || original.status !== 'closed') throw new FollowUpNotAllowedError();
        }
        const ticket = insertTicket(tx, {
          requesterId: requester.id, subject: input.subject, status: 'new', channel: 'web',
          createdAt: now, lastActivityAt: now, lastPublicBy: 'customer', followUpOfId: input.followUpOfId ?? null,
        });
        insertMessage(tx, { ticketId: ticket.id, authorId: requester.id, visibility: 'public', body: input.description, channel: 'web', createdAt: now });
        insertEvent(tx, { ticketId: ticket.id, actorId: requester.id, kind: 'created', toValue: 'new', at: now });
        if (input.followUpOfId !== undefined) {
          insertEvent(tx, { ticketId: input.followUpOfId, actorId: requester.id, kind: 'follow_up', toValue: String(ticket.id), at: now });
        }
        const current = settings.current();
        if (current.notifyAgents) {
          for (const member of activeTeam(tx)) {
            outbox.enqueue(tx, {
              kind: 'agent_new_request', to: { address: member.email, name: member.name }, ticketId: ticket.id,
              content: newRequestNotice(ticket, requester.name, `${publicUrl}/agent/requests/${ticket.id}`),
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
          ),
        });
        return ticket;
      }, { behavior: 'immediate' });
    },

    /** One page of "Meine Aktivitäten" and the cursor of the next, if there is one. */
    listForCustomer(user: User, options: { filter?: CustomerStatusFilter; search?: string; after?: ListCursor }) {
      const rows = listTicketsOfRequester(db, {
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
      const found = detail.ticket(id);
      if (!found || !canViewInPortal(user, found.ticket)) return undefined;
      return { ...found, messages: detail.publicMessages(id), followUps: detail.followUps(id) };
    },

    /** An answer in the portal, the solved checkbox, or both. A closed request takes neither. */
    customerReplies(user: User, ticketId: number, reply: { body: string; markSolved: boolean }): 'replied' | 'solved' | 'closed' {
      return db.transaction((tx) => {
        const ticket = findTicket(tx, ticketId);
        if (!ticket || !canViewInPortal(user, ticket)) throw new Error(`ticket ${ticketId} not visible to user ${user.id}`);
        if (ticket.status === 'closed') return 'closed';
        const now = clock.now();
        const changes: Partial<Ticket> = { lastActivityAt: now };
        if (reply.body) {
          const message = insertMessage(tx, { ticketId, authorId: user.id, visibility: 'public', body: reply.body, channel: 'web', createdAt: now });
          changes.lastPublicBy = 'customer';
          notifyAssignee(tx, ticket, user, reply.body, message.id);
        }
        const status = changeStatus(tx, ticket, reply.markSolved ? 'customer_solves' : 'customer_replies', user.id, now);
        changes.status = status;
        if (reply.markSolved) {
          const stillAsks = looksLikeQuestion(reply.body || lastCustomerMessage(tx, ticketId, user.id));
          Object.assign(changes, { solvedAt: now, solvedByCustomer: true, solvedWithQuestion: stillAsks, reviewedAt: null, reviewedById: null });
        }
        updateTicket(tx, ticketId, changes);
        return reply.markSolved ? 'solved' : 'replied';
      }, { behavior: 'immediate' });
    },

    /** The original of a follow-up, if the customer may link to it. */
    findClosedForFollowUp(user: User, id: number): Ticket | undefined {
      const ticket = findTicket(db, id);
      return ticket && canViewInPortal(user, ticket) && ticket.status === 'closed' ? ticket : undefined;
    },
  };
}
