// Pages go out as UTF-8 encoded once: the bytes and Content-Length match the text, whatever characters it holds.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { utf8Once } from '../../src/plugins/encode-once.js';
import { createRequest } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { addMessage, customerWithClient } from './request-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

test('a request page with umlauts, typographic quotes, dashes and emoji arrives whole, with its exact byte length', async () => {
  const { user, client } = await customerWithClient(t);
  const subject = 'Lok „Märklin 3000“ – Motor defekt 🚂';
  const ticket = createRequest(t, user, subject, 'Grüße aus Köln: ½ Zug, 3 € Porto, ☃ und 🚂🚃🚃.');
  addMessage(t, ticket.id, user.id, 'x'.repeat(70_000) + ' Ende ✓');

  const page = await client.get(`/requests/${ticket.id}`);
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body, 'utf8'));
  expect(page.body).toContain('Lok „Märklin 3000“ – Motor defekt 🚂');
  expect(page.body).toContain('Grüße aus Köln: ½ Zug, 3 € Porto, ☃ und 🚂🚃🚃.');
  expect(page.body).toContain(`${'x'.repeat(70_000)} Ende ✓`);
});

test('texts longer than any before, and shorter ones after them, encode exactly as Buffer.from does', () => {
  for (const text of ['', 'a', 'Grüße', '🚂'.repeat(100_000), '€'.repeat(50_000) + 'ä', 'kurz danach: ö']) {
    expect(utf8Once(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  }
});
