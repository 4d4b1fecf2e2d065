// Timing-free guards of the performance habits (DESIGN.md §6): no session writes on reads, templates compiled once, no N+1, hot queries prepared.
import Database from 'better-sqlite3';
import type { Eta } from 'eta';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { createRequest, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { knowledgeBase, personWithClient } from './kb-pages.js';
import { addMessage, createAgent, customerWithClient } from './request-pages.js';

// Eta compiles a template by calling its instance's compile(); this file's Eta writes down every file it compiles.
const compiledTemplates = vi.hoisted(() => [] as string[]);
vi.mock('eta', async (importOriginal) => {
  const eta = await importOriginal<typeof import('eta')>();
  class CountingEta extends eta.Eta {
    constructor(...args: ConstructorParameters<typeof eta.Eta>) {
      super(...args);
      const compile = this.compile;
      this.compile = function countingCompile(this: Eta, template, options) {
        compiledTemplates.push(options?.filepath ?? '(string)');
        return compile.call(this, template, options);
      } as typeof compile;
    }
  }
  return { ...eta, Eta: CountingEta };
});

type StatementMethod = 'run' | 'get' | 'all' | 'iterate';
const statementMethods: StatementMethod[] = ['run', 'get', 'all', 'iterate'];
const statementPrototype = Object.getPrototypeOf(new Database(':memory:').prepare('select 1')) as Record<StatementMethod, (...args: unknown[]) => unknown>;
const originalMethods = Object.fromEntries(statementMethods.map((method) => [method, statementPrototype[method]])) as typeof statementPrototype;

/** Every statement executed while recording, with its connection and whether it writes. */
const executed: Array<{ connection: Database.Database; sql: string; writes: boolean }> = [];

function recordStatements(): void {
  for (const method of statementMethods) {
    statementPrototype[method] = function recorded(this: Database.Statement, ...args: unknown[]) {
      // BEGIN and COMMIT count as writers to SQLite; the statements between them say whether anything was written.
      const transactionControl = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(this.source);
      executed.push({ connection: this.database, sql: this.source, writes: !this.reader && !transactionControl });
      return originalMethods[method].apply(this, args);
    };
  }
}

function stopRecording(): void {
  for (const method of statementMethods) statementPrototype[method] = originalMethods[method];
}

/** The statements that the app's connection executed while `run` ran. */
async function statementsOf(app: TestApp, run: () => Promise<unknown>) {
  executed.length = 0;
  await run();
  return executed.filter((statement) => statement.connection === app.db.$client).map(({ sql, writes }) => ({ sql, writes }));
}

/** How often the connection prepared a statement while `run` ran: a hot query is prepared once, not per request. */
async function preparesOf(t: TestApp, run: () => Promise<unknown>): Promise<string[]> {
  const connection = t.db.$client;
  const prepare = connection.prepare;
  const prepared: string[] = [];
  connection.prepare = function countingPrepare(this: Database.Database, source: string) {
    prepared.push(source);
    return prepare.call(this, source);
  } as typeof prepare;
  try {
    await run();
  } finally {
    connection.prepare = prepare;
  }
  return prepared;
}

async function ok(client: WebClient, url: string) {
  const response = await client.get(url);
  expect(response.statusCode, url).toBe(200);
  return response;
}

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  recordStatements();
});
afterAll(async () => {
  stopRecording();
  await t.close();
});

describe('read-only pages leave the session store alone', () => {
  test('anonymous and logged-in page views write no session row, change none, and set no session cookie', async () => {
    const { user, client: customer } = await customerWithClient(t);
    const ticket = createRequest(t, user, 'Lok fehlt');
    const agentUser = await createAgent(t);
    const agent = await loggedInClient(t, agentUser.email);
    const anonymous = new WebClient(t.app);
    const sessionTable = () => t.db.select().from(sessions).orderBy(sessions.sid).all();
    const before = sessionTable();
    expect(before.length).toBeGreaterThanOrEqual(2);

    const responses: LightMyRequestResponse[] = [];
    const statements = await statementsOf(t, async () => {
      for (const url of ['/', '/requests/new', '/login']) responses.push(await ok(anonymous, url));
      responses.push(await ok(customer, '/requests'), await ok(customer, `/requests/${ticket.id}`));
      responses.push(await ok(agent, '/agent/views/nicht-zugewiesen'));
    });

    expect(sessionTable()).toEqual(before);
    expect(statements.filter((statement) => statement.writes)).toEqual([]);
    const sessionCookies = responses.flatMap((response) => (response.cookies as Array<{ name: string }>).filter((cookie) => cookie.name === 'hp_session'));
    expect(sessionCookies).toEqual([]);
  });
});

describe('production mode compiles each template once', () => {
  test('rendering pages a second time compiles nothing', async () => {
    const production = await testApp({ env: { NODE_ENV: 'production', APP_SECRET: 'production-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent' } });
    try {
      const visitor = new WebClient(production.app);
      const pages = ['/', '/login', '/requests/new', '/gibt-es-nicht'];
      compiledTemplates.length = 0;
      for (const url of pages) await visitor.get(url);
      const firstRound = [...compiledTemplates];
      expect(firstRound.length).toBeGreaterThan(0);
      expect(new Set(firstRound).size, 'a template was compiled twice in one round').toBe(firstRound.length);

      compiledTemplates.length = 0;
      for (const url of pages) await visitor.get(url);
      expect(compiledTemplates).toEqual([]);
    } finally {
      await production.close();
    }
  });
});

describe('each page runs the same number of SQL statements however many rows it shows (no N+1)', () => {
  /** Statements of one view of the page; the page is opened once before, so first-use work (caches, preparing) is not counted. */
  async function statementCount(app: TestApp, client: WebClient, url: string): Promise<number> {
    await ok(client, url);
    return (await statementsOf(app, () => ok(client, url))).length;
  }

  test('"Meine Aktivitäten" with 3 and with 30 requests', async () => {
    const { user, client } = await customerWithClient(t);
    for (let i = 0; i < 3; i++) createRequest(t, user, `Anfrage ${i}`);
    const few = await statementCount(t, client, '/requests');
    for (let i = 3; i < 30; i++) createRequest(t, user, `Anfrage ${i}`);
    const many = await statementCount(t, client, '/requests');
    expect(many).toBe(few);
  });

  test('a request page with 3 and with 30 messages, from the customer and two agents', async () => {
    const { user, client } = await customerWithClient(t);
    const agents = [await createAgent(t, 'Anna Agentin'), await createAgent(t, 'Bert Agent')];
    const ticket = createRequest(t, user, 'Viele Nachrichten');
    const addMessages = (count: number) => {
      for (let i = 0; i < count; i++) addMessage(t, ticket.id, i % 3 === 0 ? user.id : agents[i % 2]!.id, `Nachricht ${i}`);
    };
    addMessages(2);
    const few = await statementCount(t, client, `/requests/${ticket.id}`);
    addMessages(27);
    const many = await statementCount(t, client, `/requests/${ticket.id}`);
    expect(many).toBe(few);
  });

  test('an agent view with 3 and with 30 requests from different customers', async () => {
    // A shop of its own: the view lists every new request, and the other tests here make some.
    const shop = await testApp();
    try {
      const agent = await loggedInClient(shop, (await createAgent(shop)).email);
      const customers = Array.from({ length: 7 }, (_, i) => ({ email: `kunde${i}@example.org`, name: `Kunde ${i}` }));
      const view = '/agent/views/nicht-zugewiesen';
      for (let i = 0; i < 3; i++) createRequest(shop, customers[i % 7]!, `Neu ${i}`);
      const few = await statementCount(shop, agent, view);
      for (let i = 3; i < 30; i++) createRequest(shop, customers[i % 7]!, `Neu ${i}`);
      const many = await statementCount(shop, agent, view);
      expect((await ok(agent, view)).body).toContain('Neu 29');
      expect(many).toBe(few);
    } finally {
      await shop.close();
    }
  });
});

describe('hot queries are prepared once', () => {
  test('"Meine Aktivitäten", a request page and an agent view prepare no statement on their second view', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user, 'Vorbereitet');
    const agent = await loggedInClient(t, (await createAgent(t)).email);
    const pages: Array<[WebClient, string]> = [
      [client, '/requests'],
      [client, '/requests?status=offen'],
      [client, `/requests/${ticket.id}`],
      [agent, '/agent/views/nicht-zugewiesen'],
    ];
    for (const [browser, url] of pages) await ok(browser, url);
    for (const [browser, url] of pages) {
      expect(await preparesOf(t, () => ok(browser, url)), url).toEqual([]);
    }
  });

  test('SQLite keeps their compiled statements: no LIMIT is a bound parameter, no pragma is read as a table', async () => {
    // SQLite compiles a statement anew on every run when either is in it, as if it had never been prepared.
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user, 'Lieferung unvollständig');
    const agent = await loggedInClient(t, (await createAgent(t)).email);
    const { user: author } = await personWithClient(t, 'agent');
    const article = knowledgeBase(t, author).publish('Lieferzeiten', 'Pakete kommen in zwei Tagen.');
    const pages: Array<[WebClient, string]> = [
      [client, '/requests'],
      [client, '/requests?status=offen&q=Lieferung'],
      [client, `/requests/${ticket.id}`],
      [client, article.path],
      [client, '/kb/search?q=Lieferzeit'],
      [agent, '/agent/views/nicht-zugewiesen'],
      [agent, '/agent/views/meine?sortierung=faellig'],
      [agent, '/agent/search?q=Lieferung'],
    ];
    const statements = await statementsOf(t, async () => {
      for (const [browser, url] of pages) await ok(browser, url);
    });
    expect(statements.length).toBeGreaterThan(pages.length * 2);
    const recompiled = statements.map(({ sql }) => sql).filter((sql) => /\blimit\s+\?|\bpragma_\w+/i.test(sql));
    expect(recompiled).toEqual([]);
  });
});
