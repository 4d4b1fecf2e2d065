// Sessions: a row only after login, a fresh id at login, safe cookies, logout, 12-hour idle and 30-day absolute lifetime.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../src/db/schema.js';
import { createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

const hour = 3600_000;
const day = 24 * hour;

type ResponseCookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string; expires?: Date };

function sessionCookieOf(response: { cookies: unknown[] }): ResponseCookie | undefined {
  return (response.cookies as ResponseCookie[]).find((cookie) => cookie.name === 'hp_session');
}

/** The session id inside the signed cookie value ("<sid>.<signature>"). */
function sidOf(cookieValue: string): string {
  return decodeURIComponent(cookieValue).split('.')[0]!;
}

function sessionRows(t: TestApp) {
  return t.db.select().from(sessions).all();
}

function sessionRowsOf(t: TestApp, userId: number) {
  return t.db.select().from(sessions).where(eq(sessions.userId, userId)).all();
}

/** A browser that carries exactly this session cookie, as a stolen or replayed cookie would be. */
function browserWithCookie(t: TestApp, cookieValue: string): WebClient {
  const client = new WebClient(t.app);
  client.cookies.set('hp_session', cookieValue);
  return client;
}

async function logInOverHttps(browser: WebClient, email: string) {
  const loginPage = await browser.get('/login');
  const response = await browser.post('/login', { _csrf: csrfTokenOf(loginPage.body, '/login'), email, password: defaultPassword });
  return { loginPage, response };
}

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

describe('a session row exists only after login', () => {
  test('anonymous page views and anonymous forms create no session and set no session cookie', async () => {
    await createUser(t, 'anonym-test@example.org');
    const before = sessionRows(t).length;
    const visitor = new WebClient(t.app);
    const responses = [
      await visitor.get('/'),
      await visitor.get('/login'),
      await visitor.get('/password/forgot'),
      await visitor.get('/requests/new'),
      await visitor.get('/requests'),
      await visitor.submit('/requests/new', '/requests/new', { name: 'Anna Anonym', email: 'anna@example.org', subject: 'Frage', description: 'Wie lange dauert der Versand?' }),
      await visitor.submit('/login', '/login', { email: 'anonym-test@example.org', password: 'falsches Kennwort' }),
      await visitor.submit('/password/forgot', '/password/forgot', { email: 'anonym-test@example.org' }),
      await visitor.post('/login', { email: 'anonym-test@example.org', password: defaultPassword }),
    ];
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 303, 303, 422, 200, 403]);
    expect(responses.map(sessionCookieOf).filter(Boolean)).toEqual([]);
    expect(visitor.cookies.has('hp_session')).toBe(false);
    expect(sessionRows(t)).toHaveLength(before);
  });

  test('a login creates exactly one row, for that person', async () => {
    const user = await createUser(t, 'eine-zeile@example.org');
    const client = await loggedInClient(t, 'eine-zeile@example.org');
    const rows = sessionRowsOf(t, user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sid).toBe(sidOf(client.cookies.get('hp_session')!));
    expect(rows[0]!.idleExpiresAt).toEqual(new Date(t.clock.now().getTime() + 12 * hour));
    expect(rows[0]!.absoluteExpiresAt).toEqual(new Date(t.clock.now().getTime() + 30 * day));
    // Who is logged in, and nothing of the cookie: its lifetimes are the row's columns.
    expect(JSON.parse(rows[0]!.data)).toEqual({ userId: user.id });
  });
});

describe('the session cookie', () => {
  test('is HttpOnly, SameSite=Lax, for the whole portal, and not Secure on plain http', async () => {
    await createUser(t, 'keks@example.org');
    const response = await new WebClient(t.app).submit('/login', '/login', { email: 'keks@example.org', password: defaultPassword });
    const cookie = sessionCookieOf(response)!;
    expect(cookie).toBeDefined();
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(cookie.secure).not.toBe(true);
    // The browser keeps it for the 30 days of the absolute lifetime (the cookie's expiry is in real time).
    expect(cookie.expires!.getTime()).toBeGreaterThan(Date.now() + 29 * day);
    expect(cookie.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * day);
  });

  test('gets a fresh value at login: a session id planted before login is worth nothing afterwards', async () => {
    const victim = await createUser(t, 'opfer@example.org', { name: 'Olga Opfer' });
    await createUser(t, 'angreifer@example.org', { name: 'Arno Angreifer' });
    const attacker = await loggedInClient(t, 'angreifer@example.org');
    const planted = attacker.cookies.get('hp_session')!;

    // The victim's browser carries the attacker's cookie, then the victim logs in there.
    const browser = browserWithCookie(t, planted);
    const page = await browser.get('/');
    const response = await browser.post('/login', { _csrf: csrfTokenOf(page.body, '/logout'), email: 'opfer@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(303);

    const after = browser.cookies.get('hp_session')!;
    expect(after).not.toBe(planted);
    expect(sessionRows(t).map((row) => row.sid)).not.toContain(sidOf(planted));
    expect(sessionRowsOf(t, victim.id).map((row) => row.sid)).toEqual([sidOf(after)]);
    expect((await browser.get('/account')).body).toContain('opfer@example.org');
    expect((await attacker.get('/account')).statusCode).toBe(303);
  });

  test('a made-up session cookie is replaced at login', async () => {
    await createUser(t, 'erfunden@example.org');
    const browser = browserWithCookie(t, 'vom-angreifer-gesetzt');
    const response = await browser.submit('/login', '/login', { email: 'erfunden@example.org', password: defaultPassword });
    expect(response.statusCode).toBe(303);
    expect(browser.cookies.get('hp_session')).not.toBe('vom-angreifer-gesetzt');
    expect(sessionRows(t).map((row) => row.sid)).not.toContain('vom-angreifer-gesetzt');
  });

  // TRUST_PROXY names the proxy; app.inject connects from 127.0.0.1, so that is the proxy here.
  describe('behind an https proxy (PUBLIC_URL https, TRUST_PROXY = the proxy address)', () => {
    let secure: TestApp;
    beforeAll(async () => {
      secure = await testApp({ env: { PUBLIC_URL: 'https://portal.example.test', TRUST_PROXY: '127.0.0.1' } });
      await createUser(secure, 'sicher@example.org');
    });
    afterAll(async () => { await secure.close(); });

    test('is Secure, and so is the CSRF cookie; the browser is told to use https only', async () => {
      const browser = new WebClient(secure.app, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' });
      const { loginPage, response } = await logInOverHttps(browser, 'sicher@example.org');
      expect(loginPage.headers['strict-transport-security']).toContain('max-age=31536000');
      const csrfCookie = (loginPage.cookies as ResponseCookie[]).find((cookie) => cookie.name === 'hp_csrf')!;
      expect(csrfCookie.secure).toBe(true);
      expect(csrfCookie.httpOnly).toBe(true);

      expect(response.statusCode).toBe(303);
      const cookie = sessionCookieOf(response)!;
      expect(cookie).toBeDefined();
      expect(cookie.secure).toBe(true);
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect((await browser.get('/account')).statusCode).toBe(200);
    });
  });

  // Fastify 5 no longer takes a bare hop count as trustProxy; app.ts turns TRUST_PROXY=1 into a trust function.
  test('behind an https proxy with TRUST_PROXY=1 (a hop count), logging in works with a Secure cookie', async () => {
    const secure = await testApp({ env: { PUBLIC_URL: 'https://portal.example.test', TRUST_PROXY: '1' } });
    try {
      await createUser(secure, 'sicher@example.org');
      const browser = new WebClient(secure.app, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' });
      const { response } = await logInOverHttps(browser, 'sicher@example.org');
      expect(sessionCookieOf(response)?.secure).toBe(true);
      expect((await browser.get('/account')).statusCode).toBe(200);
    } finally {
      await secure.close();
    }
  });
});

describe('logout', () => {
  test('by POST ends the session: the row is gone and the old cookie no longer works', async () => {
    const user = await createUser(t, 'abmelden@example.org');
    const client = await loggedInClient(t, 'abmelden@example.org');
    const cookie = client.cookies.get('hp_session')!;

    const response = await client.submit('/account', '/logout', {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?hinweis=abgemeldet');
    expect((await client.get('/login?hinweis=abgemeldet')).body).toContain('Sie wurden abgemeldet.');
    expect(sessionRowsOf(t, user.id)).toEqual([]);

    const replayed = await browserWithCookie(t, cookie).get('/account');
    expect(replayed.statusCode).toBe(303);
    expect(replayed.headers.location).toBe('/login?next=%2Faccount');
  });

  test('other sessions of the same person stay logged in', async () => {
    const user = await createUser(t, 'zwei-geraete@example.org');
    const phone = await loggedInClient(t, 'zwei-geraete@example.org');
    const laptop = await loggedInClient(t, 'zwei-geraete@example.org');
    await phone.submit('/account', '/logout', {});
    expect((await phone.get('/account')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(200);
    expect(sessionRowsOf(t, user.id)).toHaveLength(1);
  });

  test('neither a GET nor a POST without CSRF token logs anyone out', async () => {
    const user = await createUser(t, 'bleibt@example.org');
    const client = await loggedInClient(t, 'bleibt@example.org');
    expect((await client.get('/logout')).statusCode).toBe(404);
    const forged = await client.post('/logout', {});
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Formular abgelaufen');
    expect((await client.get('/account')).statusCode).toBe(200);
    expect(sessionRowsOf(t, user.id)).toHaveLength(1);
  });
});

describe('lifetime', () => {
  test('12 hours without activity end the session', async () => {
    const user = await createUser(t, 'untaetig@example.org');
    const client = await loggedInClient(t, 'untaetig@example.org');
    t.clock.advance(12 * hour);
    const response = await client.get('/account');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Faccount');
    expect(sessionRowsOf(t, user.id)).toEqual([]);
  });

  test('a visit just before the idle limit keeps the session for another 12 hours', async () => {
    const user = await createUser(t, 'knapp@example.org');
    const client = await loggedInClient(t, 'knapp@example.org');
    t.clock.advance(12 * hour - 1);
    expect((await client.get('/account')).statusCode).toBe(200);
    t.clock.advance(12 * hour - 1);
    expect((await client.get('/account')).statusCode).toBe(200);
    t.clock.advance(12 * hour);
    expect((await client.get('/account')).statusCode).toBe(303);
    expect(sessionRowsOf(t, user.id)).toEqual([]);
  });

  test('a read-only page writes the session row only once half of the idle time has passed', async () => {
    const user = await createUser(t, 'halbzeit@example.org');
    const client = await loggedInClient(t, 'halbzeit@example.org');
    const loggedInAt = t.clock.now().getTime();

    t.clock.advance(5 * hour);
    await client.get('/requests');
    expect(sessionRowsOf(t, user.id)[0]!.idleExpiresAt).toEqual(new Date(loggedInAt + 12 * hour));

    t.clock.advance(2 * hour);
    await client.get('/requests');
    expect(sessionRowsOf(t, user.id)[0]!.idleExpiresAt).toEqual(new Date(loggedInAt + 19 * hour));
  });

  test('regular activity keeps the session alive, but never past 30 days after login', async () => {
    const user = await createUser(t, 'dauergast@example.org');
    const client = await loggedInClient(t, 'dauergast@example.org');
    const absoluteEnd = t.clock.now().getTime() + 30 * day;

    let visits = 0;
    while (t.clock.now().getTime() + 5 * hour < absoluteEnd) {
      t.clock.advance(5 * hour);
      const response = await client.get('/account');
      expect(response.statusCode, `visit at ${t.clock.now().toISOString()}`).toBe(200);
      visits += 1;
    }
    expect(visits).toBe(143);

    t.clock.set(new Date(absoluteEnd));
    const response = await client.get('/account');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Faccount');
    expect(sessionRowsOf(t, user.id)).toEqual([]);
  });

  test('sessions nobody comes back to are deleted by the automations once either of their ends has passed', async () => {
    const idle = await createUser(t, 'weggegangen@example.org');
    await loggedInClient(t, 'weggegangen@example.org');
    const ending = await createUser(t, 'endet-bald@example.org');
    await loggedInClient(t, 'endet-bald@example.org');
    // Written close to its 30-day end: idle still far off, the absolute end in an hour.
    const loggedInAt = t.clock.now().getTime();
    t.db.update(sessions).set({ absoluteExpiresAt: new Date(loggedInAt + hour) }).where(eq(sessions.userId, ending.id)).run();

    t.clock.advance(2 * hour);
    expect((await t.services.automations.runDue(t.clock.now())).expired_sessions).toBeGreaterThanOrEqual(1);
    expect(sessionRowsOf(t, ending.id)).toEqual([]);
    expect(sessionRowsOf(t, idle.id)).toHaveLength(1);

    const fresh = await createUser(t, 'gerade-da@example.org');
    t.clock.advance(9 * hour);
    await loggedInClient(t, 'gerade-da@example.org');
    t.clock.advance(hour);
    await t.services.automations.runDue(t.clock.now());
    expect(sessionRowsOf(t, idle.id)).toEqual([]);
    expect(sessionRowsOf(t, fresh.id)).toHaveLength(1);
  });

  test('a disabled account is logged out at its next request', async () => {
    const user = await createUser(t, 'wird-gesperrt@example.org');
    const client = await loggedInClient(t, 'wird-gesperrt@example.org');
    t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, user.id)).run();
    expect((await client.get('/account')).statusCode).toBe(303);
    expect(sessionRowsOf(t, user.id)).toEqual([]);
  });

  test('the browser of a disabled account can still log out, or log in as someone else, at once', async () => {
    const disabled = await createUser(t, 'gesperrt-danach@example.org');
    await createUser(t, 'mitbewohner@example.org');
    const disableNow = () => t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, disabled.id)).run();
    const enableAgain = () => t.db.update(users).set({ disabledAt: null }).where(eq(users.id, disabled.id)).run();

    const leaving = await loggedInClient(t, 'gesperrt-danach@example.org');
    const token = csrfTokenOf((await leaving.get('/account')).body, '/logout');
    disableNow();
    const logout = await leaving.post('/logout', { _csrf: token });
    expect(logout.statusCode).toBe(303);
    expect(logout.headers.location).toBe('/login?hinweis=abgemeldet');
    expect(sessionRowsOf(t, disabled.id)).toEqual([]);

    enableAgain();
    const shared = await loggedInClient(t, 'gesperrt-danach@example.org');
    const loginToken = csrfTokenOf((await shared.get('/account')).body, '/logout');
    disableNow();
    const login = await shared.post('/login', { _csrf: loginToken, email: 'mitbewohner@example.org', password: defaultPassword });
    expect(login.statusCode).toBe(303);
    expect((await shared.get('/account')).body).toContain('mitbewohner@example.org');
    expect(sessionRowsOf(t, disabled.id)).toEqual([]);
  });
});

test('pages of a logged-in person are never stored by caches', async () => {
  await createUser(t, 'privat@example.org');
  const client = await loggedInClient(t, 'privat@example.org');
  for (const url of ['/', '/requests', '/account', '/requests/new', '/requests/999999']) {
    const response = await client.get(url);
    expect(response.headers['cache-control'], url).toBe('no-store');
  }
});
