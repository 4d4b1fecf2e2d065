// The Wissensdatenbank in real Chromium with axe on every page: search from the home page, article, vote, comment; suggestions; agents.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { seedDemoKnowledgeBase } from '../../src/modules/kb/kb-demo.js';
import { type BrowserApp, expectAccessible, loadedAfter, startBrowserApp, skipRestOfJourneyAfterFailure } from '../helpers/browser.js';
import { createUser, defaultPassword } from '../helpers/fixtures.js';

let b: BrowserApp;
let page: Page;
let agent: User;
let customer: User;

beforeAll(async () => {
  b = await startBrowserApp();
  page = b.page;
  agent = await createUser(b.t, 'anna@shop.example.test', { name: 'Anna Berger', role: 'agent' });
  customer = await createUser(b.t, 'karl@example.org', { name: 'Karl Kunde' });
  seedDemoKnowledgeBase(b.t.services.kb, { author: agent, customer });
});
afterAll(async () => { await b?.close(); });

skipRestOfJourneyAfterFailure();

function heading(): Promise<string> {
  return page.getByRole('heading', { level: 1 }).innerText();
}

async function logIn(email: string): Promise<void> {
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
  await page.getByLabel('Kennwort', { exact: true }).fill(defaultPassword);
  await loadedAfter(page, () => page.getByRole('button', { name: 'Anmelden', exact: true }).click());
}

const passwordArticle = 'Kennwort für das Servicecenter vergeben';

describe.sequential('a reader finds an article, votes and comments', () => {
  test('the header of the home page searches the Wissensdatenbank; hits are marked', async () => {
    await page.goto(`${b.origin}/`);
    await expectAccessible(page, 'the home page with the header search');
    await page.getByLabel('Wissensdatenbank durchsuchen', { exact: true }).fill('Kennwort vergeben');
    await loadedAfter(page, () => page.getByLabel('Wissensdatenbank durchsuchen', { exact: true }).press('Enter'));

    expect(new URL(page.url()).pathname).toBe('/kb/search');
    expect(await heading()).toBe('Suche in der Wissensdatenbank');
    const hit = page.getByRole('link', { name: passwordArticle, exact: true });
    expect(await hit.locator('mark').allInnerTexts()).toEqual(['Kennwort', 'vergeben']);
    await expectAccessible(page, 'the search results');
  });

  test('a search without hits offers the contact form', async () => {
    await page.getByLabel('Wonach suchen Sie?', { exact: true }).fill('Drehstrommotor "NEAR(" -*');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Suchen', exact: true }).last().click());
    expect(await page.getByRole('main').innerText()).toContain('haben wir leider keinen Artikel gefunden');
    expect(await page.getByRole('main').getByRole('link', { name: 'Anfrage einreichen', exact: true }).getAttribute('href')).toBe('/requests/new');
    await expectAccessible(page, 'the search without hits');
    await page.goBack();
  });

  test('the hit opens the article with breadcrumbs, "0 Kommentare" aside', async () => {
    await loadedAfter(page, () => page.getByRole('link', { name: passwordArticle, exact: true }).click());
    expect(await heading()).toBe(passwordArticle);
    expect(await page.getByRole('navigation', { name: 'Brotkrümelnavigation' }).getByRole('listitem').allInnerTexts())
      .toEqual(['Wissensdatenbank', 'Servicecenter', 'Ihr Konto im Servicecenter', passwordArticle]);
    expect(await page.getByRole('heading', { name: 'War dieser Artikel hilfreich?' }).isVisible()).toBe(true);
    expect(await page.locator('#kommentare-titel').innerText()).toBe('0 Kommentare');
    await expectAccessible(page, 'an article');
  });

  test('"Ja" thanks the reader and marks the vote', async () => {
    await loadedAfter(page, () => page.getByRole('button', { name: 'Ja', exact: true }).click());
    expect(await page.getByRole('status').innerText()).toBe('Vielen Dank für Ihre Rückmeldung!');
    expect(await page.getByRole('button', { name: 'Ja', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'the article after the vote');
  });

  test('to comment, the reader logs in and comes back to the article', async () => {
    await loadedAfter(page, () => page.getByRole('link', { name: 'melden Sie sich bitte an', exact: true }).click());
    expect(await heading()).toBe('Anmelden');
    await logIn(customer.email);
    expect(await heading()).toBe(passwordArticle);
    expect(await page.getByLabel('Ihr Kommentar', { exact: true }).isVisible()).toBe(true);
  });

  test('an empty comment is named as a mistake; a real one appears with the first name', async () => {
    await loadedAfter(page, () => page.getByRole('button', { name: 'Kommentar senden', exact: true }).click());
    await page.locator('[role="alert"]:focus').waitFor();
    expect(await page.getByRole('alert').getByRole('listitem').allInnerTexts()).toEqual(['Bitte schreiben Sie Ihren Kommentar.']);
    await expectAccessible(page, 'the comment form with a mistake');

    await page.getByLabel('Ihr Kommentar', { exact: true }).fill('Der Link kam sofort, danke! <b>nicht fett</b>');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Kommentar senden', exact: true }).click());
    expect(await page.locator('#kommentare-titel').innerText()).toBe('1 Kommentar');
    const comment = page.locator('.kb-comment').first();
    expect(await comment.locator('strong').innerText()).toBe('Karl');
    expect(await comment.locator('.message-body').innerText()).toBe('Der Link kam sofort, danke! <b>nicht fett</b>');
    await expectAccessible(page, 'the article with a comment');
  });
});

describe.sequential('the contact form suggests articles while the subject is typed', () => {
  test('matching articles appear beside the subject, announced in a live region', async () => {
    await page.goto(`${b.origin}/requests/new`);
    expect(await page.locator('#kb-vorschlaege').isHidden()).toBe(true);
    await page.getByLabel('Betreff', { exact: true }).pressSequentially('Decoder Groesse');
    const suggestion = page.locator('#kb-vorschlaege').getByRole('link', { name: /Welche Decoder-Größe passt in meine Lok\?/ });
    await suggestion.waitFor();
    expect(await page.locator('#kb-vorschlaege-status').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#kb-vorschlaege-status').textContent()).toMatch(/passende Artikel? aus der Wissensdatenbank unter dem Betreff\.$|^Ein passender Artikel/);
    expect(await suggestion.getAttribute('href')).toMatch(/^\/kb\/articles\/\d+-welche-decoder-groesse-passt-in-meine-lok$/);
    await expectAccessible(page, 'the contact form with suggestions');
  });

  test('without JavaScript the form still sends the request', async () => {
    const context = await b.browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    try {
      const plain = await context.newPage();
      await plain.goto(`${b.origin}/requests/new`);
      await plain.getByLabel('Ihr Name', { exact: true }).fill('Erika Mustermann');
      await plain.getByLabel('E-Mail-Adresse', { exact: true }).fill('erika@example.org');
      await plain.getByLabel('Betreff', { exact: true }).fill('Decoder passt nicht');
      await plain.getByLabel('Beschreibung', { exact: true }).fill('Der Decoder ist zu groß.');
      expect(await plain.locator('#kb-vorschlaege').isHidden()).toBe(true);
      await loadedAfter(plain, () => plain.getByRole('button', { name: 'Absenden', exact: true }).click());
      expect(await plain.getByRole('heading', { level: 1 }).innerText()).toBe('Vielen Dank für Ihre Anfrage');
    } finally {
      await context.close();
    }
  });
});

describe.sequential('an agent writes, previews, publishes and moderates', () => {
  test('the agent area lists the articles', async () => {
    const context = page.context();
    await context.clearCookies();
    await page.goto(`${b.origin}/login?next=/agent/kb`);
    await logIn(agent.email);
    expect(await heading()).toBe('Wissensdatenbank');
    expect(await page.getByRole('row', { name: /Sound nachrüsten/ }).getByRole('cell').nth(1).innerText()).toBe('Entwurf');
    await expectAccessible(page, 'the agents\' article list');
  });

  test('a new article is previewed, saved as a draft and published', async () => {
    await loadedAfter(page, () => page.getByRole('link', { name: 'Neuer Artikel', exact: true }).click());
    await page.getByLabel('Titel', { exact: true }).fill('Haftreifen wechseln');
    await page.getByLabel('Abschnitt', { exact: true }).selectOption({ label: 'Ersatzteile' });
    await page.getByLabel('Inhalt (Markdown)', { exact: true }).fill('## Werkzeug\n\nEine **Pinzette** genügt.');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Vorschau', exact: true }).click());
    const preview = page.getByRole('region', { name: 'Vorschau (noch nicht gespeichert)' });
    expect(await preview.getByRole('heading', { name: 'Werkzeug' }).isVisible()).toBe(true);
    expect(await preview.locator('strong').innerText()).toBe('Pinzette');
    await expectAccessible(page, 'the article form with its preview');

    await loadedAfter(page, () => page.getByRole('button', { name: 'Als Entwurf speichern', exact: true }).click());
    expect(await page.getByRole('status').innerText()).toContain('als Entwurf angelegt');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click());
    expect(await page.getByRole('status').innerText()).toBe('Der Artikel ist veröffentlicht und für alle sichtbar.');
    await expectAccessible(page, 'the published article in the agent area');
  });

  test('the comment is answered on the moderation page', async () => {
    await page.goto(`${b.origin}/agent/kb/comments`);
    expect(await heading()).toBe('Kommentare');
    await expectAccessible(page, 'the moderation page');
    await page.getByLabel('Antwort an Karl Kunde', { exact: true }).first().fill('Schön, dass es geklappt hat!');
    await loadedAfter(page, () => page.getByRole('button', { name: 'Antwort senden', exact: true }).first().click());
    expect(await page.getByRole('status').innerText()).toBe('Ihre Antwort ist unter dem Kommentar veröffentlicht.');
    await expectAccessible(page, 'the moderation page with an answer');
  });
});
