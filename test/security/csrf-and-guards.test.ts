// Security suite: walks app.routeTable: every POST (urlencoded and multipart) needs a CSRF token, every page its guard.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { multipartBody } from '../integration/attachments-forms.js';
import { WebClient } from '../helpers/web-client.js';
import { concrete, cookieHeader, describeResponse, isAgentRoute, person, type Route, routesOf, securityWorld, type SecurityWorld } from './world.js';

/** Pages anyone may open; every other GET outside /agent must send visitors to the login. */
const publicGetRoutes = new Set([
  '/', '/healthz', '/static/*',
  '/login', '/login/help', '/password/forgot', '/access/help', '/password/reset/:token',
  '/requests/new', '/requests/received/:receipt', '/ratings/:token',
  '/kb', '/kb/search', '/kb/suggest', '/kb/categories/:category', '/kb/sections/:section', '/kb/articles/:article',
]);

/** Pages that agents must not open (team leads and admins only); newer admin pages may add to them. */
const leadOnlyPrefixes = ['/agent/team', '/agent/settings', '/agent/mail', '/agent/ratings'];

let w: SecurityWorld;
let visitor: WebClient;
beforeAll(async () => {
  w = await securityWorld();
  visitor = new WebClient(w.t.app);
  // A visitor who has opened a form, so that the missing token is all that is wrong with their post.
  await visitor.get('/login');
});
afterAll(async () => { await w.t.close(); });

function get(client: WebClient, route: Route): Promise<LightMyRequestResponse> {
  return client.get(concrete(route.url, idFor(route)));
}

/** Real ids where a route needs one, so guards are tested on things that exist. */
function idFor(route: Route): number | string {
  if (route.url.startsWith('/kb/articles/')) return w.article.id;
  if (route.url.includes('/canned/')) return w.canned.id;
  if (route.url.includes('/requests/:id')) return w.ticket.id;
  return 1;
}

describe('CSRF on every state-changing route', () => {
  test('the walk finds urlencoded and multipart posts of every area', () => {
    const posts = routesOf(w.t, (route) => route.method === 'POST').map((route) => route.url);
    expect(posts.length).toBeGreaterThan(40);
    expect(posts).toEqual(expect.arrayContaining(['/login', '/logout', '/requests/new', '/requests/:id/replies', '/agent/requests/:id/replies', '/agent/settings', '/kb/articles/:article/comments']));
    // Nothing changes state outside POST: no PUT, PATCH or DELETE routes that the walk below would miss.
    expect(routesOf(w.t, (route) => !['GET', 'HEAD', 'POST'].includes(route.method))).toEqual([]);
  });

  test('every POST without or with a forged token is refused with the German 403, for every role, urlencoded or multipart', async () => {
    const wrong: string[] = [];
    const csrfRefused = new Set<string>();
    const people: Array<[string, WebClient]> = [['visitor', visitor], ['customer', w.customer.client], ['admin', w.admin.client]];
    for (const route of routesOf(w.t, (route) => route.method === 'POST')) {
      const url = concrete(route.url, idFor(route));
      for (const [who, client] of people) {
        const attempts = [
          await client.post(url, {}),
          await client.post(url, { _csrf: 'gefälscht', body: 'x' }),
          await postMultipart(client, url, [{ name: '_csrf', value: 'gefälscht' }, { name: 'body', value: 'x' }]),
        ];
        for (const response of attempts) {
          // The role guard may answer first (403, or the login for visitors): refused either way, nothing changes.
          const toLogin = who === 'visitor' && response.statusCode === 303 && String(response.headers.location).startsWith('/login?next=');
          if (response.statusCode !== 403 && !toLogin) wrong.push(`POST ${url} as ${who}: ${describeResponse(response)}`);
          if (response.statusCode === 403 && response.body.includes('Formular abgelaufen')) csrfRefused.add(url);
        }
      }
      if (!csrfRefused.has(url)) wrong.push(`POST ${url}: no one got the CSRF refusal`);
    }
    expect(wrong, 'posts that went past the CSRF check').toEqual([]);
    // Not even /logout went through: everyone is still logged in.
    expect((await w.admin.client.get('/agent/settings')).statusCode).toBe(200);
    expect((await w.customer.client.get('/account')).statusCode).toBe(200);
  });

  test('a token of another browser is refused as well', async () => {
    const token = (await w.customer.client.get('/account')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const response = await w.agent.client.post(`/agent/requests/${w.ticket.id}/priority`, { _csrf: token, priority: 'high' });
    expect(response.statusCode).toBe(403);
  });
});

function postMultipart(client: WebClient, url: string, parts: Array<{ name: string; value: string }>) {
  const { payload, contentType } = multipartBody(parts);
  return w.t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...cookieHeader(client) } });
}

describe('the guard of every route', () => {
  test('/agent: visitors go to the login, customers get 403, agents get 403 on lead pages, admins reach every page', async () => {
    const wrong: string[] = [];
    for (const route of routesOf(w.t, (route) => isAgentRoute(route) && route.method === 'GET')) {
      const url = concrete(route.url, idFor(route));
      const anonymous = await get(visitor, route);
      if (anonymous.statusCode !== 303 || anonymous.headers.location !== `/login?next=${encodeURIComponent(url)}`) wrong.push(`${url} as visitor: ${describeResponse(anonymous)}`);
      const customer = await get(w.customer.client, route);
      if (customer.statusCode !== 403) wrong.push(`${url} as customer: ${describeResponse(customer)}`);
      const admin = await get(w.admin.client, route);
      if (admin.statusCode === 403) wrong.push(`${url} as admin: 403`);
      const agent = await get(w.agent.client, route);
      if (leadOnlyPrefixes.some((prefix) => route.url.startsWith(prefix)) && agent.statusCode !== 403) wrong.push(`${url} as agent: ${describeResponse(agent)} (lead only)`);
    }
    expect(wrong).toEqual([]);
  });

  test('/agent posts with a valid token: customers get 403, visitors go to the login', async () => {
    const customerToken = (await w.customer.client.get('/account')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const visitorToken = (await visitor.get('/login')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const wrong: string[] = [];
    for (const route of routesOf(w.t, (route) => isAgentRoute(route) && route.method === 'POST')) {
      const url = concrete(route.url, idFor(route));
      const customer = await w.customer.client.post(url, { _csrf: customerToken });
      if (customer.statusCode !== 403 || !customer.body.includes('Kein Zugriff')) wrong.push(`POST ${url} as customer: ${describeResponse(customer)}`);
      const anonymous = await visitor.post(url, { _csrf: visitorToken });
      if (anonymous.statusCode !== 303 || !String(anonymous.headers.location).startsWith('/login?next=')) wrong.push(`POST ${url} as visitor: ${describeResponse(anonymous)}`);
    }
    expect(wrong).toEqual([]);
  });

  test('every other page needs a login unless it is on the public list', async () => {
    const wrong: string[] = [];
    for (const route of routesOf(w.t, (route) => route.method === 'GET' && !isAgentRoute(route) && !publicGetRoutes.has(route.url))) {
      const url = concrete(route.url, idFor(route));
      const response = await get(visitor, route);
      if (response.statusCode !== 303 || response.headers.location !== `/login?next=${encodeURIComponent(url)}`) wrong.push(`GET ${url}: ${describeResponse(response)}`);
    }
    expect(wrong, 'pages open to visitors that are not on the public list').toEqual([]);
  });

  test('the public pages really open without a login', async () => {
    const wrong: string[] = [];
    for (const route of routesOf(w.t, (route) => route.method === 'GET' && publicGetRoutes.has(route.url))) {
      const response = await get(visitor, route);
      // Made-up tokens and ids answer with their own page (404/410), never with the login.
      if (response.statusCode === 303 && String(response.headers.location).startsWith('/login')) wrong.push(`GET ${route.url}: ${describeResponse(response)}`);
      if (response.statusCode >= 500) wrong.push(`GET ${route.url}: ${describeResponse(response)}`);
    }
    expect(wrong).toEqual([]);
  });

  test('another customer\'s request answers like a missing one', async () => {
    const other = await person(w.t, 'customer', 'Otto Anders');
    const foreign = await other.client.get(`/requests/${w.ticket.id}`);
    const missing = await other.client.get('/requests/999999');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body.replace(/name="_csrf" value="[^"]+"/g, '')).toBe(missing.body.replace(/name="_csrf" value="[^"]+"/g, ''));
  });
});
