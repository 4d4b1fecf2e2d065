// Security suite: SQL wildcards, quotes and FTS syntax in every search box answer 200 (never 500) and match only literally.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebClient } from '../helpers/web-client.js';
import { securityWorld, type SecurityWorld } from './world.js';

const hostileQueries = [
  '%', '_', '%%', '%_%', '\\', "'", "''", "' OR '1'='1", "'; DROP TABLE tickets; --", '"', '""', '"unterminated', '*', 'Lok*', '**',
  'NEAR(', 'NEAR(Lok Paket)', 'NEAR(Lok Paket, 2)', 'AND', 'OR', 'NOT', 'AND OR NOT', 'Lok AND', 'OR Lok', 'NOT NOT', '-', '-Lok', '--', 'Lok -Paket',
  '^Lok', 'subject:Lok', '{subject}: Lok', '(', ')', '()', '[', ':', '+', 'col:', 'Lok"', '\u0000', '\u200b', '😀', 'x'.repeat(2000),
  `${'Lok "Paket" % _ * NEAR( AND OR NOT - '.repeat(50)}`.slice(0, 2000), ' ', '',
];

let w: SecurityWorld;
beforeAll(async () => { w = await securityWorld(); });
afterAll(async () => { await w.t.close(); });

describe.each([
  ['customer: /requests?q=', () => w.customer.client, '/requests?q='],
  ['agent: /agent/search?q=', () => w.agent.client, '/agent/search?q='],
  ['visitor: /kb/search?q=', () => new WebClient(w.t.app), '/kb/search?q='],
  ['visitor: /kb/suggest?q= (JSON)', () => new WebClient(w.t.app), '/kb/suggest?q='],
])('%s', (_name, client, prefix) => {
  test('answers 200 for every hostile query', async () => {
    const wrong: string[] = [];
    const browser = client();
    for (const query of hostileQueries) {
      const response = await browser.get(prefix + encodeURIComponent(query));
      if (response.statusCode !== 200) wrong.push(`${JSON.stringify(query.slice(0, 40))}: ${response.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  test('a repeated q (an array) answers 200 too', async () => {
    const response = await client().get(`${prefix}Lok&q=Paket&q[]=x`);
    expect(response.statusCode).toBe(200);
  });
});

test('wildcards match only themselves: "%" and "_" find nothing where nothing contains them', async () => {
  for (const query of ['%', '_', '%%']) {
    const mine = await w.customer.client.get(`/requests?q=${encodeURIComponent(query)}`);
    expect(mine.body, `/requests?q=${query}`).not.toContain('Lok BR 218 fehlt');
    const agents = await w.agent.client.get(`/agent/search?q=${encodeURIComponent(query)}`);
    expect(agents.body, `/agent/search?q=${query}`).not.toContain('Lok BR 218 fehlt');
  }
  const suggest = await new WebClient(w.t.app).get('/kb/suggest?q=%25');
  expect((suggest.json() as { articles: unknown[] }).articles).toEqual([]);
});

test('a real word still finds its request and its article', async () => {
  expect((await w.customer.client.get('/requests?q=Lok')).body).toContain('Lok BR 218 fehlt');
  expect((await w.agent.client.get('/agent/search?q=Lok')).body).toContain('Lok BR 218 fehlt');
  expect((await new WebClient(w.t.app).get('/kb/search?q=Versand')).body).toContain(`href="${w.article.path}"`);
});
