// "Kennwort vergessen" and the mailed link: same answer for every address, a hashed one-time token, the password rules.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { passwordTokens, sessions, users } from '../../src/db/schema.js';
import { sha256 } from '../../src/lib/tokens.js';
import { createRequest, createUser, defaultPassword, loggedInClient } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';

const minute = 60_000;
const sentText = 'Wenn zu dieser E-Mail-Adresse ein Konto besteht, haben wir Ihnen soeben einen Link gesendet.';
const savedNotice = 'Ihr Kennwort wurde gespeichert. Bitte melden Sie sich jetzt damit an.';
const linkGone = 'Dieser Link gilt nicht mehr';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

/** Asks for a link as a visitor would, and returns the path of the link in the mail that arrives. */
async function requestLink(app: TestApp, email: string, client = new WebClient(app.app)): Promise<string> {
  const response = await client.submit('/password/forgot', '/password/forgot', { email });
  expect(response.statusCode).toBe(200);
  const mail = await app.mailbox.receiveOne(email.trim().toLowerCase());
  return new URL(linkIn(mail, `${testPublicUrl}/password/reset/`)).pathname;
}

function tokenOf(linkPath: string): string {
  return linkPath.split('/').at(-1)!;
}

/** Fills "Neues Kennwort" and "Kennwort wiederholen" on the link's page and saves. */
function setPassword(client: WebClient, linkPath: string, password: string, passwordRepeat = password) {
  return client.submit(linkPath, linkPath, { password, passwordRepeat });
}

/** Posts to a link whose page no longer shows a form, with a valid CSRF token from another page. */
async function postToLink(client: WebClient, linkPath: string, password: string) {
  const token = csrfTokenOf((await client.get('/password/forgot')).body, '/password/forgot');
  return client.post(linkPath, { _csrf: token, password, passwordRepeat: password });
}

function canLogIn(email: string, password: string) {
  return new WebClient(t.app).submit('/login', '/login', { email, password }).then((response) => response.statusCode === 303);
}

function passwordHashOf(email: string) {
  return t.db.select().from(users).where(eq(users.email, email)).get()!.passwordHash;
}

function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
}

describe('Kennwort vergessen', () => {
  test('/password/forgot and /access/help show the same form', async () => {
    const visitor = new WebClient(t.app);
    const forgot = await visitor.get('/password/forgot');
    const help = await visitor.get('/access/help');
    expect(forgot.statusCode).toBe(200);
    expect(help.statusCode).toBe(200);
    expect(forgot.body).toContain('<h1>Kennwort vergessen</h1>');
    expect(forgot.body).toContain('<label for="email">E-Mail-Adresse</label>');
    expect(forgot.body).toContain('Link anfordern');
    expect(withoutCsrf(help.body)).toBe(withoutCsrf(forgot.body));
  });

  test('known, passwordless, unknown and disabled addresses get the same page; only the first two get a mail', async () => {
    await createUser(t, 'bekannt@example.org');
    await createUser(t, 'ohne-kennwort@example.org', { password: null });
    const disabled = await createUser(t, 'gesperrt@example.org');
    t.db.update(users).set({ disabledAt: t.clock.now() }).where(eq(users.id, disabled.id)).run();
    await t.mailbox.receive();

    const addresses = ['bekannt@example.org', 'ohne-kennwort@example.org', 'unbekannt@example.org', 'gesperrt@example.org'];
    const answers = [];
    for (const email of addresses) {
      answers.push(await new WebClient(t.app).submit('/access/help', '/password/forgot', { email }));
    }
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers[0]!.body).toContain(sentText);
    for (const answer of answers) expect(answer.body).toBe(answers[0]!.body);

    const mails = await t.mailbox.receive();
    expect(mails.map((mail) => mail.to).sort()).toEqual(['bekannt@example.org', 'ohne-kennwort@example.org']);
    expect(mails.every((mail) => mail.subject.endsWith('Kennwort festlegen'))).toBe(true);
  });

  test('the address is found whatever its case', async () => {
    await createUser(t, 'gross-klein@example.org');
    const link = await requestLink(t, ' Gross-Klein@Example.ORG ');
    expect(link).toMatch(/^\/password\/reset\/[\w-]{40,}$/);
  });

  test('an invalid address is named in German on the page, and nothing is sent', async () => {
    await t.mailbox.receive();
    const response = await new WebClient(t.app).submit('/password/forgot', '/password/forgot', { email: 'keine-adresse' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an');
    expect(response.body).toContain('value="keine-adresse"');
    expect(await t.mailbox.receive()).toEqual([]);
  });

  test('the link is built from PUBLIC_URL, never from the Host or X-Forwarded-Host of the request', async () => {
    await createUser(t, 'host@example.org');
    const client = new WebClient(t.app, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    await client.submit('/password/forgot', '/password/forgot', { email: 'host@example.org' });
    const mail = await t.mailbox.receiveOne('host@example.org');
    expect(linkIn(mail, `${testPublicUrl}/password/reset/`)).toMatch(new RegExp(`^${testPublicUrl}/password/reset/[\\w-]+$`));
    expect(mail.text + mail.html).not.toContain('evil.example');
  });

  test('behind a trusted proxy, a forwarded host does not change the link either', async () => {
    const proxied = await testApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      await createUser(proxied, 'proxy@example.org');
      const client = new WebClient(proxied.app, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
      await client.submit('/password/forgot', '/password/forgot', { email: 'proxy@example.org' });
      const mail = await proxied.mailbox.receiveOne('proxy@example.org');
      expect(linkIn(mail, `${testPublicUrl}/password/reset/`)).toMatch(new RegExp(`^${testPublicUrl}/password/reset/[\\w-]+$`));
      expect(mail.text + mail.html).not.toContain('evil.example');
    } finally {
      await proxied.close();
    }
  });
});

describe('the token', () => {
  test('is stored only as its SHA-256 hash, valid for 60 minutes', async () => {
    const user = await createUser(t, 'hash@example.org');
    const token = tokenOf(await requestLink(t, 'hash@example.org'));

    const rows = t.db.$client.prepare('select * from password_tokens').all();
    expect(JSON.stringify(rows)).not.toContain(token);
    const own = t.db.select().from(passwordTokens).where(eq(passwordTokens.userId, user.id)).all();
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ tokenHash: sha256(token), purpose: 'reset', usedAt: null });
    expect(own[0]!.expiresAt).toEqual(new Date(t.clock.now().getTime() + 60 * minute));
  });

  test('the link works once', async () => {
    await createUser(t, 'einmal@example.org');
    const link = await requestLink(t, 'einmal@example.org');
    const client = new WebClient(t.app);

    const page = await client.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="password">Neues Kennwort</label>');
    expect(page.body).toContain('<label for="passwordRepeat">Kennwort wiederholen</label>');
    expect(page.body).toContain('Kennwort speichern');
    expect((await setPassword(client, link, 'erstes neues Kennwort')).statusCode).toBe(303);

    const again = await client.get(link);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain(linkGone);
    const reused = await postToLink(client, link, 'zweites neues Kennwort');
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toContain(linkGone);
    expect(await canLogIn('einmal@example.org', 'erstes neues Kennwort')).toBe(true);
    expect(await canLogIn('einmal@example.org', 'zweites neues Kennwort')).toBe(false);
  });

  test('expires after 60 minutes', async () => {
    await createUser(t, 'ablauf@example.org');
    const link = await requestLink(t, 'ablauf@example.org');
    const client = new WebClient(t.app);
    const hashBefore = passwordHashOf('ablauf@example.org');

    t.clock.advance(59 * minute);
    expect((await client.get(link)).statusCode).toBe(200);
    t.clock.advance(1 * minute);
    const expired = await client.get(link);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain(linkGone);
    expect((await postToLink(client, link, 'zu spätes Kennwort')).statusCode).toBe(410);
    expect(passwordHashOf('ablauf@example.org')).toBe(hashBefore);
  });

  test('a newer link replaces the older one', async () => {
    await createUser(t, 'zweimal@example.org');
    const older = await requestLink(t, 'zweimal@example.org');
    const newer = await requestLink(t, 'zweimal@example.org');
    const client = new WebClient(t.app);
    expect((await client.get(older)).statusCode).toBe(410);
    expect((await client.get(newer)).statusCode).toBe(200);
    expect((await setPassword(client, newer, 'das neueste Kennwort')).statusCode).toBe(303);
  });

  test('a made-up token gets the same "link no longer valid" page', async () => {
    const response = await new WebClient(t.app).get('/password/reset/ausgedacht');
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain(linkGone);
    expect(response.body).toContain('Neuen Link anfordern');
  });

  test('the one-time link an operator creates for a new account holds for 7 days', async () => {
    const { setPasswordUrl } = await t.services.accounts.createUser({ email: 'einladung@example.org', name: 'Ines Einladung', role: 'customer' });
    const link = new URL(setPasswordUrl!).pathname;
    expect(setPasswordUrl!.startsWith(`${testPublicUrl}/password/reset/`)).toBe(true);
    const client = new WebClient(t.app);
    t.clock.advance(7 * 24 * 60 * minute - 1);
    expect((await client.get(link)).statusCode).toBe(200);
    t.clock.advance(1);
    expect((await client.get(link)).statusCode).toBe(410);
  });
});

describe('the password rules', () => {
  let link: string;
  let hashBefore: string | null;
  beforeAll(async () => {
    await createUser(t, 'regeln@example.org');
    link = await requestLink(t, 'regeln@example.org');
    hashBefore = passwordHashOf('regeln@example.org');
  });

  test.each([
    ['9 characters', 'kurz12345', 'Das Kennwort muss mindestens 10 Zeichen lang sein.'],
    ['257 characters', 'k'.repeat(257), 'Das Kennwort darf höchstens 256 Zeichen lang sein.'],
    ['"password123"', 'password123', 'Dieses Kennwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.'],
    ['"1234567890"', '1234567890', 'Dieses Kennwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.'],
    ['"Passwort123"', 'Passwort123', 'Dieses Kennwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.'],
  ])('%s are refused on the page in German, and the link stays usable', async (_what, password, message) => {
    const client = new WebClient(t.app);
    const response = await setPassword(client, link, password);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(response.body).toContain('Kennwort speichern');
    expect(response.body).not.toContain(`value="${password}"`);
    expect(passwordHashOf('regeln@example.org')).toBe(hashBefore);
    expect((await client.get(link)).statusCode).toBe(200);
  });

  test('the two fields must match', async () => {
    const response = await setPassword(new WebClient(t.app), link, 'ein gutes Kennwort', 'ein gutes Kennwurt');
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Die beiden Kennwörter stimmen nicht überein.');
    expect(passwordHashOf('regeln@example.org')).toBe(hashBefore);
  });

  test.each([
    [10, 'Zug fährt!'],
    [256, 'Modelleisenbahn '.repeat(16)],
  ])('exactly %i characters are accepted', async (length, password) => {
    expect(password).toHaveLength(length);
    const email = `grenze-${length}@example.org`;
    await createUser(t, email);
    const own = await requestLink(t, email);
    expect((await setPassword(new WebClient(t.app), own, password)).statusCode).toBe(303);
    expect(await canLogIn(email, password)).toBe(true);
  });
});

describe('after the new password is saved', () => {
  test('every session ends, the login page says so, a mail tells about the change, and the new password logs in', async () => {
    const user = await createUser(t, 'neu@example.org', { name: 'Nora Neu' });
    const phone = await loggedInClient(t, 'neu@example.org');
    const laptop = await loggedInClient(t, 'neu@example.org');
    expect(t.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(2);

    const link = await requestLink(t, 'neu@example.org');
    const browser = new WebClient(t.app);
    const response = await setPassword(browser, link, 'mein ganz neues Kennwort');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?hinweis=kennwort-gespeichert');
    expect((await browser.get(response.headers.location as string)).body).toContain(savedNotice);

    expect(t.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
    expect((await phone.get('/requests')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(303);

    const mail = await t.mailbox.receiveOne('neu@example.org');
    expect(mail.subject).toMatch(/Kennwort geändert$/);
    expect(linkIn(mail, `${testPublicUrl}/login`)).toBe(`${testPublicUrl}/login`);
    expect(linkIn(mail, `${testPublicUrl}/password/`)).toBe(`${testPublicUrl}/password/forgot`);
    expect(mail.text).not.toContain('mein ganz neues Kennwort');

    expect(await canLogIn('neu@example.org', defaultPassword)).toBe(false);
    expect(await canLogIn('neu@example.org', 'mein ganz neues Kennwort')).toBe(true);
  });

  test('someone who only ever wrote in sets a first password and sees their request', async () => {
    const ticket = createRequest(t, { email: 'schrieb@example.org', name: 'Sven Schreiber' }, 'Wo bleibt mein Paket?');
    await t.mailbox.receive();
    const link = await requestLink(t, 'schrieb@example.org');
    expect((await setPassword(new WebClient(t.app), link, 'endlich ein Kennwort')).statusCode).toBe(303);

    const client = await loggedInClient(t, 'schrieb@example.org', 'endlich ein Kennwort');
    const list = await client.get('/requests');
    expect(list.body).toContain('Wo bleibt mein Paket?');
    expect(list.body).toContain(`${ticket.id}`);
  });
});
