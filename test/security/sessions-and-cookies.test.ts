// Security suite: session fixation, cookie flags, logout removes the row, idle (12 h) and absolute (30 days) lifetimes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

const hour = 3600_000;
const day = 24 * hour;

type ResponseCookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string };

const cookieOf = (response: { cookies: unknown[] }, name: string) => (response.cookies as ResponseCookie[]).find((cookie) => cookie.name === name);
const sidOf = (cookieValue: string) => decodeURIComponent(cookieValue).split('.')[0]!;

let t: TestApp;
let nextUser = 0;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

async function newCustomer() {
  nextUser += 1;
  return createUser(t, `sitzung${nextUser}@example.org`);
}

function rowsOf(userId: number) {
  return t.db.select().from(sessions).where(eq(sessions.userId, userId)).all();
}

test('session fixation: a session id planted before login is dead after it', async () => {
  const attackerUser = await newCustomer();
  const victim = await newCustomer();
  const attacker = await loggedInClient(t, attackerUser.email);
  const planted = attacker.cookies.get('hp_session')!;

  const browser = new WebClient(t.app);
  browser.cookies.set('hp_session', planted);
  const page = await browser.get('/');
  const login = await browser.post('/login', { _csrf: csrfTokenOf(page.body, '/logout'), email: victim.email, password: defaultPassword });
  expect(login.statusCode).toBe(303);

  const fresh = browser.cookies.get('hp_session')!;
  expect(sidOf(fresh)).not.toBe(sidOf(planted));
  expect(t.db.select().from(sessions).all().map((row) => row.sid)).not.toContain(sidOf(planted));
  expect(rowsOf(victim.id).map((row) => row.sid)).toEqual([sidOf(fresh)]);
});

test('a made-up session id gives no session and is replaced at login', async () => {
  const user = await newCustomer();
  const browser = new WebClient(t.app);
  browser.cookies.set('hp_session', 'ausgedacht.signatur');
  expect((await browser.get('/account')).statusCode).toBe(303);
  await browser.submit('/login', '/login', { email: user.email, password: defaultPassword });
  expect(browser.cookies.get('hp_session')).not.toBe('ausgedacht.signatur');
});

describe('cookie flags', () => {
  test('on plain http: session and CSRF cookies are HttpOnly, SameSite=Lax, path /', async () => {
    const user = await newCustomer();
    const browser = new WebClient(t.app);
    const loginPage = await browser.get('/login');
    const login = await browser.post('/login', { _csrf: csrfTokenOf(loginPage.body, '/login'), email: user.email, password: defaultPassword });
    for (const cookie of [cookieOf(loginPage, 'hp_csrf'), cookieOf(login, 'hp_session')]) {
      expect(cookie).toBeDefined();
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    }
  });

  test('with an https PUBLIC_URL both cookies are Secure too', async () => {
    const secure = await testApp({ env: { PUBLIC_URL: 'https://portal.example.test', TRUST_PROXY: '127.0.0.1' } });
    try {
      await createUser(secure, 'sicher@example.org');
      const browser = new WebClient(secure.app, { 'x-forwarded-proto': 'https' });
      const loginPage = await browser.get('/login');
      const login = await browser.post('/login', { _csrf: csrfTokenOf(loginPage.body, '/login'), email: 'sicher@example.org', password: defaultPassword });
      expect(cookieOf(loginPage, 'hp_csrf')).toMatchObject({ secure: true, httpOnly: true });
      expect(cookieOf(login, 'hp_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await secure.close();
    }
  });

  test('anonymous visits set no session cookie and write no session row', async () => {
    const before = t.db.select().from(sessions).all().length;
    const visitor = new WebClient(t.app);
    for (const url of ['/', '/login', '/requests/new', '/kb', '/password/forgot']) {
      const response = await visitor.get(url);
      expect(cookieOf(response, 'hp_session'), url).toBeUndefined();
    }
    expect(t.db.select().from(sessions).all()).toHaveLength(before);
  });
});

test('logout deletes the session row, and the old cookie no longer works', async () => {
  const user = await newCustomer();
  const client = await loggedInClient(t, user.email);
  const cookie = client.cookies.get('hp_session')!;
  expect(rowsOf(user.id)).toHaveLength(1);
  expect((await client.submit('/account', '/logout', {})).statusCode).toBe(303);
  expect(rowsOf(user.id)).toEqual([]);
  const replay = new WebClient(t.app);
  replay.cookies.set('hp_session', cookie);
  expect((await replay.get('/account')).statusCode).toBe(303);
});

test('"log out everywhere" ends every session of the person', async () => {
  const user = await newCustomer();
  const phone = await loggedInClient(t, user.email);
  const laptop = await loggedInClient(t, user.email);
  expect(rowsOf(user.id)).toHaveLength(2);
  expect((await laptop.submit('/account', '/account/logout-everywhere', {})).statusCode).toBe(303);
  expect(rowsOf(user.id)).toEqual([]);
  expect((await phone.get('/account')).statusCode).toBe(303);
});

describe('lifetimes', () => {
  test('idle: 12 hours without a request end the session', async () => {
    const user = await newCustomer();
    const client = await loggedInClient(t, user.email);
    t.clock.advance(12 * hour - 1);
    expect((await client.get('/account')).statusCode).toBe(200);
    t.clock.advance(12 * hour);
    expect((await client.get('/account')).headers.location).toBe('/login?next=%2Faccount');
    expect(rowsOf(user.id)).toEqual([]);
  });

  test('absolute: activity keeps it alive, but never past 30 days after login', async () => {
    const user = await newCustomer();
    const client = await loggedInClient(t, user.email);
    const end = t.clock.now().getTime() + 30 * day;
    while (t.clock.now().getTime() + 11 * hour < end) {
      t.clock.advance(11 * hour);
      expect((await client.get('/account')).statusCode).toBe(200);
    }
    t.clock.set(new Date(end));
    expect((await client.get('/account')).statusCode).toBe(303);
    expect(rowsOf(user.id)).toEqual([]);
  });
});
