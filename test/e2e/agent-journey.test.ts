// A request's way through the agent area in real Chromium (customer, agent, team lead, admin), with axe on every page.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { heading, logIn, newPersonPage } from '../helpers/agent-browser.js';
import { type BrowserApp, expectAccessible, loadedAfter, startBrowserApp, skipRestOfJourneyAfterFailure } from '../helpers/browser.js';
import { createUser } from '../helpers/fixtures.js';

const screenshotDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const password = 'ein langes Kennwort 42';
const customer = { name: 'Erika Mustermann', email: 'erika@example.org', password, role: 'customer' } as const;
const agent = { name: 'Anna Agentin', email: 'anna@shop.example.test', password, role: 'agent' } as const;
const lead = { name: 'Lea Leitung', email: 'lea@shop.example.test', password, role: 'lead' } as const;
const admin = { name: 'Adam Admin', email: 'adam@shop.example.test', password, role: 'admin' } as const;

const subject = 'Drehscheibe fehlt im Paket';
const description = 'In meinem Paket fehlt die Drehscheibe.\nBestellung 100234.';
const note = 'Lager prüft den Bestand, bitte noch nicht zusagen.';
const answer = 'Wir senden Ihnen die Drehscheibe heute noch nach.';
const canned = { title: 'Ersatz unterwegs', body: 'Der Ersatz ist unterwegs und kommt in zwei bis drei Werktagen an.' };

let b: BrowserApp;
let customerPage: Page;
let agentPage: Page;
let leadPage: Page;
let adminPage: Page;
let ticketId: number;

beforeAll(async () => {
  b = await startBrowserApp();
  customerPage = b.page;
  for (const person of [customer, agent, lead, admin]) await createUser(b.t, person.email, person);
  [agentPage, leadPage, adminPage] = [await newPersonPage(b), await newPersonPage(b), await newPersonPage(b)];
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => { await b?.close(); });

skipRestOfJourneyAfterFailure();

const path = (page: Page) => new URL(page.url()).pathname;

/** The link of one agent view in the left column; its accessible name is the label and the count. */
function viewLink(page: Page, label: string) {
  return page.getByRole('navigation', { name: 'Ansichten' }).getByRole('link', { name: new RegExp(`^${label} \\d+\\+?$`) });
}

async function openView(page: Page, label: string): Promise<void> {
  await loadedAfter(page, () => viewLink(page, label).click());
  expect(await heading(page)).toBe(label);
  await expectAccessible(page, `the agent view "${label}"`);
}

function requestLinkInMain(page: Page) {
  return page.getByRole('main').getByRole('link', { name: subject, exact: true });
}

function details(page: Page, term: string): Promise<string> {
  return page.getByRole('complementary', { name: 'Details' }).locator(`dt:text-is("${term}") + dd`).innerText();
}

function assignedTo(page: Page): Promise<string> {
  return page.getByRole('complementary', { name: 'Details' }).locator('h3:text-is("Zugewiesen an") + p').innerText();
}

function messages(page: Page) {
  return page.getByRole('region', { name: 'Verlauf' }).getByRole('listitem');
}

async function agentSends(text: string, kind: 'Öffentliche Antwort' | 'Interne Notiz'): Promise<void> {
  await agentPage.getByLabel('Antwort', { exact: true }).fill(text);
  await agentPage.getByLabel(kind, { exact: true }).check();
  await loadedAfter(agentPage, () => agentPage.getByRole('button', { name: 'Senden', exact: true }).click());
  expect(path(agentPage)).toBe(`/agent/requests/${ticketId}`);
  expect(await agentPage.getByRole('status').innerText()).toBe('Ihre Antwort wurde gespeichert.');
}

describe.sequential('agent journey', () => {
  test('a logged-in customer writes in through the contact form', async () => {
    expect(await logIn(customerPage, b.origin, customer)).toBe('/requests');
    await expectAccessible(customerPage, '"Meine Aktivitäten" without requests');

    await loadedAfter(customerPage, () => customerPage.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Anfrage einreichen' }).click());
    expect(await heading(customerPage)).toBe('Anfrage einreichen');
    await expectAccessible(customerPage, 'the contact form of a logged-in customer');

    await customerPage.getByLabel('Betreff', { exact: true }).fill(subject);
    await customerPage.getByLabel('Beschreibung', { exact: true }).fill(description);
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Absenden', exact: true }).click());
    expect(await heading(customerPage)).toBe('Vielen Dank für Ihre Anfrage');
    const number = (await customerPage.getByRole('main').innerText()).match(/hat die Nummer #(\d+)/);
    expect(number, 'the thank-you page names the request number').not.toBeNull();
    ticketId = Number(number![1]);
    await expectAccessible(customerPage, 'the thank-you page');
  });

  test('an agent logs in to "Nicht zugewiesen", which lists the request and counts it', async () => {
    expect(await logIn(agentPage, b.origin, agent)).toBe('/agent/views/nicht-zugewiesen');
    expect(await heading(agentPage)).toBe('Nicht zugewiesen');
    expect(await viewLink(agentPage, 'Nicht zugewiesen').innerText()).toMatch(/^Nicht zugewiesen\s+1$/);
    expect(await viewLink(agentPage, 'Alle offenen').innerText()).toMatch(/^Alle offenen\s+1$/);
    expect(await viewLink(agentPage, 'Meine offenen Anfragen').innerText()).toMatch(/^Meine offenen Anfragen\s+0$/);
    // Team leads' queue: an agent does not see it.
    expect(await viewLink(agentPage, 'Vom Kunden gelöst – zu prüfen').count()).toBe(0);

    const row = agentPage.getByRole('row', { name: new RegExp(subject) });
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([`#${ticketId}`, `${subject} Kunde hat zuletzt geschrieben`, `${customer.name}\n${customer.email}`, 'Neu', 'Normal', '–']);
    await expectAccessible(agentPage, 'the agent view "Nicht zugewiesen"');
    await agentPage.screenshot({ path: `${screenshotDir}agent-view.png`, fullPage: true });
  });

  test('"Mir zuweisen" moves the request into "Meine offenen Anfragen"', async () => {
    await loadedAfter(agentPage, () => requestLinkInMain(agentPage).click());
    expect(path(agentPage)).toBe(`/agent/requests/${ticketId}`);
    expect(await heading(agentPage)).toBe(`#${ticketId} ${subject}`);
    expect(await details(agentPage, 'Status')).toBe('Neu');
    expect(await assignedTo(agentPage)).toBe('niemandem');
    expect(await messages(agentPage).last().innerText()).toContain('In meinem Paket fehlt die Drehscheibe.');
    await expectAccessible(agentPage, 'the agent request page');

    await loadedAfter(agentPage, () => agentPage.getByRole('button', { name: 'Mir zuweisen', exact: true }).click());
    expect(await agentPage.getByRole('status').innerText()).toBe('Die Zuweisung wurde geändert.');
    expect(await assignedTo(agentPage)).toBe(agent.name);
    expect(await details(agentPage, 'Status')).toBe('Offen');
    await expectAccessible(agentPage, 'the request just assigned');

    await openView(agentPage, 'Meine offenen Anfragen');
    expect(await requestLinkInMain(agentPage).count()).toBe(1);
    expect(await viewLink(agentPage, 'Meine offenen Anfragen').innerText()).toMatch(/\s1$/);
    expect(await viewLink(agentPage, 'Nicht zugewiesen').innerText()).toMatch(/\s0$/);
  });

  test('an internal note leaves the status alone, a public answer sets "Wartet auf Kunde"', async () => {
    await loadedAfter(agentPage, () => requestLinkInMain(agentPage).click());
    await expectAccessible(agentPage, 'the agent request page');

    await agentSends(note, 'Interne Notiz');
    const noteItem = messages(agentPage).last();
    expect(await noteItem.innerText()).toContain(note);
    expect(await noteItem.innerText()).toContain('Interne Notiz');
    expect(await details(agentPage, 'Status')).toBe('Offen');
    await expectAccessible(agentPage, 'the request with an internal note');

    // The page offers the public answer and "Wartet auf Kunde" again after the note.
    expect(await agentPage.getByLabel('Öffentliche Antwort', { exact: true }).isChecked()).toBe(true);
    expect(await agentPage.getByLabel('Status nach dem Senden', { exact: true }).locator('option:checked').innerText()).toBe('Wartet auf Kunde');
    await agentSends(answer, 'Öffentliche Antwort');
    expect(await messages(agentPage).last().innerText()).toContain(answer);
    expect(await messages(agentPage).last().innerText()).not.toContain('Interne Notiz');
    expect(await details(agentPage, 'Status')).toBe('Wartet auf Kunde');
    expect(await agentPage.getByLabel('Antwort', { exact: true }).inputValue()).toBe('');
    await expectAccessible(agentPage, 'the request after the public answer');
    await agentPage.screenshot({ path: `${screenshotDir}agent-request.png`, fullPage: true });
  });

  test('the customer sees "Wartet auf Ihre Antwort" and the answer, never the note', async () => {
    await customerPage.goto(`${b.origin}/requests`);
    const row = customerPage.getByRole('row', { name: new RegExp(subject) });
    expect((await row.getByRole('cell').allInnerTexts()).at(-1)).toBe('Wartet auf Ihre Antwort');
    await expectAccessible(customerPage, '"Meine Aktivitäten" with the answered request');

    await loadedAfter(customerPage, () => customerPage.getByRole('link', { name: subject, exact: true }).click());
    expect(path(customerPage)).toBe(`/requests/${ticketId}`);
    expect(await details(customerPage, 'Status')).toBe('Wartet auf Ihre Antwort');
    const last = await messages(customerPage).last().innerText();
    expect(last).toContain(answer);
    expect(last).toContain('Anna vom Servicecenter');
    expect(await messages(customerPage).count()).toBe(2);
    const everything = await customerPage.locator('body').innerText();
    expect(everything).not.toContain(note);
    expect(everything).not.toContain('Interne Notiz');
    expect(await customerPage.content()).not.toContain(note);
    await expectAccessible(customerPage, 'the customer\'s request page with the answer');
  });

  test('the customer marks the request as solved', async () => {
    await customerPage.getByLabel('Ihre Antwort', { exact: true }).fill('Vielen Dank, damit ist alles erledigt.');
    await customerPage.getByLabel('Bitte betrachten Sie diese Anfrage als gelöst', { exact: true }).check();
    await loadedAfter(customerPage, () => customerPage.getByRole('button', { name: 'Absenden', exact: true }).click());
    expect(path(customerPage)).toBe(`/requests/${ticketId}`);
    expect(await customerPage.getByRole('status').innerText()).toContain('Die Anfrage ist jetzt als gelöst markiert.');
    expect(await details(customerPage, 'Status')).toBe('Gelöst');
    await expectAccessible(customerPage, 'the request solved by the customer');
  });

  test('the solved request has left every to-do view of the agent', async () => {
    for (const label of ['Nicht zugewiesen', 'Meine offenen Anfragen', 'Alle offenen', 'Wartet auf Kunde']) {
      await openView(agentPage, label);
      expect(await requestLinkInMain(agentPage).count(), `#${ticketId} is still in "${label}"`).toBe(0);
      expect(await viewLink(agentPage, label).innerText(), `the count of "${label}"`).toMatch(/\s0$/);
    }
  });

  test('a team lead finds it in "Vom Kunden gelöst – zu prüfen" and marks it "Geprüft"', async () => {
    expect(await logIn(leadPage, b.origin, lead)).toBe('/agent/views/nicht-zugewiesen');
    await expectAccessible(leadPage, 'the lead\'s first agent page');
    expect(await viewLink(leadPage, 'Vom Kunden gelöst – zu prüfen').innerText()).toMatch(/\s1$/);
    await openView(leadPage, 'Vom Kunden gelöst – zu prüfen');
    expect(await requestLinkInMain(leadPage).count()).toBe(1);

    await loadedAfter(leadPage, () => requestLinkInMain(leadPage).click());
    expect(path(leadPage)).toBe(`/agent/requests/${ticketId}`);
    expect(await details(leadPage, 'Status')).toBe('Gelöst');
    expect(await leadPage.getByRole('heading', { name: 'Vom Kunden gelöst – zu prüfen', level: 2 }).count()).toBe(1);
    await expectAccessible(leadPage, 'the request to review');

    await loadedAfter(leadPage, () => leadPage.getByRole('button', { name: 'Geprüft', exact: true }).click());
    expect(await leadPage.getByRole('status').innerText()).toBe('Die Anfrage ist als geprüft markiert.');
    expect(await leadPage.getByRole('button', { name: 'Geprüft', exact: true }).count()).toBe(0);
    await expectAccessible(leadPage, 'the reviewed request');

    await openView(leadPage, 'Vom Kunden gelöst – zu prüfen');
    expect(await requestLinkInMain(leadPage).count()).toBe(0);
    expect(await viewLink(leadPage, 'Vom Kunden gelöst – zu prüfen').innerText()).toMatch(/\s0$/);
  });

  test('an admin creates a Textbaustein and inserts it into a reply with "Einfügen"', async () => {
    await logIn(adminPage, b.origin, admin);
    await expectAccessible(adminPage, 'the admin\'s first agent page');
    const adminNav = adminPage.getByRole('navigation', { name: 'Agentennavigation' });
    await loadedAfter(adminPage, () => adminNav.getByRole('link', { name: 'Textbausteine', exact: true }).click());
    expect(await heading(adminPage)).toBe('Textbausteine');
    await expectAccessible(adminPage, '"Textbausteine" without any');

    await adminPage.getByLabel('Titel', { exact: true }).fill(canned.title);
    await adminPage.getByLabel('Text', { exact: true }).fill(canned.body);
    await loadedAfter(adminPage, () => adminPage.getByRole('button', { name: 'Textbaustein anlegen', exact: true }).click());
    expect(await adminPage.getByRole('status').innerText()).toBe('Der Textbaustein wurde angelegt.');
    expect(await adminPage.getByRole('row', { name: new RegExp(canned.title) }).count()).toBe(1);
    await expectAccessible(adminPage, '"Textbausteine" with one');

    await adminPage.goto(`${b.origin}/agent/requests/${ticketId}`);
    await expectAccessible(adminPage, 'the request page with Textbausteine');
    await adminPage.getByLabel('Antwort', { exact: true }).fill('Guten Tag,');
    await adminPage.getByLabel('Textbaustein', { exact: true }).selectOption({ label: canned.title });
    await loadedAfter(adminPage, () => adminPage.getByRole('button', { name: 'Einfügen', exact: true }).click());
    expect(await adminPage.getByLabel('Antwort', { exact: true }).inputValue()).toBe(`Guten Tag,\n\n${canned.body}`);
    await expectAccessible(adminPage, 'the request page after "Einfügen"');
  });

  test('the admin searches for a word from the request', async () => {
    await adminPage.getByRole('searchbox', { name: 'Anfragen durchsuchen' }).fill('Drehscheibe');
    await loadedAfter(adminPage, () => adminPage.getByRole('button', { name: 'Suchen', exact: true }).click());
    expect(path(adminPage)).toBe('/agent/search');
    expect(new URL(adminPage.url()).searchParams.get('q')).toBe('Drehscheibe');
    expect(await heading(adminPage)).toBe('Suche');
    expect(await adminPage.getByRole('main').getByRole('link', { name: `#${ticketId} ${subject}` }).count()).toBeGreaterThan(0);
    await expectAccessible(adminPage, 'the search results');
  });

  test('the admin visits "Team" and "E-Mails"', async () => {
    const adminNav = adminPage.getByRole('navigation', { name: 'Agentennavigation' });
    await loadedAfter(adminPage, () => adminNav.getByRole('link', { name: 'Team', exact: true }).click());
    expect(await heading(adminPage)).toBe('Team');
    for (const person of [agent, lead, admin]) expect(await adminPage.getByRole('row', { name: new RegExp(person.name) }).count()).toBe(1);
    await expectAccessible(adminPage, '"Team"');

    await loadedAfter(adminPage, () => adminNav.getByRole('link', { name: 'E-Mails', exact: true }).click());
    expect(await heading(adminPage)).toBe('Ausstehende E-Mails');
    await expectAccessible(adminPage, '"Ausstehende E-Mails"');
  });

  test('"Einstellungen" with an invalid value names the mistake', async () => {
    const adminNav = adminPage.getByRole('navigation', { name: 'Agentennavigation' });
    await loadedAfter(adminPage, () => adminNav.getByRole('link', { name: 'Einstellungen', exact: true }).click());
    expect(await heading(adminPage)).toBe('Einstellungen');
    await expectAccessible(adminPage, '"Einstellungen"');

    const days = adminPage.getByLabel('Tage bis zum Schließen gelöster Anfragen', { exact: true });
    await days.fill('0');
    await loadedAfter(adminPage, () => adminPage.getByRole('button', { name: 'Einstellungen speichern', exact: true }).click());
    const summary = adminPage.getByRole('alert');
    expect(await summary.getByRole('listitem').allInnerTexts()).toEqual(['Bitte geben Sie eine ganze Zahl von 1 bis 365 an.']);
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    expect(await days.inputValue()).toBe('0');
    await expectAccessible(adminPage, '"Einstellungen" with an error');
  });

  test('"Anfrage anlegen" sent empty names every missing field', async () => {
    const adminNav = adminPage.getByRole('navigation', { name: 'Agentennavigation' });
    await loadedAfter(adminPage, () => adminNav.getByRole('link', { name: 'Anfrage anlegen', exact: true }).click());
    expect(path(adminPage)).toBe('/agent/requests/new');
    expect(await heading(adminPage)).toBe('Anfrage für Kunden anlegen');
    await expectAccessible(adminPage, '"Anfrage für Kunden anlegen"');

    await loadedAfter(adminPage, () => adminPage.getByRole('main').getByRole('button', { name: 'Anfrage anlegen', exact: true }).click());
    const summary = adminPage.getByRole('alert');
    expect(await summary.getByRole('heading').innerText()).toBe('Bitte prüfen Sie Ihre Eingaben');
    expect(await summary.getByRole('listitem').count()).toBeGreaterThanOrEqual(4);
    expect(await adminPage.getByLabel('Betreff', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(adminPage, '"Anfrage für Kunden anlegen" with errors');
  });
});
