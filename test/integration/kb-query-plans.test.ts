// EXPLAIN QUERY PLAN of the Wissensdatenbank's list queries: read by index, in the order shown, never a whole table or a sort.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import * as repo from '../../src/modules/kb/kb-repository.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

type Query = { sql: string; params: unknown[] };

/** Every statement that a repository function runs, written down by a drizzle instance on the test database. */
function queriesOf(run: (db: Db) => unknown): Query[] {
  const queries: Query[] = [];
  const db = drizzle(t.db.$client, { schema, logger: { logQuery: (sql, params) => queries.push({ sql, params }) } });
  run(db as Db);
  if (queries.length === 0) throw new Error('the function ran no query');
  return queries;
}

function planOf(query: Query): string[] {
  const rows = t.db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.params as unknown[])) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/** A sort in a temporary b-tree, or a scan of a table without an index: what makes a list slow as the tables grow. */
function problemsIn(plan: string[]): string[] {
  return plan.filter((line) => line.includes('USE TEMP B-TREE') || (/^SCAN kb_/.test(line) && !/USING (COVERING )?INDEX/.test(line)));
}

const cases: Record<string, (db: Db) => unknown> = {
  'a section page': (db) => repo.listPublishedInSection(db, 1, { title: 'M', id: 5 }, 51),
  'a category page': (db) => repo.listFirstPublishedOfSections(db, [1, 2, 3], 7),
  'the agents\' list': (db) => repo.listArticlesForAgents(db, { limit: 51 }),
  'the agents\' list by status, next page': (db) => repo.listArticlesForAgents(db, { status: 'draft', after: { updatedAt: 5, id: 3 }, limit: 51 }),
  'comment counts of a list page': (db) => repo.countVisibleComments(db, [1, 2]),
  'vote counts of a list page': (db) => repo.voteCounts(db, [1, 2]),
  'the moderation list': (db) => repo.listCommentsForModeration(db, { after: { createdAt: 5, id: 3 }, limit: 21 }),
  'the moderation list of one article': (db) => repo.listCommentsForModeration(db, { articleId: 3, limit: 21 }),
  'the comment rate limit': (db) => repo.countCommentsAfter(db, 1, new Date()),
  'the sections readers see': (db) => repo.sectionsWithPublishedArticles(db),
};

test.each(Object.entries(cases))('%s', (_name, run) => {
  for (const query of queriesOf(run)) expect(problemsIn(planOf(query)), planOf(query).join('\n')).toEqual([]);
});

test('an article page: comments, their number and the votes each by index', () => {
  const queries = repo.prepareArticlePageQueries(t.db, 200);
  const statements: Query[] = [];
  const logged = drizzle(t.db.$client, { schema, logger: { logQuery: (sql, params) => statements.push({ sql, params }) } });
  const prepared = repo.prepareArticlePageQueries(logged as Db, 200);
  prepared.comments(1);
  prepared.commentCount(1);
  prepared.votes(1);
  prepared.vote(1, 'user:1');
  expect(statements).toHaveLength(4);
  for (const statement of statements) {
    const plan = planOf(statement);
    expect(problemsIn(plan), plan.join('\n')).toEqual([]);
    expect(plan[0], plan.join('\n')).toMatch(/^SEARCH kb_(comments|votes) USING (COVERING )?INDEX/);
  }
  expect(queries.commentCount(1)).toBe(0);
});

test('search reads ten articles by id, not every published one', () => {
  const statements: string[] = [];
  const original = t.db.$client.prepare.bind(t.db.$client);
  const client = Object.create(t.db.$client, { prepare: { value: (source: string) => { statements.push(source); return original(source); } } });
  repo.prepareSearchQueries({ ...t.db, $client: client } as Db, { candidates: 200, wordsPerPrefix: 13 });
  const hits = statements.find((source) => source.includes('json_each'))!;
  const plan = planOf({ sql: hits, params: ['[1,2,3]'] });
  expect(plan[0]).toBe('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
});
