// SQL for requests, their messages and their events.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { literalLimit } from '../../db/literal-limit.js';
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

/**
 * "Meine Aktivitäten": newest activity first, served by (requester_id, last_activity_at, id). The query has a few shapes
 * (status filter, subject search, later page); each is prepared on first use and reused, since building and preparing
 * it anew cost about a tenth of the page.
 */
export function prepareCustomerListQuery(db: DbOrTx) {
  type Shape = { statuses?: readonly TicketStatus[]; search: boolean; after: boolean; limit: number };
  const build = (shape: Shape) => {
    const conditions = [eq(tickets.requesterId, sql.placeholder('requesterId'))];
    // The statuses come from the fixed filters, so they are part of the shape rather than parameters.
    if (shape.statuses) conditions.push(inArray(tickets.status, [...shape.statuses]));
    // SQLite's LIKE has no escape character unless one is named, so `%` and `_` would stay wildcards without ESCAPE.
    if (shape.search) conditions.push(sql`${tickets.subject} like ${sql.placeholder('pattern')} escape '\\'`);
    // A row value lets SQLite seek to the cursor in the index; the same condition written with OR reads every earlier page.
    if (shape.after) conditions.push(sql`(${tickets.lastActivityAt}, ${tickets.id}) < (${sql.placeholder('afterAt')}, ${sql.placeholder('afterId')})`);
    return compiledRows(db
      .select({ id: tickets.id, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt, lastActivityAt: tickets.lastActivityAt })
      .from(tickets)
      .where(and(...conditions))
      .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
      .limit(literalLimit(shape.limit))
      .prepare());
  };
  const prepared = new Map<string, ReturnType<typeof build>>();
  return (query: CustomerListQuery) => {
    const shape: Shape = { statuses: query.statuses, search: Boolean(query.subjectContains), after: query.after !== undefined, limit: query.limit };
    const key = `${shape.statuses?.join(',') ?? '*'}|${shape.search}|${shape.after}|${shape.limit}`;
    let statement = prepared.get(key);
    if (!statement) prepared.set(key, (statement = build(shape)));
    return statement.all({
      requesterId: query.requesterId,
      pattern: query.subjectContains ? `%${escapeLike(query.subjectContains)}%` : undefined,
      afterAt: query.after?.lastActivityAt,
      afterId: query.after?.id,
    });
  };
}

/** One page of "Meine Aktivitäten" without keeping the prepared statement (the service keeps its own). */
export function listTicketsOfRequester(db: DbOrTx, query: CustomerListQuery) {
  return prepareCustomerListQuery(db)(query);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** One request with the names the side panel shows. */
export function prepareTicketDetailQueries(db: Db) {
  const assignee = alias(users, 'assignee');
  // What the customer's page shows and who may see it: every column of the row would be twice the values to build.
  const ticketQuery = compiledRows(db
    .select({
      ticket: {
        id: tickets.id, requesterId: tickets.requesterId, subject: tickets.subject, status: tickets.status,
        channel: tickets.channel, createdAt: tickets.createdAt, lastActivityAt: tickets.lastActivityAt,
        followUpOfId: tickets.followUpOfId,
      },
      assigneeName: assignee.name,
    })
    .from(tickets)
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare());
  const publicMessagesQuery = compiledRows(db
    .select({
      id: ticketMessages.id, body: ticketMessages.body, createdAt: ticketMessages.createdAt, authorId: ticketMessages.authorId,
      // An answer by mail keeps its whole text, quotes included, beside the trimmed one; only when they differ.
      fullText: sql<string | null>`case when ${ticketMessages.bodyFull} <> ${ticketMessages.body} then ${ticketMessages.bodyFull} end`,
    })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, sql.placeholder('ticketId')), eq(ticketMessages.visibility, 'public')))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .prepare());
  const authorsQuery = compiledRows(db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(sql`${users.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .prepare());
  /** A thread has a handful of authors and up to hundreds of messages: each author is read once, not joined to every message. */
  function publicMessages(ticketId: number) {
    const rows = publicMessagesQuery.all({ ticketId });
    const authorIds = new Set<number>();
    for (const row of rows) if (row.authorId !== null) authorIds.add(row.authorId);
    const authors = new Map(authorsQuery.all({ ids: JSON.stringify([...authorIds]) }).map((author) => [author.id, author]));
    return rows.map((row) => ({
      id: row.id, body: row.body, createdAt: row.createdAt, fullText: row.fullText,
      // The messages of one author share one object; null for a message without an author.
      author: (row.authorId === null ? undefined : authors.get(row.authorId)) ?? null,
    }));
  }
  const followUpsQuery = compiledRows(db
    .select({ id: tickets.id, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.followUpOfId, sql.placeholder('id')))
    .orderBy(asc(tickets.id))
    .prepare());
  return {
    ticket: (id: number) => ticketQuery.get({ id }),
    publicMessages,
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
