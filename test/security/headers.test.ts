// Security suite: walks every GET route as visitor, customer, agent and admin: each HTML answer carries the security headers.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, defaultPassword } from '../helpers/fixtures.js';
import { testApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { concrete, routesOf, securityWorld, type SecurityWorld } from './world.js';

/** What is wrong with the headers of one HTML answer. */
function headerProblems(response: LightMyRequestResponse, loggedIn: boolean): string[] {
  const problems: string[] = [];
  const csp = String(response.headers['content-security-policy'] ?? '');
  if (!csp) problems.push('no Content-Security-Policy');
  if (csp.includes('unsafe-inline') || csp.includes('unsafe-eval')) problems.push(`CSP allows unsafe code: ${csp}`);
  if (!/(^|;)\s*frame-ancestors 'none'/.test(csp)) problems.push('CSP without frame-ancestors \'none\'');
  if (!/(^|;)\s*script-src 'self'/.test(csp)) problems.push('CSP without script-src \'self\'');
  if (!/(^|;)\s*object-src 'none'/.test(csp)) problems.push('CSP without object-src \'none\'');
  if (response.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!response.headers['referrer-policy']) problems.push('no Referrer-Policy');
  if (response.headers['strict-transport-security']) problems.push('HSTS on a plain-http portal');
  if (loggedIn && response.headers['cache-control'] !== 'no-store') problems.push(`Cache-Control ${String(response.headers['cache-control'])} on a logged-in page`);
  return problems;
}

let w: SecurityWorld;
beforeAll(async () => { w = await securityWorld(); });
afterAll(async () => { await w.t.close(); });

function idFor(url: string): number | string {
  if (url.startsWith('/kb/articles/')) return w.article.path.split('/').at(-1)!;
  if (url.includes('/canned/')) return w.canned.id;
  return w.ticket.id;
}

describe('every HTML answer of every GET route', () => {
  test.each(['visitor', 'customer', 'agent', 'admin'] as const)('as %s', async (who) => {
    const client = who === 'visitor' ? new WebClient(w.t.app) : w[who].client;
    const wrong: string[] = [];
    let htmlPages = 0;
    for (const route of routesOf(w.t, (route) => route.method === 'GET')) {
      const url = concrete(route.url, idFor(route.url));
      const response = await client.get(url);
      if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue;
      htmlPages += 1;
      for (const problem of headerProblems(response, who !== 'visitor')) wrong.push(`GET ${url} (${response.statusCode}): ${problem}`);
    }
    expect(htmlPages).toBeGreaterThan(who === 'visitor' ? 10 : 20);
    expect(wrong).toEqual([]);
  });

  test('error pages too: 404, 403, the CSRF refusal and 413', async () => {
    const responses = [
      await w.customer.client.get('/gibt-es-nicht'),
      await w.customer.client.get('/agent/settings'),
      await w.customer.client.post('/account/name', { name: 'ohne Token' }),
      await w.t.app.inject({ method: 'POST', url: '/login', payload: `x=${'y'.repeat(2 * 1024 * 1024)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ];
    expect(responses.map((response) => response.statusCode)).toEqual([404, 403, 403, 413]);
    for (const response of responses.slice(0, 3)) expect(headerProblems(response, true)).toEqual([]);
    expect(headerProblems(responses[3]!, false)).toEqual([]);
  });
});

test('with an https PUBLIC_URL every HTML answer carries HSTS', async () => {
  const secure = await testApp({ env: { PUBLIC_URL: 'https://portal.example.test', TRUST_PROXY: '127.0.0.1' } });
  try {
    await createUser(secure, 'hsts@example.org');
    const visitor = new WebClient(secure.app, { 'x-forwarded-proto': 'https' });
    const customer = new WebClient(secure.app, { 'x-forwarded-proto': 'https' });
    const login = await customer.submit('/login', '/login', { email: 'hsts@example.org', password: defaultPassword });
    expect(login.statusCode).toBe(303);
    for (const [client, url] of [[visitor, '/'], [visitor, '/login'], [visitor, '/kb'], [visitor, '/gibt-es-nicht'], [customer, '/requests'], [customer, '/account']] as const) {
      const response = await client.get(url);
      expect(String(response.headers['strict-transport-security']), url).toMatch(/max-age=\d{8,}/);
      expect(String(response.headers['content-security-policy']), url).toContain('upgrade-insecure-requests');
    }
  } finally {
    await secure.close();
  }
});
