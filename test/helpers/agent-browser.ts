// More people in one browser test: a browser context of their own for each, logged in through the real login page.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type BrowserApp, expectAccessible, loadedAfter } from './browser.js';

/** A fresh context (own cookies, so its own session) with the same size, locale and time zone as startBrowserApp's page. */
export async function newPersonPage(b: BrowserApp): Promise<Page> {
  const context = await b.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Logs in on /login (checked by axe first) and returns the path the login led to. */
export async function logIn(page: Page, origin: string, person: { email: string; password: string }): Promise<string> {
  await page.goto(`${origin}/login`);
  await expectAccessible(page, 'the login page');
  await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(person.email);
  await page.getByLabel('Kennwort', { exact: true }).fill(person.password);
  await loadedAfter(page, () => page.getByRole('button', { name: 'Anmelden', exact: true }).click());
  const path = new URL(page.url()).pathname;
  expect(path, `the login of ${person.email} led back to the login page`).not.toBe('/login');
  return path;
}

/** The one <h1> of the page. */
export function heading(page: Page): Promise<string> {
  return page.getByRole('heading', { level: 1 }).innerText();
}
