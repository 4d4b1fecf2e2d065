// Files and ratings in real Chromium with axe on every new page: upload, download, 404 for others; solve, rate from the mail, reopen.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { heading, logIn, newPersonPage } from '../helpers/agent-browser.js';
import { type BrowserApp, expectAccessible, loadedAfter, startBrowserApp, skipRestOfJourneyAfterFailure } from '../helpers/browser.js';
import { createUser } from '../helpers/fixtures.js';
import { linkIn } from '../helpers/mailbox.js';
import { testPublicUrl } from '../helpers/test-app.js';
import { samples } from '../integration/attachments-forms.js';

const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const password = 'ein langes Kennwort 42';
const owner = { name: 'Erika Mustermann', email: 'erika@example.org', password, role: 'customer' } as const;
const stranger = { name: 'Otto Anders', email: 'otto@example.org', password, role: 'customer' } as const;
const agent = { name: 'Anna Agentin', email: 'anna@shop.example.test', password, role: 'agent' } as const;
const lead = { name: 'Lea Leitung', email: 'lea@shop.example.test', password, role: 'lead' } as const;
const subject = 'Lok kam beschädigt an';

let b: BrowserApp;
let customerPage: Page;
let ticketId: number;
let pdfHref: string;
let ratingLink: string;

beforeAll(async () => {
  b = await startBrowserApp();
  customerPage = b.page;
  for (const person of [owner, stranger, agent, lead]) await createUser(b.t, person.email, person);
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => { await b?.close(); });

skipRestOfJourneyAfterFailure();

async function chooseFiles(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
  await page.getByLabel('Anhänge', { exact: true }).setInputFiles(files);
}

describe.sequential('attachments and ratings', () => {
  test('a hostile file on the contact form is refused with the reason, and the text stays', async () => {
    await logIn(customerPage, b.origin, owner);
    await customerPage.goto(`${b.origin}/requests/new`);
    await expectAccessible(customerPage, 'the contact form with its file field');
    await customerPage.getByLabel('Betreff', { exact: true }).fill(subject);
    await customerPage.getByLabel('Beschreibung', { exact: true }).fill('Die Lok hat einen Kratzer. Fotos und Lieferschein anbei.');
    await chooseFiles(customerPage, [
      { name: 'kratzer.png', mimeType: 'image/png', buffer: samples.png },
      { name: 'bild.svg', mimeType: 'image/svg+xml', buffer: samples.svgWithScript },
    ]);
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Absenden', exact: true }).click());

    expect(await heading(customerPage)).toBe('Anfrage einreichen');
    const summary = customerPage.getByRole('alert');
    expect(await summary.innerText()).toContain('„bild.svg“ enthält HTML-, SVG- oder XML-Inhalt');
    expect(await customerPage.getByLabel('Betreff', { exact: true }).inputValue()).toBe(subject);
    expect(await customerPage.getByLabel('kratzer.png (70 Bytes) mitsenden').isChecked()).toBe(true);
    await expectAccessible(customerPage, 'the contact form with a refused file');
  });

  test('sent with a PDF instead, the thank-you page says by when we usually answer', async () => {
    await chooseFiles(customerPage, [{ name: 'lieferschein.pdf', mimeType: 'application/pdf', buffer: samples.pdf }]);
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Absenden', exact: true }).click());
    expect(await heading(customerPage)).toBe('Vielen Dank für Ihre Anfrage');
    const main = await customerPage.getByRole('main').innerText();
    ticketId = Number(/hat die Nummer #(\d+)/.exec(main)![1]);
    // The test clock stands at Monday 2026-11-30, 10:00 in Berlin: nine business hours later is Tuesday, 10:00.
    expect(main).toContain('Wir antworten in der Regel bis morgen, 10:00 Uhr');
    await expectAccessible(customerPage, 'the thank-you page');
  });

  test('the owner sees both files in the thread and downloads them', async () => {
    await customerPage.goto(`${b.origin}/requests/${ticketId}`);
    const files = customerPage.getByRole('list', { name: 'Anhänge der Nachricht' });
    expect(await files.getByRole('link', { name: 'lieferschein.pdf' }).count()).toBe(1);
    expect(await files.getByRole('img', { name: 'Vorschau: kratzer.png' }).count()).toBe(1);
    await expectAccessible(customerPage, 'the request page with attachments');
    await customerPage.screenshot({ path: `${screenshotDir}request-attachments.png`, fullPage: true });

    pdfHref = (await files.getByRole('link', { name: 'lieferschein.pdf' }).getAttribute('href'))!;
    const download = await customerPage.request.get(`${b.origin}${pdfHref}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('attachment; filename="lieferschein.pdf"');
    expect(Buffer.from(await download.body()).equals(samples.pdf)).toBe(true);
    const [saved] = await Promise.all([
      customerPage.waitForEvent('download'),
      files.getByRole('link', { name: 'lieferschein.pdf' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('lieferschein.pdf');
  });

  test('another customer gets the page for a missing file', async () => {
    const otherPage = await newPersonPage(b);
    await logIn(otherPage, b.origin, stranger);
    const response = await otherPage.goto(`${b.origin}${pdfHref}`);
    expect(response?.status()).toBe(404);
    expect(await heading(otherPage)).toBe('Seite nicht gefunden');
    await otherPage.context().close();
  });

  test('an agent sees the due time and the files, sorts by due time, and solves the request with an answer', async () => {
    const agentPage = await newPersonPage(b);
    await logIn(agentPage, b.origin, agent);
    await agentPage.goto(`${b.origin}/agent/views/nicht-zugewiesen`);
    await loadedAfter(agentPage, () => agentPage.getByRole('link', { name: 'Fälligkeit', exact: true }).click());
    expect(await agentPage.getByRole('row', { name: new RegExp(subject) }).getByRole('cell').last().innerText()).toBe('01.12.2026, 10:00');
    await expectAccessible(agentPage, 'an agent view sorted by due time');

    await loadedAfter(agentPage, () => agentPage.getByRole('link', { name: subject, exact: true }).click());
    const details = agentPage.getByRole('complementary', { name: 'Details' });
    expect(await details.locator('dt:text-is("Erste Antwort fällig") + dd').innerText()).toBe('01.12.2026, 10:00');
    expect(await agentPage.getByRole('list', { name: 'Anhänge der Nachricht' }).getByRole('link', { name: 'lieferschein.pdf' }).count()).toBe(1);
    await expectAccessible(agentPage, 'the agent request page with due time and files');

    await agentPage.getByLabel('Antwort', { exact: true }).fill('Wir senden Ihnen eine neue Lok. Das Rücksendeetikett hängt an.');
    await agentPage.getByLabel('Anhänge', { exact: true }).setInputFiles([{ name: 'ruecksendung.pdf', mimeType: 'application/pdf', buffer: samples.pdf }]);
    await agentPage.getByLabel('Status nach dem Senden', { exact: true }).selectOption({ label: 'Gelöst' });
    await loadedAfter(agentPage, () => agentPage.getByRole('button', { name: 'Senden', exact: true }).click());
    expect(await agentPage.getByRole('status').innerText()).toBe('Ihre Antwort wurde gespeichert.');
    expect(await details.locator('dt:text-is("Status") + dd').innerText()).toBe('Gelöst');
    await agentPage.context().close();
  });

  test('the solved mail carries the file and the rating links; the link opens the rating page without login', async () => {
    const mails = (await b.t.mailbox.receive()).filter((mail) => mail.to === owner.email && mail.subject === `[#${ticketId}] ${subject}`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Angehängt: ruecksendung.pdf');
    ratingLink = b.local(linkIn(mails[0]!, `${testPublicUrl}/ratings/`));
    expect(ratingLink).toContain('?bewertung=gut');

    const anonymous = await newPersonPage(b);
    customerPage = anonymous;
    await anonymous.goto(ratingLink);
    expect(await heading(anonymous)).toBe(`Ihre Meinung zu Anfrage #${ticketId}`);
    expect(await anonymous.getByLabel('Gut, ich bin zufrieden', { exact: true }).isChecked()).toBe(true);
    expect(b.t.services.ratings.ratingOf(ticketId), 'opening the link records nothing').toBeUndefined();
    await expectAccessible(anonymous, 'the rating page');
  });

  test('"Bewertung senden" records the rating, which the request then shows', async () => {
    await customerPage.getByLabel('Ihr Kommentar (freiwillig)', { exact: true }).fill('Schnelle Hilfe, danke!');
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Bewertung senden', exact: true }).click());
    expect(await customerPage.getByRole('status').innerText()).toContain('Vielen Dank für Ihre Bewertung!');
    expect(b.t.services.ratings.ratingOf(ticketId)).toMatchObject({ rating: 'good', comment: 'Schnelle Hilfe, danke!' });
    await expectAccessible(customerPage, 'the rating page after rating');
    await customerPage.screenshot({ path: `${screenshotDir}rating-page.png`, fullPage: true });
  });

  test('"Mein Anliegen ist noch nicht gelöst" reopens the request with the message', async () => {
    await customerPage.getByLabel('Was ist noch offen?', { exact: true }).fill('Das Rücksendeetikett lässt sich nicht öffnen.');
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Anfrage wieder öffnen', exact: true }).click());
    expect(await customerPage.getByRole('status').innerText()).toContain('Ihre Anfrage ist wieder geöffnet');
    expect(b.t.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)).get()?.status).toBe('open');
    await expectAccessible(customerPage, 'the rating page after reopening');
  });

  test('team leads see the share of good ratings with the comment', async () => {
    const leadPage = await newPersonPage(b);
    await logIn(leadPage, b.origin, lead);
    await leadPage.goto(`${b.origin}/agent/ratings`);
    expect(await heading(leadPage)).toBe('Zufriedenheit');
    expect(await leadPage.getByRole('main').innerText()).toContain('Schnelle Hilfe, danke!');
    await expectAccessible(leadPage, 'the ratings report');
    await leadPage.context().close();
  });
});
