// The rows compiledRows builds are exactly the rows drizzle builds, for every shape of select the portal uses.
import { alias } from 'drizzle-orm/sqlite-core';
import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { compiledRows } from '../../src/db/compiled-rows.js';
import { outbox, sessions, ticketMessages, tickets, users } from '../../src/db/schema.js';
import { createRequest, createUser } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let ticketId: number;
let agentId: number;

beforeAll(async () => {
  t = await testApp();
  const agent = await createUser(t, 'agentin@shop.example', { name: 'Agentin Anna', role: 'agent' });
  agentId = agent.id;
  const customer = { email: 'kundin@example.com', name: 'Karla Kundin' };
  const ticket = createRequest(t, customer, 'Lok fehlt', 'Bitte prüfen: https://example.com/bestellung');
  ticketId = ticket.id;
  createRequest(t, customer, 'Rechnung', 'Die Rechnung fehlt.');
  t.db.update(tickets).set({ assigneeId: agentId, solvedWithQuestion: true }).where(eq(tickets.id, ticketId)).run();
  t.db.insert(sessions).values({
    sid: 'ohne-konto', userId: null, data: '{}', createdAt: new Date(), idleExpiresAt: new Date(), absoluteExpiresAt: new Date(),
  }).run();
});
afterAll(() => t.close());

/** The query both ways, and proof that compiledRows did not just hand it back to drizzle. */
function bothWays<All extends unknown[], Get>(query: { all(p?: Record<string, unknown>): All; get(p?: Record<string, unknown>): Get; values(p?: Record<string, unknown>): unknown[][] }, placeholders?: Record<string, unknown>) {
  const expectedAll = query.all(placeholders);
  const expectedGet = query.get(placeholders);
  const compiled = compiledRows(query);
  const drizzleAll = vi.spyOn(query, 'all');
  const drizzleGet = vi.spyOn(query, 'get');
  const actual = { all: compiled.all(placeholders), get: compiled.get(placeholders) };
  expect(drizzleAll).not.toHaveBeenCalled();
  expect(drizzleGet).not.toHaveBeenCalled();
  drizzleAll.mockRestore();
  drizzleGet.mockRestore();
  return { expected: { all: expectedAll, get: expectedGet }, actual };
}

describe('compiledRows', () => {
  test('flat columns: numbers, text, enums, timestamps, booleans and nulls', () => {
    const query = t.db.select({ id: tickets.id, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt,
      solvedWithQuestion: tickets.solvedWithQuestion, solvedAt: tickets.solvedAt, 'a "quoted"\nkey': tickets.id }).from(tickets).orderBy(asc(tickets.id)).prepare();
    const { expected, actual } = bothWays(query);
    expect(actual).toEqual(expected);
    expect(actual.all[0]!['a "quoted"\nkey']).toBe(actual.all[0]!.id);
    expect(actual.all).toHaveLength(2);
    expect(actual.all[0]!.createdAt).toBeInstanceOf(Date);
    expect(actual.all[0]!.solvedWithQuestion).toBe(true);
  });

  test('sql fields with and without a decoder, and a left-joined column that is missing', () => {
    const assignee = alias(users, 'assignee');
    const query = t.db.select({
      id: tickets.id, assigneeName: assignee.name, messages: count(ticketMessages.id),
      firstWords: sql<string>`substr(${tickets.subject}, 1, 3)`, lastAt: sql`max(${ticketMessages.createdAt})`.mapWith(tickets.createdAt),
    }).from(tickets).leftJoin(assignee, eq(assignee.id, tickets.assigneeId)).innerJoin(ticketMessages, eq(ticketMessages.ticketId, tickets.id))
      .groupBy(tickets.id).orderBy(asc(tickets.id)).prepare();
    const { expected, actual } = bothWays(query);
    expect(actual).toEqual(expected);
    expect(actual.all.map((row) => row.assigneeName)).toEqual(['Agentin Anna', null]);
    expect(actual.all[0]!.lastAt).toBeInstanceOf(Date);
  });

  test('whole tables nested, with a left-joined table that is there and one that is not', () => {
    const query = t.db.select({ session: sessions, user: users }).from(sessions).leftJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.sid, sql.placeholder('sid'))).prepare();
    const withoutAccount = bothWays(query, { sid: 'ohne-konto' });
    expect(withoutAccount.actual).toEqual(withoutAccount.expected);
    expect(withoutAccount.actual.get?.user).toBeNull();
    expect(withoutAccount.actual.get?.session.sid).toBe('ohne-konto');

    const withAccount = t.db.select({ ticket: tickets, assignee: users, requesterName: sql<string>`'x'` }).from(tickets)
      .leftJoin(users, eq(users.id, tickets.assigneeId)).where(eq(tickets.id, sql.placeholder('id'))).prepare();
    const found = bothWays(withAccount, { id: ticketId });
    expect(found.actual).toEqual(found.expected);
    expect(found.actual.get?.assignee?.name).toBe('Agentin Anna');
    expect(Object.keys(found.actual.get!)).toEqual(Object.keys(found.expected.get!));
  });

  test('json columns, and no row at all', () => {
    const query = t.db.select({ id: outbox.id, headers: outbox.headers, attachmentIds: outbox.attachmentIds }).from(outbox)
      .where(eq(outbox.ticketId, sql.placeholder('ticketId'))).orderBy(asc(outbox.id)).prepare();
    const { expected, actual } = bothWays(query, { ticketId });
    expect(actual).toEqual(expected);
    expect(actual.all.length).toBeGreaterThan(0);
    expect(typeof actual.all[0]!.headers).toBe('object');
    const none = bothWays(query, { ticketId: -1 });
    expect(none.actual).toEqual({ all: [], get: undefined });
  });
});
