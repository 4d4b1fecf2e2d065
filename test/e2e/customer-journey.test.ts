// The customer's whole way in real Chromium, from the contact form to a reopened request and an answer by mail, with axe on every page.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserApp, expectAccessible, loadedAfter, startBrowserApp, skipRestOfJourneyAfterFailure } from '../helpers/browser.js';
import { linkIn } from '../helpers/mailbox.js';
import { testPublicUrl } from '../helpers/test-app.js';

const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const customer = { name: 'Erika Mustermann', email: 'erika@example.org', password: 'Meine Lok fährt wieder 2026' };
const subject = 'Lok BR 218 fehlt';

let b: BrowserApp;
let page: Page;
let ticketId: number;

beforeAll(async () => {
  b = await startBrowserApp();
  page = b.page;
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => { await b?.close(); });

skipRestOfJourneyAfterFailure();

function heading(): Promise<string> {
  return page.getByRole('heading', { level: 1 }).innerText();
}

function statusInDetails(): Promise<string> {
  return page.getByRole('complementary', { name: 'Details' }).locator('dt:text-is("Status") + dd').innerText();
}

function lastMessage(): Promise<string> {
  return page.getByRole('region', { name: 'Verlauf' }).getByRole('listitem').last().innerText();
}

async function reply(text: string, options: { markSolved: boolean }): Promise<void> {
  await page.getByLabel('Ihre Antwort', { exact: true }).fill(text);
  await page.getByLabel('Bitte betrachten Sie diese Anfrage als gelöst', { exact: true }).setChecked(options.markSolved);
  await loadedAfter(page, () => page.getByRole('button', { name: 'Absenden', exact: true }).click());
}

describe.sequential('customer journey', () => {
  test('an anonymous visitor opens the contact form from the home page and sees every mistake named', async () => {
    await page.goto(`${b.origin}/`);
    await expectAccessible(page, 'the home page');

    await loadedAfter(page, () => page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Anfrage einreichen' }).click());
    expect(await heading()).toBe('Anfrage einreichen');
    await expectAccessible(page, 'the empty contact form');

    await page.getByLabel('Ihr Name', { exact: true }).fill(customer.name);
    await page.getByLabel('E-Mail-Adresse', { exact: true }).fill('erika.example.org');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Absenden', exact: true }).click());

    const summary = page.getByRole('alert');
    expect(await summary.getByRole('heading').innerText()).toBe('Bitte prüfen Sie Ihre Eingaben');
    // Screen readers learn of the errors only if the summary takes focus; this waits until it has.
    await page.locator('[role="alert"]:focus').waitFor();
    expect(await summary.getByRole('listitem').allInnerTexts()).toEqual([
      'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.',
      'Bitte geben Sie einen Betreff an.',
      'Bitte beschreiben Sie Ihr Anliegen.',
    ]);
    expect(await page.getByLabel('E-Mail-Adresse', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Ihr Name', { exact: true }).inputValue()).toBe(customer.name);
    await expectAccessible(page, 'the contact form with errors');
    await page.screenshot({ path: `${screenshotDir}contact-form-errors.png`, fullPage: true });
  });

  test('the corrected form leads to the thank-you page with the request number', async () => {
    await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(customer.email);
    await page.getByLabel('Betreff', { exact: true }).fill(subject);
    await page.getByLabel('Beschreibung', { exact: true }).fill('In meinem Paket fehlt die Lok.\nBestellung 100234.');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Absenden', exact: true }).click());

    expect(await heading()).toBe('Vielen Dank für Ihre Anfrage');
    const number = (await page.getByRole('main').innerText()).match(/hat die Nummer #(\d+)/);
    expect(number, 'the thank-you page names the request number').not.toBeNull();
    ticketId = Number(number![1]);
    await expectAccessible(page, 'the thank-you page');
  });

  test('the acknowledgement mail leads to "Kennwort vergessen", where a link is requested', async () => {
    const acknowledgement = await b.t.mailbox.receiveOne(customer.email);
    expect(acknowledgement.subject).toBe(`[#${ticketId}] Ihre Anfrage ist eingegangen`);

    await page.goto(b.local(linkIn(acknowledgement, `${testPublicUrl}/password/`)));
    expect(await heading()).toBe('Kennwort vergessen');
    await expectAccessible(page, '"Kennwort vergessen"');

    await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(customer.email);
    await loadedAfter(page, () => page.getByRole('button', { name: 'Link anfordern', exact: true }).click());
    expect(await heading()).toBe('Bitte sehen Sie in Ihr Postfach');
    await expectAccessible(page, 'the "link sent" page');
  });

  test('the mailed link sets a password, and the login page confirms it', async () => {
    const resetMail = await b.t.mailbox.receiveOne(customer.email);
    await page.goto(b.local(linkIn(resetMail, `${testPublicUrl}/password/reset/`)));
    expect(await heading()).toBe('Neues Kennwort festlegen');
    await expectAccessible(page, 'the page to set a password');

    await page.getByLabel('Neues Kennwort', { exact: true }).fill(customer.password);
    await page.getByLabel('Kennwort wiederholen', { exact: true }).fill(customer.password);
    await loadedAfter(page, () => page.getByRole('button', { name: 'Kennwort speichern', exact: true }).click());

    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await heading()).toBe('Anmelden');
    expect(await page.getByRole('status').innerText()).toBe('Ihr Kennwort wurde gespeichert. Bitte melden Sie sich jetzt damit an.');
    await expectAccessible(page, 'the login page with the success notice');
    expect((await b.t.mailbox.receiveOne(customer.email)).subject).toContain('Kennwort geändert');
  });

  test('after logging in, "Meine Aktivitäten" lists the request as "Offen"', async () => {
    await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(customer.email);
    await page.getByLabel('Kennwort', { exact: true }).fill(customer.password);
    await loadedAfter(page, () => page.getByRole('button', { name: 'Anmelden', exact: true }).click());

    expect(new URL(page.url()).pathname).toBe('/requests');
    expect(await heading()).toBe('Meine Aktivitäten');
    const row = page.getByRole('row', { name: new RegExp(subject) });
    // The test clock stands at 2026-11-30 09:00 UTC, which customers read in Berlin time.
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([subject, `#${ticketId}`, '30.11.2026, 10:00', '30.11.2026, 10:00', 'Offen']);
    await expectAccessible(page, '"Meine Aktivitäten"');
  });

  test('the subject opens the request; a reply with the solved box marks it "Gelöst"', async () => {
    await loadedAfter(page, () => page.getByRole('link', { name: subject, exact: true }).click());
    expect(new URL(page.url()).pathname).toBe(`/requests/${ticketId}`);
    expect(await heading()).toBe(subject);
    expect(await statusInDetails()).toBe('Offen');
    expect(await lastMessage()).toContain('In meinem Paket fehlt die Lok.');
    await expectAccessible(page, 'the request detail page');

    await reply('Danke, hat sich erledigt.', { markSolved: true });
    expect(await page.getByRole('status').innerText()).toContain('Die Anfrage ist jetzt als gelöst markiert.');
    expect(await statusInDetails()).toBe('Gelöst');
    expect(await lastMessage()).toContain('Danke, hat sich erledigt.');
    await expectAccessible(page, 'the request solved by the customer');
  });

  test('answering the solved request again reopens it as "Offen"', async () => {
    expect(await page.getByLabel('Ihre Antwort', { exact: true }).inputValue()).toBe('');
    await reply('Leider ist die Lok doch beschädigt angekommen.', { markSolved: false });
    expect(await page.getByRole('status').innerText()).toBe('Ihre Antwort wurde gesendet.');
    expect(await statusInDetails()).toBe('Offen');
    expect(await lastMessage()).toContain('Leider ist die Lok doch beschädigt angekommen.');
    await expectAccessible(page, 'the reopened request');
    await page.screenshot({ path: `${screenshotDir}request-detail.png`, fullPage: true });
  });

  test('ticking the solved box on a question asks once more, and "keep open" keeps it open', async () => {
    // Two lines: the text travels through a hidden field of the confirmation page and must arrive whole.
    await reply('Danke für die Hilfe.\nWann kommt die Ersatzlok?', { markSolved: true });
    expect(await heading()).toBe('Anfrage wirklich als gelöst markieren?');
    expect(await page.getByRole('main').innerText()).toContain('Ihre Nachricht enthält eine Frage');
    await expectAccessible(page, 'the question guard');

    await loadedAfter(page, () => page.getByRole('button', { name: 'Nur Antwort senden, Anfrage bleibt offen', exact: true }).click());
    expect(new URL(page.url()).pathname).toBe(`/requests/${ticketId}`);
    expect(await page.getByRole('status').innerText()).toBe('Ihre Antwort wurde gesendet.');
    expect(await statusInDetails()).toBe('Offen');
    expect(await lastMessage()).toContain('Danke für die Hilfe.\nWann kommt die Ersatzlok?');
    await expectAccessible(page, 'the request after the question guard');
  });

  test('an answer by mail shows its own words, and opens its quoted text with the keyboard', async () => {
    const mail = [
      `From: ${customer.name} <${customer.email}>`, 'To: support@example.com', `Subject: Re: [#${ticketId}] ${subject}`,
      'Message-ID: <antwort-per-mail@example.org>', 'Date: Mon, 30 Nov 2026 10:00:00 +0100', 'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
      'Die Ersatzlok ist heute angekommen.', '', 'Am 29.11.2026 um 18:00 schrieb Servicecenter:', '> Wir schicken Ihnen eine Ersatzlok.', '',
    ].join('\r\n');
    expect((await b.t.services.inbound.ingest(Buffer.from(mail), 'pipe')).status).toBe('stored');

    await page.goto(`${b.origin}/requests/${ticketId}`);
    expect(await lastMessage()).toContain('Die Ersatzlok ist heute angekommen.');
    const quoted = page.getByRole('region', { name: 'Verlauf' }).getByRole('listitem').last().locator('details');
    expect(await quoted.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await quoted.getByText('Zitierten Text anzeigen', { exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await quoted.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    expect(await quoted.innerText()).toContain('> Wir schicken Ihnen eine Ersatzlok.');
    await expectAccessible(page, 'the request with a mail answer and its quoted text open');
  });
});
