// SQL for requests, their messages and their events.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.js';
import {
  type Ticket, type TicketChannel, type TicketStatus, type MessageVisibility, ticketEvents, ticketMessages, tickets, users,
} from '../../db/schema.js';

export type ListCursor = { lastActivityAt: number; id: number };

export function insertTicket(db: DbOrTx, ticket: typeof tickets.$inferInsert): Ticket {
  return db.insert(tickets).values(ticket).returning().get();
}

export function updateTicket(db: DbOrTx, id: number, changes: Partial<typeof tickets.$inferInsert>): void {
  db.update(tickets).set(changes).where(eq(tickets.id, id)).run();
}

export function findTicket(db: DbOrTx, id: number): Ticket | undefined {
  return db.select().from(tickets).where(eq(tickets.id, id)).get();
}

export function insertMessage(
  db: DbOrTx,
  message: { ticketId: number; authorId: number | null; visibility: MessageVisibility; body: string; channel: TicketChannel; createdAt: Date },
) {
  return db.insert(ticketMessages).values(message).returning().get();
}

export function insertEvent(
  db: DbOrTx,
  event: { ticketId: number; actorId: number | null; kind: string; fromValue?: string | null; toValue?: string | null; at: Date },
): void {
  db.insert(ticketEvents).values(event).run();
}

export type CustomerListQuery = {
  requesterId: number;
  statuses?: readonly TicketStatus[];
  subjectContains?: string;
  after?: ListCursor;
  limit: number;
};

/** "Meine Aktivitäten": newest activity first, served by (requester_id, last_activity_at, id). */
export function listTicketsOfRequester(db: DbOrTx, query: CustomerListQuery) {
  const conditions = [eq(tickets.requesterId, query.requesterId)];
  if (query.statuses) conditions.push(inArray(tickets.status, [...query.statuses]));
  // SQLite's LIKE has no escape character unless one is named, so `%` and `_` would stay wildcards without ESCAPE.
  if (query.subjectContains) conditions.push(sql`${tickets.subject} like ${`%${escapeLike(query.subjectContains)}%`} escape '\\'`);
  if (query.after) {
    // A row value lets SQLite seek to the cursor in the index; the same condition written with OR reads every earlier page.
    const at = sql.param(new Date(query.after.lastActivityAt), tickets.lastActivityAt);
    conditions.push(sql`(${tickets.lastActivityAt}, ${tickets.id}) < (${at}, ${query.after.id})`);
  }
  return db
    .select({ id: tickets.id, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt, lastActivityAt: tickets.lastActivityAt })
    .from(tickets)
    .where(and(...conditions))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(query.limit)
    .all();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** One request with the names the side panel shows. */
export function prepareTicketDetailQueries(db: Db) {
  const assignee = alias(users, 'assignee');
  const requester = alias(users, 'requester');
  const ticketQuery = db
    .select({ ticket: tickets, requesterName: requester.name, requesterEmail: requester.email, assigneeName: assignee.name })
    .from(tickets)
    .innerJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare();
  const publicMessagesQuery = db
    .select({
      id: ticketMessages.id, body: ticketMessages.body, createdAt: ticketMessages.createdAt, channel: ticketMessages.channel,
      authorId: ticketMessages.authorId, authorName: users.name, authorRole: users.role,
    })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorId))
    .where(and(eq(ticketMessages.ticketId, sql.placeholder('ticketId')), eq(ticketMessages.visibility, 'public')))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .prepare();
  const followUpsQuery = db
    .select({ id: tickets.id, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.followUpOfId, sql.placeholder('id')))
    .orderBy(asc(tickets.id))
    .prepare();
  return {
    ticket: (id: number) => ticketQuery.get({ id }),
    publicMessages: (ticketId: number) => publicMessagesQuery.all({ ticketId }),
    followUps: (id: number) => followUpsQuery.all({ id }),
  };
}

export type PublicMessage = ReturnType<ReturnType<typeof prepareTicketDetailQueries>['publicMessages']>[number];

/** The body of the requester's newest message, or "" when there is none. */
export function lastCustomerMessage(db: DbOrTx, ticketId: number, requesterId: number): string {
  return db.select({ body: ticketMessages.body }).from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.authorId, requesterId)))
    .orderBy(desc(ticketMessages.id)).limit(1).get()?.body ?? '';
}
