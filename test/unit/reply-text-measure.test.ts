// Measures every trimming order on our reply fixtures, so the order extractReply uses stays the best one (README "Inbound mail").
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import EmailReplyParser from 'email-reply-parser';
import { expect, test } from 'vitest';
import { cutAtMarker, extractReply, htmlToPlainText, quoteStartSentinel, trimWithOwnRules } from '../../src/modules/inbound/reply-text.js';

// planer ships no types; this is the one function the measurement calls.
const planer = createRequire(import.meta.url)('planer') as { extractFrom(text: string, contentType: 'text/plain'): string };

const fixtures = join(import.meta.dirname, '../fixtures/mail/replies');

function normalized(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd()).join('\n').trim();
}

const emailReplyParser = (text: string) => new EmailReplyParser().parseReply(text.replaceAll(quoteStartSentinel, ''));
const planerText = (text: string) => planer.extractFrom(text.replaceAll(quoteStartSentinel, ''), 'text/plain');
// A library may only shorten what our rules kept; when it leaves nothing, what our rules kept stands.
const then = (first: (text: string) => string, second: (text: string) => string) => (text: string) => {
  const kept = first(text);
  return kept.trim() ? second(kept).trim() || kept : kept;
};

/** Each trimming order: our marker line is cut first in all of them, since every library would keep it as text. */
const orders: Record<string, (text: string) => string> = {
  'email-reply-parser': (text) => emailReplyParser(cutAtMarker(text)),
  planer: (text) => planerText(cutAtMarker(text)),
  'planer → email-reply-parser': (text) => emailReplyParser(planerText(cutAtMarker(text))),
  'email-reply-parser → planer': (text) => planerText(emailReplyParser(cutAtMarker(text))),
  'email-reply-parser → eigene Regeln': (text) => trimWithOwnRules(emailReplyParser(cutAtMarker(text))),
  'planer → eigene Regeln': (text) => trimWithOwnRules(planerText(cutAtMarker(text))),
  'eigene Regeln → email-reply-parser': then(trimWithOwnRules, emailReplyParser),
  'eigene Regeln → planer': then(trimWithOwnRules, planerText),
  'eigene Regeln (extractReply)': (text) => extractReply(text).reply,
};

function cases() {
  return readdirSync(fixtures).filter((name) => !name.includes('.expected.')).sort().map((name) => {
    const raw = readFileSync(join(fixtures, name), 'utf8');
    return {
      name,
      text: name.endsWith('.html') ? htmlToPlainText(raw) : raw,
      expected: normalized(readFileSync(join(fixtures, name.replace(/\.(txt|html)$/, '.expected.txt')), 'utf8')),
    };
  });
}

test('our rules keep the typed text exactly right more often than any order with a library, and in nearly every case', () => {
  const all = cases();
  const exact = Object.fromEntries(Object.entries(orders).map(([order, trim]) => [
    order, all.filter((fixture) => normalized(trim(fixture.text)) === fixture.expected).map((fixture) => fixture.name),
  ]));
  const shares = Object.fromEntries(Object.entries(exact).map(([order, names]) => [order, `${names.length}/${all.length}`]));
  const chosen = exact['eigene Regeln (extractReply)']!.length;
  // The table in the failure message is the one README quotes.
  for (const names of Object.values(exact)) expect(chosen, JSON.stringify(shares, null, 2)).toBeGreaterThanOrEqual(names.length);
  expect(all.length).toBeGreaterThanOrEqual(50);
  expect(chosen / all.length, JSON.stringify(shares, null, 2)).toBeGreaterThanOrEqual(0.95);
});
