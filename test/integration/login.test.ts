// Logging in: where it leads, what a failed attempt tells (nothing about the account), `next=`, CSRF and rate limits.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/modules/users/passwords.js';
import { createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

const wrongCredentials = 'E-Mail-Adresse oder Kennwort ist nicht richtig. Bitte versuchen Sie es erneut.';

/** The real argon2 hasher, counting how often each check runs. */
function countingHasher() {
  const real = createPasswordHasher();
  const calls = { verify: 0, verifyAgainstNothing: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => real.hash(password),
    verify: (hash, password) => { calls.verify += 1; return real.verify(hash, password); },
    verifyAgainstNothing: (password) => { calls.verifyAgainstNothing += 1; return real.verifyAgainstNothing(password); },
  };
  return { hasher, calls };
}

const htmlEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The hidden `next` field of the login form on this page, as a browser would send it back. */
function nextFieldOf(html: string): string {
  const escaped = html.match(/name="next" value="([^"]*)"/)?.[1] ?? '';
  return escaped.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => htmlEntities[entity]!);
}

/** Fills the login form on this page the way a browser does: with the hidden `next` field that the page carries. */
function submitLoginForm(client: WebClient, html: string, email: string, password = defaultPassword) {
  return client.post('/login', { _csrf: csrfTokenOf(html, '/login'), next: nextFieldOf(html), email, password });
}

async function logInFrom(client: WebClient, loginUrl: string, email: string, password = defaultPassword) {
  return submitLoginForm(client, (await client.get(loginUrl)).body, email, password);
}

/** A login page with what differs from visit to visit (the CSRF token, the typed address) blanked out. */
function comparable(html: string, email: string): string {
  return html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replaceAll(email, '[email]');
}

let t: TestApp;
let hasherCalls: ReturnType<typeof countingHasher>['calls'];
beforeAll(async () => {
  const { hasher, calls } = countingHasher();
  hasherCalls = calls;
  t = await testApp({ overrides: { hasher } });
  await createUser(t, 'kundin@example.org', { name: 'Karla Kundin' });
  await createUser(t, 'agentin@example.org', { name: 'Anna Agentin', role: 'agent' });
  await createUser(t, 'ohne-kennwort@example.org', { name: 'Otto Ohne', password: null });
  const disabled = await createUser(t, 'gesperrt@example.org', { name: 'Gesa Gesperrt' });
  t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, disabled.id)).run();
});
afterAll(async () => { await t.close(); });

describe('a successful login', () => {
  test('takes a customer to "Meine Aktivitäten", logged in', async () => {
    const client = new WebClient(t.app);
    const response = await client.submit('/login', '/login', { email: 'kundin@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/requests');
    const page = await client.get('/requests');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Meine Aktivitäten');
    expect(page.body).toContain('Abmelden');
  });

  test('accepts the address in any case and with spaces around it, and records the login time', async () => {
    const client = new WebClient(t.app);
    const response = await client.submit('/login', '/login', { email: '  Kundin@Example.ORG ', password: defaultPassword });
    expect(response.statusCode).toBe(303);
    const kundin = t.db.select().from(users).where(eq(users.email, 'kundin@example.org')).get()!;
    expect(kundin.lastLoginAt).toEqual(t.clock.now());
  });

  test('takes an agent to the agent area', async () => {
    const response = await new WebClient(t.app).submit('/login', '/login', { email: 'agentin@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent');
  });

  test('a logged-in visitor who opens the login page goes straight on', async () => {
    const client = await loggedInClient(t, 'kundin@example.org');
    const response = await client.get('/login');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/requests');
  });
});

describe('a failed login tells nothing about the account', () => {
  test('a wrong password and an unknown address get the same status and the same page', async () => {
    const wrongPassword = await new WebClient(t.app).submit('/login', '/login', { email: 'kundin@example.org', password: 'falsches Kennwort 1' });
    const unknownAddress = await new WebClient(t.app).submit('/login', '/login', { email: 'niemand@example.org', password: 'falsches Kennwort 1' });

    expect(wrongPassword.statusCode).toBe(422);
    expect(unknownAddress.statusCode).toBe(422);
    expect(wrongPassword.body).toContain(wrongCredentials);
    expect(comparable(unknownAddress.body, 'niemand@example.org')).toBe(comparable(wrongPassword.body, 'kundin@example.org'));
  });

  test('an unknown address costs the same argon2 work as a known one', async () => {
    const before = { ...hasherCalls };
    await new WebClient(t.app).submit('/login', '/login', { email: 'unbekannt@example.org', password: 'irgendein Kennwort' });
    expect(hasherCalls.verifyAgainstNothing).toBe(before.verifyAgainstNothing + 1);
    expect(hasherCalls.verify).toBe(before.verify);

    await new WebClient(t.app).submit('/login', '/login', { email: 'kundin@example.org', password: 'irgendein Kennwort' });
    expect(hasherCalls.verify).toBe(before.verify + 1);
    expect(hasherCalls.verifyAgainstNothing).toBe(before.verifyAgainstNothing + 1);
  });

  test('a disabled account cannot log in, even with its right password, and looks like any failed login', async () => {
    const before = hasherCalls.verifyAgainstNothing;
    const client = new WebClient(t.app);
    const response = await client.submit('/login', '/login', { email: 'gesperrt@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(wrongCredentials);
    expect(hasherCalls.verifyAgainstNothing).toBe(before + 1);
    expect((await client.get('/requests')).statusCode).toBe(303);
  });

  test('an account without a password cannot log in, whatever is typed', async () => {
    for (const password of ['irgendein Kennwort', 'null', 'undefined']) {
      const client = new WebClient(t.app);
      const response = await client.submit('/login', '/login', { email: 'ohne-kennwort@example.org', password });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain(wrongCredentials);
      expect(client.cookies.has('hp_session')).toBe(false);
    }
  });

  test('the form keeps the address after an error but never shows the password again', async () => {
    const password = 'geheimes Kennwort 123';
    const response = await new WebClient(t.app).submit('/login', '/login', { email: 'kundin@example.org', password });
    expect(response.statusCode).toBe(422);
    expect(response.body).toMatch(/id="email"[^>]*value="kundin@example.org"/);
    expect(response.body).not.toContain(password);
    expect(response.body).not.toMatch(/id="password"[^>]*value=/);
  });

  test('empty fields are named in German on the page', async () => {
    const response = await new WebClient(t.app).submit('/login', '/login', { email: '', password: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Bitte geben Sie Ihre E-Mail-Adresse an.');
    expect(response.body).toContain('Bitte geben Sie Ihr Kennwort ein.');
  });

  test('a login without CSRF token is refused with a German page and logs nobody in', async () => {
    const client = new WebClient(t.app);
    const response = await client.post('/login', { email: 'kundin@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('Formular abgelaufen');
    expect(client.cookies.has('hp_session')).toBe(false);
  });

  test('a login with a forged CSRF token is refused too', async () => {
    const client = new WebClient(t.app);
    await client.get('/login');
    const response = await client.post('/login', { _csrf: 'gefälscht', email: 'kundin@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Formular abgelaufen');
  });
});

describe('next=: back to where the visitor wanted to go, and only inside the portal', () => {
  test('an anonymous visitor of a customer page is sent to the login page with the way back', async () => {
    const anonymous = new WebClient(t.app);
    for (const [url, login] of [
      ['/requests', '/login?next=%2Frequests'],
      ['/requests/5', '/login?next=%2Frequests%2F5'],
      ['/account', '/login?next=%2Faccount'],
    ] as const) {
      const response = await anonymous.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location, url).toBe(login);
    }
  });

  test('after login the customer is back on the request they asked for', async () => {
    const client = new WebClient(t.app);
    const response = await logInFrom(client, '/login?next=%2Frequests%2F5', 'kundin@example.org');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/requests/5');
  });

  test('the way back keeps its query string, and survives a mistyped password', async () => {
    const client = new WebClient(t.app);
    const login = (await client.get('/requests?status=offen&q=Lok')).headers.location as string;
    const failed = await logInFrom(client, login, 'kundin@example.org', 'vertippt vertippt');
    expect(failed.statusCode).toBe(422);
    const response = await submitLoginForm(client, failed.body, 'kundin@example.org');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/requests?status=offen&q=Lok');
  });

  test.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/€',
  ])('%j leads to the default page instead', async (next) => {
    const viaPage = new WebClient(t.app);
    const fromPage = await logInFrom(viaPage, `/login?next=${encodeURIComponent(next)}`, 'kundin@example.org');
    expect(fromPage.statusCode).toBe(303);
    expect(fromPage.headers.location).toBe('/requests');

    const forged = new WebClient(t.app);
    const page = await forged.get('/login');
    const posted = await forged.post('/login', { _csrf: csrfTokenOf(page.body, '/login'), next, email: 'kundin@example.org', password: defaultPassword });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/requests');

    const again = await forged.get(`/login?next=${encodeURIComponent(next)}`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/requests');
  });
});

describe('rate limits', () => {
  const tightLimits = {
    login: { max: 3, timeWindow: 60_000 },
    passwordReset: { max: 2, timeWindow: 60_000 },
    contactForm: { max: 2, timeWindow: 60_000 },
  };
  let limited: TestApp;
  beforeAll(async () => {
    limited = await testApp({ overrides: { rateLimits: tightLimits } });
    await createUser(limited, 'kundin@example.org');
  });
  afterAll(async () => { await limited.close(); });

  test('the fourth login attempt within the window gets a German "too many attempts" page, even with the right password', async () => {
    const client = new WebClient(limited.app);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const response = await client.submit('/login', '/login', { email: 'kundin@example.org', password: `falsch ${attempt} falsch` });
      expect(response.statusCode).toBe(422);
    }
    const fourth = await client.submit('/login', '/login', { email: 'kundin@example.org', password: defaultPassword });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.headers['content-type']).toContain('text/html');
    expect(fourth.body).toContain('Zu viele Versuche');
    expect(client.cookies.has('hp_session')).toBe(false);
  });

  test('a forged X-Forwarded-For does not dodge the limit while TRUST_PROXY is unset', async () => {
    const fresh = await testApp({ overrides: { rateLimits: tightLimits } });
    try {
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        const client = new WebClient(fresh.app, { 'x-forwarded-for': `203.0.113.${attempt}` });
        statuses.push((await client.submit('/login', '/login', { email: 'wer@example.org', password: 'falsch falsch' })).statusCode);
      }
      expect(statuses).toEqual([422, 422, 422, 429]);
    } finally {
      await fresh.close();
    }
  });

  test('behind a trusted proxy the limit counts per client address from X-Forwarded-For', async () => {
    const proxied = await testApp({ env: { TRUST_PROXY: '127.0.0.1' }, overrides: { rateLimits: tightLimits } });
    try {
      const attempt = (clientAddress: string) => new WebClient(proxied.app, { 'x-forwarded-for': clientAddress })
        .submit('/login', '/login', { email: 'wer@example.org', password: 'falsch falsch' })
        .then((response) => response.statusCode);
      const fromOne = [];
      for (let i = 0; i < 4; i += 1) fromOne.push(await attempt('203.0.113.1'));
      expect(fromOne).toEqual([422, 422, 422, 429]);
      expect(await attempt('203.0.113.2')).toBe(422);
    } finally {
      await proxied.close();
    }
  });

  test('"Kennwort vergessen" is limited as well', async () => {
    const client = new WebClient(limited.app);
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      statuses.push((await client.submit('/password/forgot', '/password/forgot', { email: 'kundin@example.org' })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(await limited.mailbox.receive()).toHaveLength(2);
  });
});
