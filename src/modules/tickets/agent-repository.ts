// SQL for the agent area: the view lists and their counts, one request with everything agents see, search.
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { literalLimit } from '../../db/literal-limit.js';
import { outbox, ticketEvents, ticketMessages, tickets, users } from '../../db/schema.js';
import { type AgentViewKey, viewCountCap } from './agent-views.js';

export type ViewCursor = { flagged?: boolean; lastActivityAt: number; id: number };
/** "Fällig": the answer due first on top, requests that owe nothing last (see tickets.due_order). */
export type DueCursor = { dueOrder: number; id: number };

const requester = alias(users, 'requester');
const assignee = alias(users, 'assignee');

/** Each view is one index range: see the indexes on tickets in src/db/schema.ts. The agent is a placeholder, so one prepared query serves everyone. */
function viewCondition(key: AgentViewKey): SQL {
  switch (key) {
    case 'nicht-zugewiesen': return and(eq(tickets.todo, true), isNull(tickets.assigneeId))!;
    case 'meine': return and(eq(tickets.todo, true), eq(tickets.assigneeId, sql.placeholder('userId')))!;
    case 'alle-offenen': return eq(tickets.agentView, 'open');
    case 'wartet': return eq(tickets.agentView, 'pending');
    case 'wartestellung': return eq(tickets.agentView, 'on_hold');
    case 'kuerzlich-geloest': return eq(tickets.agentView, 'solved');
    case 'spam': return eq(tickets.agentView, 'spam');
    // Spam is in no view but its own, the review queue included.
    case 'zu-pruefen': return sql`${tickets.solvedByCustomer} = 1 and ${tickets.reviewedAt} is null and ${tickets.spamAt} is null`;
  }
}

/** The rows after the cursor in the view's order; a row value lets SQLite seek there in the index, where an OR reads every earlier page. */
function afterCursor(key: AgentViewKey): SQL {
  const at = sql.placeholder('afterAt');
  const id = sql.placeholder('afterId');
  if (key !== 'zu-pruefen') return sql`(${tickets.lastActivityAt}, ${tickets.id}) < (${at}, ${id})`;
  return sql`(${tickets.solvedWithQuestion}, ${tickets.lastActivityAt}, ${tickets.id}) < (${sql.placeholder('flagged')}, ${at}, ${id})`;
}

/** What a view's table shows of each request, with the names of requester and assignee. */
function selectViewRows(db: DbOrTx) {
  return db
    .select({
      id: tickets.id, subject: tickets.subject, status: tickets.status, priority: tickets.priority,
      lastActivityAt: tickets.lastActivityAt, lastPublicBy: tickets.lastPublicBy,
      solvedWithQuestion: tickets.solvedWithQuestion, replyDueAt: tickets.replyDueAt, dueOrder: tickets.dueOrder,
      requesterName: requester.name, requesterEmail: requester.email, assigneeName: assignee.name,
    })
    .from(tickets)
    .innerJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId));
}

/**
 * The views' pages and their capped counts. Every agent page shows all counts, so building and preparing these queries
 * per request cost a third of the page: each is prepared on first use (a view's first and later pages separately) and kept.
 */
export function prepareAgentViewQueries(db: DbOrTx) {
  const buildList = (key: AgentViewKey, paged: boolean, limit: number) => compiledRows(selectViewRows(db)
    .where(paged ? and(viewCondition(key), afterCursor(key)) : viewCondition(key))
    .orderBy(...(key === 'zu-pruefen'
      ? [desc(tickets.solvedWithQuestion), desc(tickets.lastActivityAt), desc(tickets.id)]
      : [desc(tickets.lastActivityAt), desc(tickets.id)]))
    .limit(literalLimit(limit))
    .prepare());
  // Counts at most viewCountCap rows of one view, reading the index only.
  const buildCount = (key: AgentViewKey) => {
    const capped = db.select({ one: sql`1` }).from(tickets).where(viewCondition(key)).limit(literalLimit(viewCountCap)).as('capped');
    return db.select({ count: sql<number>`count(*)` }).from(capped).prepare();
  };
  const lists = new Map<string, ReturnType<typeof buildList>>();
  const counts = new Map<AgentViewKey, ReturnType<typeof buildCount>>();
  return {
    list(key: AgentViewKey, userId: number, cursor: ViewCursor | undefined, limit: number) {
      const shape = `${key}|${cursor !== undefined}|${limit}`;
      let statement = lists.get(shape);
      if (!statement) lists.set(shape, (statement = buildList(key, cursor !== undefined, limit)));
      return statement.all({ userId, afterAt: cursor?.lastActivityAt, afterId: cursor?.id, flagged: cursor?.flagged ? 1 : 0 });
    },
    count(key: AgentViewKey, userId: number): number {
      let statement = counts.get(key);
      if (!statement) counts.set(key, (statement = buildCount(key)));
      return statement.get({ userId })?.count ?? 0;
    },
  };
}

/** One page of a view without keeping the prepared statement (the service keeps its own). */
export function listView(db: DbOrTx, key: AgentViewKey, userId: number, cursor: ViewCursor | undefined, limit: number) {
  return prepareAgentViewQueries(db).list(key, userId, cursor, limit);
}

export type ViewRow = ReturnType<typeof listView>[number];

export function countView(db: DbOrTx, key: AgentViewKey, userId: number): number {
  return prepareAgentViewQueries(db).count(key, userId);
}

export function findTicketForAgent(db: DbOrTx, id: number) {
  return db
    .select({ ticket: tickets, requester, assigneeName: assignee.name })
    .from(tickets)
    .innerJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .where(eq(tickets.id, id))
    .get();
}

export function messagesForAgent(db: DbOrTx, ticketId: number) {
  return db
    .select({
      id: ticketMessages.id, body: ticketMessages.body, visibility: ticketMessages.visibility, channel: ticketMessages.channel,
      createdAt: ticketMessages.createdAt, authorId: ticketMessages.authorId, authorName: users.name, authorRole: users.role,
      // Inbound mail: the stored mail behind the message, whether the mail quoted more than was kept, and the DMARC flag.
      inboundMailId: ticketMessages.inboundMailId, suspicious: ticketMessages.suspicious,
      hasQuotedText: sql<number>`${ticketMessages.bodyFull} is not null and ${ticketMessages.bodyFull} <> ${ticketMessages.body}`.mapWith(Boolean),
    })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorId))
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
}

export function eventsForAgent(db: DbOrTx, ticketId: number) {
  return db
    .select({ id: ticketEvents.id, kind: ticketEvents.kind, fromValue: ticketEvents.fromValue, toValue: ticketEvents.toValue, at: ticketEvents.at, actorName: users.name })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.at), asc(ticketEvents.id))
    .all();
}

export function otherRequestsOf(db: DbOrTx, requesterId: number, exceptId: number, limit = 10) {
  return db
    .select({ id: tickets.id, subject: tickets.subject, status: tickets.status, lastActivityAt: tickets.lastActivityAt })
    .from(tickets)
    .where(and(eq(tickets.requesterId, requesterId), ne(tickets.id, exceptId)))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(limit)
    .all();
}

export function latestMessageId(db: DbOrTx, ticketId: number): number {
  const row = db.select({ id: sql<number | null>`max(${ticketMessages.id})` }).from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).get();
  return row?.id ?? 0;
}

export function messagesAfter(db: DbOrTx, ticketId: number, afterId: number) {
  return db.select({ id: ticketMessages.id, authorId: ticketMessages.authorId }).from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), gt(ticketMessages.id, afterId))).all();
}

/** Everyone who may be assigned a request: the active team, by name. */
export function activeTeam(db: DbOrTx) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(sql`${users.role} <> 'customer'`, isNull(users.disabledAt)))
    .orderBy(asc(users.role), asc(users.name))
    .all();
}

export function failedMailsOfTicket(db: DbOrTx, ticketId: number) {
  return db.select({ id: outbox.id, ticketMessageId: outbox.ticketMessageId, lastError: outbox.lastError, subject: outbox.subject, createdAt: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.ticketId, ticketId), inArray(outbox.status, ['failed'])))
    .all();
}

export function findUserIdByEmail(db: Db, email: string): number | undefined {
  return db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).get()?.id;
}

/** A view with the answer due first, requests that owe nothing last: one index range like the others (tickets_*_due_idx). */
export function prepareDueViewQueries(db: DbOrTx) {
  const build = (key: AgentViewKey, paged: boolean, limit: number) => compiledRows(selectViewRows(db)
    .where(paged
      ? and(viewCondition(key), sql`(${tickets.dueOrder}, ${tickets.id}) > (${sql.placeholder('afterDue')}, ${sql.placeholder('afterId')})`)
      : viewCondition(key))
    .orderBy(asc(tickets.dueOrder), asc(tickets.id))
    .limit(literalLimit(limit))
    .prepare());
  const lists = new Map<string, ReturnType<typeof build>>();
  return {
    list(key: AgentViewKey, userId: number, cursor: DueCursor | undefined, limit: number) {
      const shape = `${key}|${cursor !== undefined}|${limit}`;
      let statement = lists.get(shape);
      if (!statement) lists.set(shape, (statement = build(key, cursor !== undefined, limit)));
      return statement.all({ userId, afterDue: cursor?.dueOrder, afterId: cursor?.id });
    },
  };
}

/** The follow-up requests that link to this one. */
export function followUpsOf(db: DbOrTx, ticketId: number) {
  return db.select({ id: tickets.id, subject: tickets.subject, status: tickets.status }).from(tickets)
    .where(eq(tickets.followUpOfId, ticketId)).orderBy(asc(tickets.id)).all();
}

/** Takes an agent off every request that still needs work (the "Meine" view's rows) and returns their ids. */
export function unassignOpenTicketsOf(db: DbOrTx, agentId: number): number[] {
  return db.update(tickets).set({ assigneeId: null })
    .where(and(eq(tickets.todo, true), eq(tickets.assigneeId, agentId)))
    .returning({ id: tickets.id }).all().map((row) => row.id);
}
