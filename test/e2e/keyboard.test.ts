// Keyboard only, in real Chromium: the contact form and a customer's reply-and-solve with Tab, typing, Space and Enter; focus always visible, errors tied to fields.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserApp, expectAccessible, loadedAfter, startBrowserApp } from '../helpers/browser.js';
import { createRequest, createUser, defaultPassword } from '../helpers/fixtures.js';

let b: BrowserApp;
let page: Page;
beforeAll(async () => {
  b = await startBrowserApp();
  page = b.page;
});
afterAll(async () => { await b?.close(); });

type FocusState = { matches: boolean; what: string; focusVisible: boolean; indicator: boolean };

/** The focused element: does it match, and would a sighted keyboard user see where focus is (outline or box shadow)? */
function focusState(selector: string): Promise<FocusState> {
  return page.evaluate((wanted) => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { matches: false, what: 'body', focusVisible: false, indicator: false };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.textContent?.trim() ? ` "${element.textContent.trim().slice(0, 30)}"` : ''}`;
    return { matches: element.matches(wanted), what: label, focusVisible: element.matches(':focus-visible'), indicator: outline || shadow };
  }, selector);
}

/** Presses Tab until the element matching `selector` has focus; every element passed on the way must show its focus. */
async function tabTo(selector: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const state = await focusState(selector);
    expect(state.focusVisible && state.indicator, `${state.what} has focus but no visible focus indicator`).toBe(true);
    if (state.matches) return;
  }
  throw new Error(`${limit} presses of Tab never reached ${selector}`);
}

/** Each field marked invalid names its error message by aria-describedby, and that message exists and says something. */
async function errorsTiedToFields(): Promise<Array<{ field: string; message: string }>> {
  return page.evaluate(() => [...document.querySelectorAll('[aria-invalid="true"]')].map((field) => {
    const messages = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter((element) => element?.classList.contains('field-error'));
    return { field: field.id, message: messages.map((element) => element!.textContent!.trim()).join(' ') };
  }));
}

/** Waits until the error summary (role="alert") holds focus: Chromium applies autofocus at its next rendering update, after load. */
async function expectErrorSummaryFocused(): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary') === true && document.activeElement.getAttribute('role') === 'alert');
}

describe.sequential('the contact form by keyboard', () => {
  test('sent empty with Enter: focus lands on the error summary, each error is tied to its field', async () => {
    await page.goto(`${b.origin}/requests/new`);
    await tabTo('form[action="/requests/new"] button[type="submit"]');
    await loadedAfter(page, () => page.keyboard.press('Enter'));

    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Anfrage einreichen');
    await expectErrorSummaryFocused();
    const tied = await errorsTiedToFields();
    expect(tied.map((entry) => entry.field).sort()).toEqual(['description', 'email', 'name', 'subject']);
    for (const entry of tied) expect(entry.message, `#${entry.field}`).toMatch(/^Fehler: \S/);
    // Every link of the summary leads to a field that exists.
    const targets = await page.locator('.error-summary a').evaluateAll((links) => links.map((link) => document.querySelector(link.getAttribute('href')!) !== null));
    expect(targets.length).toBe(4);
    expect(targets.every(Boolean)).toBe(true);
    await expectAccessible(page, 'the contact form with errors');
  });

  test('filled and sent with Tab, typing and Enter', async () => {
    await tabTo('#name');
    await page.keyboard.type('Kora Tastatur');
    await tabTo('#email');
    await page.keyboard.type('kora@example.org');
    await tabTo('#subject');
    await page.keyboard.type('Decoder pfeift');
    await tabTo('#description');
    await page.keyboard.type('Der Decoder meiner Lok pfeift beim Anfahren. Bestellung 100777.');
    await tabTo('form[action="/requests/new"] button[type="submit"]');
    await loadedAfter(page, () => page.keyboard.press('Enter'));
    expect(new URL(page.url()).pathname).toMatch(/^\/requests\/received\/\d+\./);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vielen Dank für Ihre Anfrage');
  });
});

describe.sequential('a customer by keyboard: log in, reply, solve', () => {
  let ticketId: number;
  beforeAll(async () => {
    const customer = await createUser(b.t, 'tasten@example.org', { name: 'Tim Tasten' });
    ticketId = createRequest(b.t, customer, 'Weiche schaltet nicht').id;
    const agent = await createUser(b.t, 'agentin-tasten@shop.example.test', { name: 'Anna Agentin', role: 'agent' });
    const agentTickets = b.t.services.agentTickets;
    agentTickets.agentReplies(agent, ticketId, { body: 'Bitte prüfen Sie das Kabel.', visibility: 'public', status: 'pending', lastSeenMessageId: agentTickets.latestMessageId(ticketId) });
    await page.context().clearCookies();
  });

  test('logs in with Tab, typing and Enter, and opens the request from the list with Enter', async () => {
    await page.goto(`${b.origin}/login`);
    await tabTo('#email');
    await page.keyboard.type('tasten@example.org');
    await tabTo('#password');
    await page.keyboard.type(defaultPassword);
    await loadedAfter(page, () => page.keyboard.press('Enter'));
    expect(new URL(page.url()).pathname).toBe('/requests');

    await tabTo(`a[href="/requests/${ticketId}"]`);
    await loadedAfter(page, () => page.keyboard.press('Enter'));
    expect(new URL(page.url()).pathname).toBe(`/requests/${ticketId}`);
  });

  test('an empty reply comes back with the error summary focused and the error tied to "Ihre Antwort"', async () => {
    await tabTo(`form[action="/requests/${ticketId}/replies"] button[type="submit"]`);
    await loadedAfter(page, () => page.keyboard.press('Enter'));
    await expectErrorSummaryFocused();
    const tied = await errorsTiedToFields();
    expect(tied.map((entry) => entry.field)).toEqual(['body']);
    expect(tied[0]!.message).toMatch(/^Fehler: \S/);
  });

  test('types a reply, ticks "gelöst" with Space and sends it with Enter', async () => {
    await tabTo('#body');
    await page.keyboard.type('Danke, mit dem neuen Kabel funktioniert alles.');
    await tabTo('#markSolved');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#markSolved')).toBe(true);
    await tabTo(`form[action="/requests/${ticketId}/replies"] button[type="submit"]`);
    await loadedAfter(page, () => page.keyboard.press('Enter'));
    expect(new URL(page.url()).pathname).toBe(`/requests/${ticketId}`);
    const status = await page.getByRole('complementary', { name: 'Details' }).locator('dt:text-is("Status") + dd').innerText();
    expect(status).toMatch(/Gelöst/i);
    expect(b.t.db.$client.prepare('select status from tickets where id = ?').pluck().get(ticketId)).toBe('solved');
  });
});
