// "Mein Konto": changing the name, changing the password (other devices logged out), logging out on every device.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../src/db/schema.js';
import { createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

function userByEmail(email: string) {
  return t.db.select().from(users).where(eq(users.email, email)).get()!;
}

function sessionRowsOf(userId: number) {
  return t.db.select().from(sessions).where(eq(sessions.userId, userId)).all();
}

async function canLogIn(email: string, password: string): Promise<boolean> {
  const response = await new WebClient(t.app).submit('/login', '/login', { email, password });
  return response.statusCode === 303;
}

function changePassword(client: WebClient, fields: { currentPassword: string; password: string; passwordRepeat?: string }) {
  return client.submit('/account', '/account/password', { passwordRepeat: fields.password, ...fields });
}

test('shows the name, the address and the three things one can do', async () => {
  await createUser(t, 'konto@example.org', { name: 'Konrad Konto' });
  const client = await loggedInClient(t, 'konto@example.org');
  const page = await client.get('/account');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<h1>Mein Konto</h1>');
  expect(page.body).toMatch(/id="name"[^>]*value="Konrad Konto"/);
  expect(page.body).toContain('konto@example.org');
  expect(page.body).toContain('<label for="currentPassword">Bisheriges Kennwort</label>');
  expect(page.body).toContain('<label for="password">Neues Kennwort</label>');
  expect(page.body).toContain('<label for="passwordRepeat">Kennwort wiederholen</label>');
  expect(page.body).toContain('Auf allen Geräten abmelden');
});

describe('the name', () => {
  test('is saved and shown with a notice', async () => {
    await createUser(t, 'umbenennen@example.org', { name: 'Alter Name' });
    const client = await loggedInClient(t, 'umbenennen@example.org');
    const response = await client.submit('/account', '/account/name', { name: '  Neue Namensträgerin ' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?hinweis=name');
    const page = await client.get(response.headers.location as string);
    expect(page.body).toContain('Ihr Name wurde gespeichert.');
    expect(page.body).toMatch(/id="name"[^>]*value="Neue Namensträgerin"/);
    expect(userByEmail('umbenennen@example.org').name).toBe('Neue Namensträgerin');
  });

  test.each([
    ['an empty name', '   ', 'Bitte geben Sie Ihren Namen an.'],
    ['a name over 100 characters', 'N'.repeat(101), 'Der Name darf höchstens 100 Zeichen lang sein.'],
  ])('%s is refused in German on the page, and nothing changes', async (what, name, message) => {
    const email = `${what.replaceAll(' ', '-')}@example.org`;
    await createUser(t, email, { name: 'Bleibt So' });
    const client = await loggedInClient(t, email);
    const response = await client.submit('/account', '/account/name', { name });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(userByEmail(email).name).toBe('Bleibt So');
  });

  test('a change without CSRF token is refused', async () => {
    await createUser(t, 'csrf-name@example.org', { name: 'Unverändert' });
    const client = await loggedInClient(t, 'csrf-name@example.org');
    const response = await client.post('/account/name', { name: 'Untergeschoben' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Formular abgelaufen');
    expect(userByEmail('csrf-name@example.org').name).toBe('Unverändert');
  });
});

describe('changing the password', () => {
  test('needs the right current password', async () => {
    const user = await createUser(t, 'falsch-bisher@example.org');
    const client = await loggedInClient(t, 'falsch-bisher@example.org');
    const other = await loggedInClient(t, 'falsch-bisher@example.org');
    await t.mailbox.receive();

    const response = await changePassword(client, { currentPassword: 'nicht mein Kennwort', password: 'ein anderes Kennwort' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Das bisherige Kennwort ist nicht richtig.');
    expect(response.body).not.toContain('ein anderes Kennwort');
    expect(response.body).not.toContain('nicht mein Kennwort');

    expect(sessionRowsOf(user.id)).toHaveLength(2);
    expect((await other.get('/account')).statusCode).toBe(200);
    expect(await t.mailbox.receive()).toEqual([]);
    expect(await canLogIn('falsch-bisher@example.org', defaultPassword)).toBe(true);
  });

  test.each([
    ['too short', { password: 'kurz12345' }, 'Das Kennwort muss mindestens 10 Zeichen lang sein.'],
    ['too common', { password: 'password123' }, 'Dieses Kennwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.'],
    ['not repeated the same', { password: 'ein gutes Kennwort', passwordRepeat: 'ein gutes Kennwurt' }, 'Die beiden Kennwörter stimmen nicht überein.'],
    ['missing the current one', { currentPassword: '', password: 'ein gutes Kennwort' }, 'Bitte geben Sie Ihr bisheriges Kennwort ein.'],
  ])('follows the password rules: %s is refused in German', async (what, fields, message) => {
    const email = `regel-${what.replaceAll(' ', '-')}@example.org`;
    await createUser(t, email);
    const client = await loggedInClient(t, email);
    const hashBefore = userByEmail(email).passwordHash;
    const response = await changePassword(client, { currentPassword: defaultPassword, ...fields });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(userByEmail(email).passwordHash).toBe(hashBefore);
  });

  test('ends the other sessions, keeps this one, and sends a mail', async () => {
    const user = await createUser(t, 'wechsel@example.org', { name: 'Wiebke Wechsel' });
    const here = await loggedInClient(t, 'wechsel@example.org');
    const elsewhere = await loggedInClient(t, 'wechsel@example.org');
    const bystander = await createUser(t, 'unbeteiligt@example.org');
    const bystanderClient = await loggedInClient(t, 'unbeteiligt@example.org');
    await t.mailbox.receive();

    const response = await changePassword(here, { currentPassword: defaultPassword, password: 'mein neues Kennwort' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?hinweis=kennwort');
    const page = await here.get('/account?hinweis=kennwort');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ihr Kennwort wurde geändert. Auf allen anderen Geräten sind Sie jetzt abgemeldet.');

    const elsewhereNow = await elsewhere.get('/account');
    expect(elsewhereNow.statusCode).toBe(303);
    expect(elsewhereNow.headers.location).toBe('/login?next=%2Faccount');
    expect(sessionRowsOf(user.id)).toHaveLength(1);
    expect((await bystanderClient.get('/account')).statusCode).toBe(200);
    expect(sessionRowsOf(bystander.id)).toHaveLength(1);

    const mail = await t.mailbox.receiveOne('wechsel@example.org');
    expect(mail.subject).toMatch(/Kennwort geändert$/);
    expect(linkIn(mail, `${testPublicUrl}/password/`)).toBe(`${testPublicUrl}/password/forgot`);
    expect(mail.text).not.toContain('mein neues Kennwort');

    expect(await canLogIn('wechsel@example.org', defaultPassword)).toBe(false);
    expect(await canLogIn('wechsel@example.org', 'mein neues Kennwort')).toBe(true);
  });
});

describe('"Auf allen Geräten abmelden"', () => {
  test('ends every session of the account, this one included, and no one else\'s', async () => {
    const user = await createUser(t, 'ueberall@example.org');
    const here = await loggedInClient(t, 'ueberall@example.org');
    const phone = await loggedInClient(t, 'ueberall@example.org');
    const bystander = await createUser(t, 'nebenan@example.org');
    const bystanderClient = await loggedInClient(t, 'nebenan@example.org');

    const response = await here.submit('/account', '/account/logout-everywhere', {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?hinweis=abgemeldet');
    expect((await here.get('/login?hinweis=abgemeldet')).body).toContain('Sie wurden abgemeldet.');

    expect(sessionRowsOf(user.id)).toEqual([]);
    expect((await here.get('/account')).statusCode).toBe(303);
    expect((await phone.get('/requests')).statusCode).toBe(303);
    expect(sessionRowsOf(bystander.id)).toHaveLength(1);
    expect((await bystanderClient.get('/account')).statusCode).toBe(200);
    expect(await canLogIn('ueberall@example.org', defaultPassword)).toBe(true);
  });

  test('is not triggered without CSRF token', async () => {
    const user = await createUser(t, 'csrf-abmelden@example.org');
    const client = await loggedInClient(t, 'csrf-abmelden@example.org');
    const response = await client.post('/account/logout-everywhere', {});
    expect(response.statusCode).toBe(403);
    expect(sessionRowsOf(user.id)).toHaveLength(1);
  });
});

test('every form of "Mein Konto" sends an anonymous visitor to the login page and changes nothing', async () => {
  const user = await createUser(t, 'anonym-konto@example.org', { name: 'Anton Anonym' });
  const anonymous = new WebClient(t.app);
  for (const action of ['/account/name', '/account/password', '/account/logout-everywhere']) {
    const response = await anonymous.post(action, { name: 'Übernommen', currentPassword: defaultPassword, password: 'übernommen übernommen', passwordRepeat: 'übernommen übernommen' });
    expect(response.statusCode, action).toBe(303);
    expect(response.headers.location, action).toMatch(/^\/login\?next=/);
  }
  expect(userByEmail('anonym-konto@example.org')).toMatchObject({ name: 'Anton Anonym', passwordHash: user.passwordHash });
});
