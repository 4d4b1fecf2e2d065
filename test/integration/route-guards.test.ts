// Walks every registered route: /agent is staff only, every other page needs a login unless listed public, and every POST needs a CSRF token.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

let t: TestApp;
let anonymous: WebClient;
let customerClient: WebClient;
let adminClient: WebClient;
beforeAll(async () => {
  t = await testApp();
  await createUser(t, 'kundin@example.org', { name: 'Karla Kundin' });
  await createUser(t, 'admin@shop.example.test', { name: 'Adam Admin', role: 'admin' });
  customerClient = await loggedInClient(t, 'kundin@example.org');
  adminClient = await loggedInClient(t, 'admin@shop.example.test');
  // A visitor who has opened a form, so that a missing token is the only thing wrong with their post.
  anonymous = new WebClient(t.app);
  await anonymous.get('/login');
});
afterAll(async () => { await t.close(); });

/** Pages anyone may open without logging in. Everything else that a new route adds must be guarded. */
const publicGetRoutes = new Set([
  '/', '/healthz', '/static/*',
  '/login', '/login/help', '/password/forgot', '/access/help', '/password/reset/:token',
  '/requests/new', '/requests/received/:receipt',
  // The rating page behind the solved mail's links: no login, the link's HMAC names its one request.
  '/ratings/:token',
  // The knowledge base is open to everyone; drafts answer 404 to customers (test/integration/kb-articles.test.ts).
  '/kb', '/kb/search', '/kb/suggest', '/kb/categories/:category', '/kb/sections/:section', '/kb/articles/:article',
]);

type Route = { method: string; url: string };

function routes(filter: (route: Route) => boolean): Route[] {
  const seen = new Set<string>();
  return t.app.routeTable.filter((route) => {
    const key = `${route.method} ${route.url}`;
    if (seen.has(key) || !filter(route)) return false;
    seen.add(key);
    return true;
  });
}

const isAgentRoute = (route: Route) => route.url === '/agent' || route.url.startsWith('/agent/');

/** A URL that reaches the route: every parameter becomes 1. */
function concrete(url: string): string {
  return url.replace(/:[^/]+/g, '1').replace(/\*$/, 'x');
}

function send(client: WebClient, route: Route, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const url = concrete(route.url);
  if (route.method === 'GET') return client.get(url);
  if (route.method === 'POST') return client.post(url, fields);
  // HEAD and whatever else comes: straight through inject, with the client's cookies.
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return t.app.inject({ method: route.method as 'HEAD', url, headers: cookie ? { cookie } : {} });
}

function describeResponse(response: LightMyRequestResponse): string {
  return `${response.statusCode}${response.headers.location ? ` → ${String(response.headers.location)}` : ''}`;
}

describe('the agent area', () => {
  test('the walk finds the agent routes', () => {
    const found = routes(isAgentRoute).map((route) => `${route.method} ${route.url}`);
    expect(found).toEqual(expect.arrayContaining(['GET /agent/views/:view', 'GET /agent/requests/:id', 'POST /agent/requests/:id/replies', 'GET /agent/search']));
  });

  test('sends anonymous visitors to the login page and back', async () => {
    const wrong: string[] = [];
    for (const route of routes(isAgentRoute)) {
      const response = await send(anonymous, route);
      const url = concrete(route.url);
      const expected = route.method === 'GET' ? `/login?next=${encodeURIComponent(url)}` : undefined;
      const location = String(response.headers.location ?? '');
      const ok = response.statusCode === 303 && (expected ? location === expected : location.startsWith('/login?next='));
      if (!ok) wrong.push(`${route.method} ${url}: ${describeResponse(response)}`);
    }
    expect(wrong, 'agent routes that do not send anonymous visitors to the login').toEqual([]);
  });

  test('answers customers with the German 403 page, whatever they send', async () => {
    const token = csrfTokenOf((await customerClient.get('/account')).body, '/logout');
    const wrong: string[] = [];
    for (const route of routes(isAgentRoute)) {
      const response = await send(customerClient, route, { _csrf: token });
      const germanPage = route.method === 'HEAD' || (response.body.includes('<h1>Kein Zugriff</h1>') && response.body.includes('<html lang="de">'));
      if (response.statusCode !== 403 || !germanPage) wrong.push(`${route.method} ${concrete(route.url)}: ${describeResponse(response)}`);
    }
    expect(wrong, 'agent routes that customers can reach').toEqual([]);
  });
});

describe('every other page', () => {
  test('needs a login unless it is on the public list', async () => {
    const wrong: string[] = [];
    for (const route of routes((route) => route.method === 'GET' && !isAgentRoute(route) && !publicGetRoutes.has(route.url))) {
      const response = await send(anonymous, route);
      const url = concrete(route.url);
      if (response.statusCode !== 303 || response.headers.location !== `/login?next=${encodeURIComponent(url)}`) {
        wrong.push(`GET ${url}: ${describeResponse(response)}`);
      }
    }
    expect(wrong, 'pages open to anonymous visitors that are not on the public list of this test').toEqual([]);
  });
});

describe('every POST route', () => {
  test('the walk finds posts of every area', () => {
    const found = routes((route) => route.method === 'POST').map((route) => route.url);
    expect(found).toEqual(expect.arrayContaining(['/login', '/logout', '/requests/:id/replies', '/agent/requests/new', '/agent/requests/:id/review']));
  });

  test('refuses a post without a valid CSRF token with 403, for anyone who may use it', async () => {
    const wrong: string[] = [];
    for (const route of routes((route) => route.method === 'POST')) {
      const outcomes: Array<{ who: string; response: LightMyRequestResponse }> = [];
      for (const [who, client] of [['anonymous', anonymous], ['customer', customerClient], ['admin', adminClient]] as const) {
        for (const fields of [{}, { _csrf: 'gefälscht' }] as Array<Record<string, string>>) outcomes.push({ who, response: await send(client, route, fields) });
      }
      const url = concrete(route.url);
      for (const { who, response } of outcomes) {
        const toLogin = who === 'anonymous' && response.statusCode === 303 && String(response.headers.location).startsWith('/login?next=');
        if (response.statusCode !== 403 && !toLogin) wrong.push(`POST ${url} as ${who}: ${describeResponse(response)}`);
      }
      if (!outcomes.some(({ response }) => response.statusCode === 403 && response.body.includes('Formular abgelaufen'))) {
        wrong.push(`POST ${url}: no one got the CSRF refusal`);
      }
    }
    expect(wrong, 'posts that went through without a CSRF token').toEqual([]);
    // The admin is still logged in: not even /logout went through.
    expect((await adminClient.get('/agent/views/meine')).statusCode).toBe(200);
  });
});
