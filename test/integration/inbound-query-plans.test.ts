// EXPLAIN QUERY PLAN of every inbound query that runs per mail or per page: by index, never a whole table, never a sort.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import {
  countMailsFromSender, findStoredDuplicate, isOurSentMessageId, listMailsNeedingAttention, listRecentMails, markSentMailUndeliverable,
  messageOfInboundMail, newestMessageId, ticketOfReceivedMail, ticketOfSentMail, unprocessedMailIds,
} from '../../src/modules/inbound/inbound-repository.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

/** The plan of every statement the function runs, inside a transaction that is rolled back (some of them write). */
function plansOf(run: (db: Db) => unknown): string[] {
  const queries: Array<{ sql: string; params: unknown[] }> = [];
  const db = drizzle(t.db.$client, { schema, logger: { logQuery: (sql, params) => queries.push({ sql, params }) } }) as Db;
  t.db.$client.exec('BEGIN');
  try {
    run(db);
  } finally {
    t.db.$client.exec('ROLLBACK');
  }
  expect(queries.length).toBeGreaterThan(0);
  return queries.flatMap((query) => (t.db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>)
    .map((row) => row.detail));
}

/** A whole-table read or a temporary sort grows with every mail ever received. */
function problems(plan: string[]): string[] {
  return plan.filter((line) => line.includes('USE TEMP B-TREE') || (/^SCAN /.test(line) && !/USING (?:COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line)));
}

test('the latest mails walk the primary key backwards and stop at the limit', () => {
  const queries: string[] = [];
  const db = drizzle(t.db.$client, { schema, logger: { logQuery: (sql) => queries.push(sql) } }) as Db;
  listRecentMails(db, 50);
  expect(queries[0]).toMatch(/order by "inbound_mails"\."id" desc limit \?$/);
  expect(plansOf((plain) => listRecentMails(plain, 50))).toEqual(['SCAN inbound_mails']);
});

const now = new Date('2026-11-30T09:00:00Z');

test.each([
  ['duplicate check by hash and Message-ID', (db: Db) => findStoredDuplicate(db, 'a'.repeat(64), '<x@example.org>')],
  ['duplicate check by hash alone', (db: Db) => findStoredDuplicate(db, 'a'.repeat(64), null)],
  ['mails of one sender in the last hour', (db: Db) => countMailsFromSender(db, 'x@example.org', now, 1)],
  ['mails left for the sweep', (db: Db) => unprocessedMailIds(db, now, 50)],
  ['quarantine and failed mails', (db: Db) => listMailsNeedingAttention(db, 200)],
  ['our sent mail by Message-ID', (db: Db) => ticketOfSentMail(db, '<x@portal.example.test>')],
  ['our own Message-ID coming back', (db: Db) => isOurSentMessageId(db, '<x@portal.example.test>')],
  ['a received mail by Message-ID', (db: Db) => ticketOfReceivedMail(db, '<x@example.org>')],
  ['the message a mail became', (db: Db) => messageOfInboundMail(db, 1, 1)],
  ['the newest message of a request', (db: Db) => newestMessageId(db, 1)],
  ['a bounce marking our mail', (db: Db) => markSentMailUndeliverable(db, '<x@portal.example.test>', 'Unzustellbar')],
])('%s', (_name, run) => {
  expect(problems(plansOf(run))).toEqual([]);
});
