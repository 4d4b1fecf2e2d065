// Real Chromium against the real app on a local port, with the axe-core check that every browser test runs per page.
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { beforeEach, expect } from 'vitest';
import { testApp, testPublicUrl, type TestApp } from './test-app.js';

/** Debian's chromium; the tests never download a browser of their own. */
export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type BrowserApp = {
  t: TestApp;
  browser: Browser;
  page: Page;
  /** http://127.0.0.1:<port>, where the browser actually reaches the app. */
  origin: string;
  /** A link from a mail (built from PUBLIC_URL) as the browser must open it here. */
  local(link: string): string;
  close(): Promise<void>;
};

/** The app listening on a free local port and one browser page at the README's screenshot size. */
export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await testApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  // Below vitest's 30 s test timeout, so a missing element fails with Playwright's message naming it.
  page.setDefaultTimeout(10_000);
  return {
    t,
    browser,
    page,
    origin,
    local(link: string) {
      if (!link.startsWith(testPublicUrl)) throw new Error(`${link} does not start with ${testPublicUrl}`);
      return origin + link.slice(testPublicUrl.length);
    },
    async close() {
      // Each step runs even if the one before failed, so a half-started setup still leaves nothing behind.
      await browser.close().catch(() => undefined);
      await t.close();
    },
  };
}

/**
 * Runs the action and resolves once the page it leads to has loaded. Listening before the action starts
 * means a fast response cannot slip past, and a form that answers 422 on the same URL still counts.
 */
export async function loadedAfter(page: Page, action: () => Promise<unknown>): Promise<void> {
  const loaded = page.waitForEvent('load');
  await action();
  await loaded;
}

/** Fails with one readable line per problem (rule, help text, where) if axe finds any WCAG 2.2 AA violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const problems = results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} at ${node.target.join(' ')}`));
  expect(problems, `axe found WCAG violations on ${what} (${page.url()}):\n  ${problems.join('\n  ')}\n`).toEqual([]);
}

/**
 * A journey's steps each start where the one before left the browser: after a failure the rest would only fail for
 * that reason, so they are skipped with a note instead. Call once at the top of a journey file.
 */
export function skipRestOfJourneyAfterFailure(): void {
  let journeyBroken = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (journeyBroken) skip('an earlier step of the journey failed');
    onTestFailed(() => { journeyBroken = true; });
  });
}
