// Security suite: login, "Kennwort vergessen" and the contact form are rate limited; a forged X-Forwarded-For only counts behind TRUST_PROXY.
import { afterEach, describe, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

const tight = {
  login: { max: 3, timeWindow: 60_000 },
  passwordReset: { max: 3, timeWindow: 60_000 },
  contactForm: { max: 3, timeWindow: 60_000 },
};

type LimitedForm = { name: string; page: string; action: string; fields: Record<string, string> };

const forms: LimitedForm[] = [
  { name: 'login', page: '/login', action: '/login', fields: { email: 'wer@example.org', password: 'falsch falsch' } },
  { name: '"Kennwort vergessen"', page: '/password/forgot', action: '/password/forgot', fields: { email: 'wer@example.org' } },
  { name: 'the contact form', page: '/requests/new', action: '/requests/new', fields: { name: 'Rita Rate', email: 'rita@example.org', subject: 'Frage', description: 'Noch eine Frage.' } },
];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** One attempt from a fresh browser (no shared cookies), claiming to come from the given address. */
async function attempt(app: TestApp, form: LimitedForm, forwardedFor: string): Promise<number> {
  const browser = new WebClient(app.app, { 'x-forwarded-for': forwardedFor });
  return (await browser.submit(form.page, form.action, form.fields)).statusCode;
}

describe.each(forms)('$name', (form) => {
  test('the fourth attempt gets the German 429 page, whatever X-Forwarded-For claims (TRUST_PROXY unset)', async () => {
    t = await testApp({ overrides: { rateLimits: tight } });
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i += 1) statuses.push(await attempt(t, form, `203.0.113.${i}, 198.51.100.${i}`));
    expect(statuses.slice(0, 3).every((status) => status !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
    const page = await new WebClient(t.app).submit(form.page, form.action, form.fields);
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('Zu viele Versuche');
  });

  test('behind a trusted proxy it counts per client address from X-Forwarded-For', async () => {
    t = await testApp({ env: { TRUST_PROXY: '127.0.0.1' }, overrides: { rateLimits: tight } });
    const fromOne: number[] = [];
    for (let i = 1; i <= 4; i += 1) fromOne.push(await attempt(t, form, '203.0.113.1'));
    expect(fromOne[3]).toBe(429);
    expect(await attempt(t, form, '203.0.113.2')).not.toBe(429);
  });

  test('behind a trusted proxy a client cannot dodge it by prepending addresses of its own', async () => {
    t = await testApp({ env: { TRUST_PROXY: '1' }, overrides: { rateLimits: tight } });
    const statuses: number[] = [];
    // The proxy appends the real client (203.0.113.1); what the client wrote in front changes each time.
    for (let i = 1; i <= 4; i += 1) statuses.push(await attempt(t, form, `10.0.0.${i}, 203.0.113.1`));
    expect(statuses[3]).toBe(429);
  });
});
