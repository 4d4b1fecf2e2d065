// EXPLAIN QUERY PLAN of the list queries (agent views and their counts, "Meine Aktivitäten", search): read by index, in order, never the whole table.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import {
  activeTeam, countView, eventsForAgent, failedMailsOfTicket, findTicketForAgent, latestMessageId, listView, messagesAfter, messagesForAgent,
  otherRequestsOf,
} from '../../src/modules/tickets/agent-repository.js';
import { agentPageSize } from '../../src/modules/tickets/agent-tickets-service.js';
import { agentViews, viewCountCap } from '../../src/modules/tickets/agent-views.js';
import { rawMailsReceivedBefore, sentMailsWithTextBefore } from '../../src/modules/privacy/privacy-repository.js';
import { deleteExpiredSessions } from '../../src/modules/users/sessions-repository.js';
import { prepareWordsStarting, searchMessages, searchWords, toFtsQuery } from '../../src/modules/tickets/ticket-search.js';
import { listTicketsOfRequester, prepareTicketDetailQueries } from '../../src/modules/tickets/tickets-repository.js';
import { customerListPageSize } from '../../src/modules/tickets/tickets-service.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let partialIndexes: Set<string>;
beforeAll(async () => {
  t = await testApp();
  const indexes = t.db.$client.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
  partialIndexes = new Set(indexes.filter((index) => /\sWHERE\s/i.test(index.sql)).map((index) => index.name));
});
afterAll(async () => { await t.close(); });

type Query = { sql: string; params: unknown[] };

/** Runs repository functions against the test database through a drizzle instance that writes down every statement. */
function queriesOf(run: (db: Db) => unknown): Query[] {
  const queries: Query[] = [];
  const db = drizzle(t.db.$client, { schema, logger: { logQuery: (sql, params) => queries.push({ sql, params }) } });
  run(db);
  if (queries.length === 0) throw new Error('the function ran no query');
  return queries;
}

function onlyQueryOf(run: (db: Db) => unknown): Query {
  const queries = queriesOf(run);
  if (queries.length !== 1) throw new Error(`expected one query, got ${queries.length}`);
  return queries[0]!;
}

function planOf(query: Query): string[] {
  const rows = t.db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.params as unknown[])) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/**
 * What makes a list slow as the tables grow: reading a whole table (or a whole index that is not partial) and sorting
 * in a temporary b-tree. Subqueries that the plan itself builds (the capped counts) are read whole by design.
 */
function problemsIn(plan: string[]): string[] {
  const ownSubqueries = new Set(plan.flatMap((line) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(line)?.[1] ?? []));
  return plan.filter((line) => {
    if (line.includes('USE TEMP B-TREE')) return true;
    const scan = /^SCAN (\S+)(.*)$/.exec(line);
    if (!scan || ownSubqueries.has(scan[1]!)) return false;
    if (/VIRTUAL TABLE INDEX \d+:M/.test(scan[2]!)) return false;
    // A list of ids passed as one JSON parameter is as long as the caller made it.
    if (scan[1] === 'json_each') return false;
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(scan[2]!)?.[1];
    return index === undefined || !partialIndexes.has(index);
  });
}

function expectServedByIndex(query: Query, table = 'tickets') {
  const plan = planOf(query);
  const context = `${query.sql}\n  ${plan.join('\n  ')}`;
  expect(problemsIn(plan), context).toEqual([]);
  const readsByIndex = plan.some((line) =>
    new RegExp(`^(?:SEARCH|SCAN) ${table} USING (?:COVERING )?INDEX `).test(line) || new RegExp(`^(?:SEARCH|SCAN) ${table} USING INTEGER PRIMARY KEY`).test(line)
    || /^SCAN ticket_search VIRTUAL TABLE INDEX \d+:M/.test(line));
  expect(readsByIndex, `no index read on ${table}:\n${context}`).toBe(true);
  return plan;
}

/** A later page must start at the cursor inside the index, not read and skip every row of the pages before it. */
function expectSeekToCursor(plan: string[]) {
  const seek = plan.find((line) => /^SEARCH tickets USING (?:COVERING )?INDEX \S+ \(.*<\(?\?/.test(line));
  expect(seek, `the cursor is not part of the index range:\n  ${plan.join('\n  ')}`).toBeDefined();
}

const limit = agentPageSize + 1;
const userId = 1;

describe('agent views', () => {
  for (const view of agentViews) {
    test(`"${view.label}": the first page reads its index range in order`, () => {
      expectServedByIndex(onlyQueryOf((db) => listView(db, view.key, userId, undefined, limit)));
    });

    test(`"${view.label}": a later page seeks to the cursor`, () => {
      const cursor = { flagged: view.key === 'zu-pruefen' ? true : undefined, lastActivityAt: Date.UTC(2026, 10, 30), id: 500 };
      const plan = expectServedByIndex(onlyQueryOf((db) => listView(db, view.key, userId, cursor, limit)));
      expectSeekToCursor(plan);
    });

    test(`"${view.label}": the navigation count reads the index only as far as the cap`, () => {
      const query = onlyQueryOf((db) => countView(db, view.key, userId));
      expectServedByIndex(query);
      expect(query.sql).toContain(`limit ${viewCountCap})`);
    });
  }
});

describe('"Meine Aktivitäten"', () => {
  const variants = {
    'all requests': {},
    'a status filter': { statuses: ['new', 'open', 'on_hold'] as const },
    'a subject search': { subjectContains: 'Lok' },
  };
  for (const [name, variant] of Object.entries(variants)) {
    test(`with ${name}: by (requester, last activity, id), first and later pages`, () => {
      expectServedByIndex(onlyQueryOf((db) => listTicketsOfRequester(db, { requesterId: userId, limit: customerListPageSize + 1, ...variant })));
      const later = onlyQueryOf((db) => listTicketsOfRequester(db, {
        requesterId: userId, limit: customerListPageSize + 1, after: { lastActivityAt: Date.UTC(2026, 10, 30), id: 500 }, ...variant,
      }));
      expectSeekToCursor(expectServedByIndex(later));
    });
  }
});

describe('agent search', () => {
  test('reads the FTS table newest first, then each hit by primary key, first and later pages', () => {
    const fts = toFtsQuery(searchWords('Lok Wagen'), prepareWordsStarting(t.db))!;
    for (const before of [undefined, 500]) {
      const plan = expectServedByIndex(onlyQueryOf((db) => searchMessages(db, fts, before, limit)), 't');
      expect(plan[0]).toMatch(/^SCAN ticket_search VIRTUAL TABLE INDEX \d+:M/);
    }
  });

  test('turns a typed word into the indexed words it starts with one range of the word table', () => {
    const statements: string[] = [];
    const client = t.db.$client;
    const wordsStarting = prepareWordsStarting({ $client: { prepare: (text: string) => { statements.push(text); return client.prepare(text); } } } as unknown as Db);
    wordsStarting('lok');
    expect(statements).toHaveLength(1);
    const plan = client.prepare(`EXPLAIN QUERY PLAN ${statements[0]}`).all('lok', 'lok\u{10FFFF}') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail)).toEqual(['SEARCH ticket_search_terms USING PRIMARY KEY (term>? AND term<?)']);
  });
});

describe('the agent request page', () => {
  test('reads the request, its thread, events, failed mails and the requester\'s other requests by index', () => {
    const reads: Array<[string, (db: Db) => unknown]> = [
      ['tickets', (db) => findTicketForAgent(db, 1)],
      ['ticket_messages', (db) => messagesForAgent(db, 1)],
      ['ticket_events', (db) => eventsForAgent(db, 1)],
      ['tickets', (db) => otherRequestsOf(db, 1, 2)],
      ['ticket_messages', (db) => latestMessageId(db, 1)],
      ['ticket_messages', (db) => messagesAfter(db, 1, 2)],
      ['outbox', (db) => failedMailsOfTicket(db, 1)],
      ['users', (db) => activeTeam(db)],
    ];
    for (const [table, read] of reads) expectServedByIndex(onlyQueryOf(read), table);
  });
});

describe('the customer\'s request page', () => {
  test('reads the public thread by index and its few authors by primary key', () => {
    const [thread, authors, ...more] = queriesOf((db) => prepareTicketDetailQueries(db).publicMessages(1));
    expect(more).toEqual([]);
    expectServedByIndex(thread!, 'ticket_messages');
    const plan = expectServedByIndex(authors!, 'users');
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH users USING INTEGER PRIMARY KEY/));
  });
});

describe('retention sweeps', () => {
  // The planner would rather take the equality on status in outbox_due_idx / inbound_mails_status_idx: every mail ever.
  test('read only their partial index, oldest first, without sorting', () => {
    const before = new Date('2026-11-01T00:00:00Z');
    const sent = expectServedByIndex(onlyQueryOf((db) => sentMailsWithTextBefore(db, before, 200)), 'outbox');
    expect(sent).toEqual(['SEARCH outbox USING INDEX outbox_retention_idx (sent_at<?)']);
    const received = expectServedByIndex(onlyQueryOf((db) => rawMailsReceivedBefore(db, before, 200)), 'inbound_mails');
    expect(received).toEqual(['SEARCH inbound_mails USING INDEX inbound_mails_retention_idx (received_at<?)']);
  });

  test('expired sessions are found by their first end, sessions_expiry_idx', () => {
    const plan = planOf(onlyQueryOf((db) => deleteExpiredSessions(db, new Date('2026-11-01T00:00:00Z'), 100)));
    expect(plan.join('\n')).toContain('USING INDEX sessions_expiry_idx (<expr><?)');
    expect(plan.join('\n')).not.toMatch(/SCAN sessions\b(?! USING)|TEMP B-TREE/);
  });
});
