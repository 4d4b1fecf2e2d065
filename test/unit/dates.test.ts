// Dates in Europe/Berlin: the hand-built formats read exactly like Intl's, across summer-time changes and for any instant.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dateHtml, dateTimeHtml, formatDate, formatDateTime, machineDateTime } from '../../src/lib/dates.js';

const berlin = 'Europe/Berlin';
const intlDateTime = new Intl.DateTimeFormat('de-DE', { timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const intlDate = new Intl.DateTimeFormat('de-DE', { timeZone: berlin, day: '2-digit', month: '2-digit', year: 'numeric' });
const intlMachine = new Intl.DateTimeFormat('sv-SE', { timeZone: berlin, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

function expectSameAsIntl(date: Date) {
  expect(formatDateTime(date), date.toISOString()).toBe(intlDateTime.format(date));
  expect(formatDate(date), date.toISOString()).toBe(intlDate.format(date));
  expect(machineDateTime(date), date.toISOString()).toBe(intlMachine.format(date));
  expect(dateTimeHtml(date), date.toISOString()).toBe(`<time datetime="${intlMachine.format(date)}">${intlDateTime.format(date)}</time>`);
  expect(dateHtml(date), date.toISOString()).toBe(`<time datetime="${intlMachine.format(date)}">${intlDate.format(date)}</time>`);
}

describe('German dates in Berlin time', () => {
  test('the formats people read', () => {
    const date = new Date('2026-11-30T13:05:00Z');
    expect(formatDateTime(date)).toBe('30.11.2026, 14:05');
    expect(formatDate(date)).toBe('30.11.2026');
    expect(machineDateTime(date)).toBe('2026-11-30 14:05');
    expect(dateTimeHtml(date)).toBe('<time datetime="2026-11-30 14:05">30.11.2026, 14:05</time>');
    expect(dateHtml(date)).toBe('<time datetime="2026-11-30 14:05">30.11.2026</time>');
    expect(formatDateTime(new Date('2026-07-01T22:30:00Z'))).toBe('02.07.2026, 00:30');
  });

  test('around the changes to and from summer time', () => {
    for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '1980-04-06T01:00:00Z', '1996-10-27T01:00:00Z']) {
      const at = Date.parse(change);
      for (const delta of [-3_600_001, -60_000, -1, 0, 1, 59_999, 60_000, 3_599_999, 3_600_000]) expectSameAsIntl(new Date(at + delta));
    }
  });

  test('any instant from 1900 to 2200 reads as Intl formats it', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => expectSameAsIntl(new Date(ms))), { numRuns: 2000 });
  });

  test('instants outside the shortcut fall back to Intl', () => {
    for (const iso of ['1893-03-31T23:00:00Z', '1969-12-31T23:59:59Z', '0099-06-01T12:00:00Z']) expectSameAsIntl(new Date(iso));
  });
});
