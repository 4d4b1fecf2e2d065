// Security suite: no open redirect through next= (or other return fields), mail links only from PUBLIC_URL, reset tokens never in the log.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, defaultPassword } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';
import { csrfToken, securityWorld, type SecurityWorld } from './world.js';

const hostileTargets = [
  '//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example', 'http:evil.example', 'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>', '/\t/evil.example', '/\r\nSet-Cookie: x=1',
  ' //evil.example', '///evil.example', '/€',
];

/** Every link in a mail: none may lead anywhere but PUBLIC_URL (or the shop's own pages from the settings). */
function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((match) => match[0]);
}

let w: SecurityWorld;
beforeAll(async () => { w = await securityWorld(); });
afterAll(async () => { await w.t.close(); });

describe('next= after login', () => {
  test.each(hostileTargets)('%j sends the customer to their default page', async (next) => {
    const user = await createUser(w.t, `weiter${hostileTargets.indexOf(next)}@example.org`);
    const browser = new WebClient(w.t.app);
    const page = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    expect(page.statusCode).toBe(200);
    const login = await browser.post('/login', { _csrf: csrfTokenOf(page.body, '/login'), next, email: user.email, password: defaultPassword });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/requests');
    // Already logged in, the login page passes straight on: still only to local paths.
    const again = await browser.get(`/login?next=${encodeURIComponent(next)}`);
    expect(again.headers.location).toBe('/requests');
  });

  test('a local path is kept', async () => {
    const user = await createUser(w.t, 'lokal@example.org');
    const browser = new WebClient(w.t.app);
    const page = await browser.get('/login?next=%2Faccount');
    const login = await browser.post('/login', { _csrf: csrfTokenOf(page.body, '/login'), next: '/account', email: user.email, password: defaultPassword });
    expect(login.headers.location).toBe('/account');
  });
});

test('the comment moderation\'s return field only leads back to the moderation list', async () => {
  w.t.services.kb.addComment(w.customer.user, w.article.id, 'Danke für den Artikel!');
  const page = await w.admin.client.get('/agent/kb/comments');
  const commentId = Number(page.body.match(/\/agent\/kb\/comments\/(\d+)\/hide/)![1]);
  const token = await csrfToken(w.admin.client);
  for (const zurueck of ['//evil.example', 'https://evil.example', '/agent/kb/comments?x=1&next=//evil.example']) {
    const response = await w.admin.client.post(`/agent/kb/comments/${commentId}/hide`, { _csrf: token, zurueck });
    expect(response.statusCode).toBe(303);
    expect(String(response.headers.location)).toMatch(/^\/agent\/kb\/comments\?/);
  }
});

describe('links in mails come from PUBLIC_URL, whatever Host or X-Forwarded-Host say', () => {
  const forgedHeaders = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' };

  async function resetMail(t: TestApp, email: string) {
    await createUser(t, email);
    await new WebClient(t.app, forgedHeaders).submit('/password/forgot', '/password/forgot', { email });
    return t.mailbox.receiveOne(email);
  }

  test('the reset link, without a trusted proxy', async () => {
    const mail = await resetMail(w.t, 'host-direkt@example.org');
    expect(linkIn(mail, `${testPublicUrl}/password/reset/`)).toMatch(/^http:\/\/portal\.example\.test\/password\/reset\/[\w-]+$/);
    expect(mail.text + mail.html).not.toContain('evil.example');
  });

  test('the reset link, behind a trusted proxy', async () => {
    const proxied = await testApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const mail = await resetMail(proxied, 'host-proxy@example.org');
      expect(linkIn(mail, `${testPublicUrl}/password/reset/`)).toMatch(/^http:\/\/portal\.example\.test\/password\/reset\/[\w-]+$/);
      expect(mail.text + mail.html).not.toContain('evil.example');
    } finally {
      await proxied.close();
    }
  });

  test('the contact form\'s confirmation mail too', async () => {
    await w.t.mailbox.receive();
    const sent = await new WebClient(w.t.app, forgedHeaders).submit('/requests/new', '/requests/new', {
      name: 'Hanna Host', email: 'hanna@example.org', subject: 'Frage', description: 'Wo ist mein Paket?',
    });
    expect(sent.statusCode).toBe(303);
    const mail = await w.t.mailbox.receiveOne('hanna@example.org');
    expect(mail.text + mail.html).not.toContain('evil.example');
    const portalLinks = linksIn(mail.text).filter((link) => !link.startsWith('https://shop.example.com'));
    expect(portalLinks.length).toBeGreaterThan(0);
    for (const link of portalLinks) expect(link === testPublicUrl || link.startsWith(`${testPublicUrl}/`), link).toBe(true);
  });
});

test('reset tokens never reach the log: the request log masks them at every level', async () => {
  const lines: string[] = [];
  const logged = await testApp({ env: { LOG_LEVEL: 'trace' }, overrides: { logStream: { write: (line) => { lines.push(line); } } } });
  try {
    await createUser(logged, 'protokoll@example.org');
    await new WebClient(logged.app).submit('/password/forgot', '/password/forgot', { email: 'protokoll@example.org' });
    const mail = await logged.mailbox.receiveOne('protokoll@example.org');
    const link = new URL(linkIn(mail, `${testPublicUrl}/password/reset/`)).pathname;
    const token = link.split('/').at(-1)!;
    const browser = new WebClient(logged.app);
    expect((await browser.get(link)).statusCode).toBe(200);
    expect((await browser.submit(link, link, { password: 'zu kurz', passwordRepeat: 'anders' })).statusCode).toBe(422);
    expect((await browser.submit(link, link, { password: 'ein ganz neues Kennwort', passwordRepeat: 'ein ganz neues Kennwort' })).statusCode).toBe(303);
    expect((await browser.get(`${link}?noch=einmal`)).statusCode).toBe(410);

    const log = lines.join('');
    expect(log).toContain('/password/reset/[redacted]');
    expect(log).not.toContain(token);
    expect(log).not.toContain('ein ganz neues Kennwort');
    expect(log).not.toMatch(/hp_session=|hp_csrf=/);
  } finally {
    await logged.close();
  }
});
