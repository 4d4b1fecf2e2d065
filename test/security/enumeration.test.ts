// Security suite: login, "Kennwort vergessen" and the contact form answer alike for known and unknown addresses.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { users } from '../../src/db/schema.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/modules/users/passwords.js';
import { createUser } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

/** The real argon2 hasher, counting its checks: a dummy check must run for unknown addresses (counted, never timed). */
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

/** A page with what differs between two visits (CSRF token, the typed address, a request number) blanked out. */
function comparable(html: string, email: string): string {
  return html.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(email, '[email]').replace(/#\d+/g, '#[id]');
}

let t: TestApp;
let calls: ReturnType<typeof countingHasher>['calls'];
beforeAll(async () => {
  const counting = countingHasher();
  calls = counting.calls;
  t = await testApp({ overrides: { hasher: counting.hasher } });
  await createUser(t, 'bekannt@example.org');
  await createUser(t, 'ohne-kennwort@example.org', { password: null });
  const disabled = await createUser(t, 'gesperrt@example.org');
  t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, disabled.id)).run();
});
afterAll(async () => { await t.close(); });

test('login: known (wrong password), unknown, passwordless and disabled addresses get the same 422 page', async () => {
  const addresses = ['bekannt@example.org', 'niemand@example.org', 'ohne-kennwort@example.org', 'gesperrt@example.org'];
  const pages = [];
  for (const email of addresses) {
    const response = await new WebClient(t.app).submit('/login', '/login', { email, password: 'falsches Kennwort 1' });
    expect(response.statusCode, email).toBe(422);
    pages.push(comparable(response.body, email));
  }
  expect(pages[0]).toContain('E-Mail-Adresse oder Kennwort ist nicht richtig.');
  for (const page of pages) expect(page).toBe(pages[0]);
});

test('login: an unknown address runs the dummy argon2 check, a known one the real check', async () => {
  const before = { ...calls };
  await new WebClient(t.app).submit('/login', '/login', { email: 'unbekannt@example.org', password: 'irgendein Kennwort' });
  expect(calls).toEqual({ verify: before.verify, verifyAgainstNothing: before.verifyAgainstNothing + 1 });
  await new WebClient(t.app).submit('/login', '/login', { email: 'bekannt@example.org', password: 'irgendein Kennwort' });
  expect(calls).toEqual({ verify: before.verify + 1, verifyAgainstNothing: before.verifyAgainstNothing + 1 });
  await new WebClient(t.app).submit('/login', '/login', { email: 'ohne-kennwort@example.org', password: 'irgendein Kennwort' });
  expect(calls.verifyAgainstNothing).toBe(before.verifyAgainstNothing + 2);
});

test('"Kennwort vergessen": every address gets the same page; only account holders get a mail', async () => {
  await t.mailbox.receive();
  const bodies = [];
  for (const email of ['bekannt@example.org', 'niemand@example.org', 'gesperrt@example.org']) {
    const response = await new WebClient(t.app).submit('/password/forgot', '/password/forgot', { email });
    expect(response.statusCode, email).toBe(200);
    bodies.push(response.body);
  }
  for (const body of bodies) expect(body).toBe(bodies[0]);
  expect((await t.mailbox.receive()).map((mail) => mail.to)).toEqual(['bekannt@example.org']);
});

test('contact form: a visitor writing with a registered or an unknown address gets the same answer', async () => {
  const outcomes = [];
  for (const email of ['bekannt@example.org', 'neu-hier@example.org']) {
    const visitor = new WebClient(t.app);
    const sent = await visitor.submit('/requests/new', '/requests/new', { name: 'Vera Besuch', email, subject: 'Frage zur Lieferung', description: 'Wann kommt mein Paket?' });
    expect(sent.statusCode, email).toBe(303);
    const location = String(sent.headers.location);
    expect(location).toMatch(/^\/requests\/received\/\d+\.[\w-]+$/);
    const page = await visitor.get(location);
    expect(page.statusCode).toBe(200);
    outcomes.push(comparable(page.body, email));
  }
  expect(outcomes[1]).toBe(outcomes[0]);
});
