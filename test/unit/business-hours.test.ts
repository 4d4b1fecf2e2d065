// Business hours: reading and writing weekly hours, and due times counted only while we work, across weekends, holidays and clock changes.
import { describe, expect, test } from 'vitest';
import {
  addBusinessMinutes, formatPromise, formatWeeklyHours, germanBusinessCalendar, type GermanState, isOpenAt, isPublicHoliday,
  normalizeWeeklyHours, parseWeeklyHours, type WeeklyHours,
} from '../../src/lib/business-hours.js';

function hours(text: string): WeeklyHours {
  const parsed = parseWeeklyHours(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.hours;
}

/** Mo–Fr 09:00–18:00 in the Bundesland: the default answer hours. */
function calendar(state: GermanState = 'BE', text = 'Mo–Fr 09:00–18:00') {
  return germanBusinessCalendar(hours(text), state);
}

/** The wall clock in Berlin as "2026-12-07 12:00", so expectations read like a calendar. */
function berlin(date: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(date);
}

const hour = 60;

describe('weekly hours as people write them', () => {
  test.each([
    ['Mo–Fr 09:00–18:00', 'Mo–Fr 09:00–18:00'],
    ['Mo–Do 09:00–18:00, Fr 09:00–17:00', 'Mo–Do 09:00–18:00, Fr 09:00–17:00'],
    ['Mo-Fr 9-18 Uhr', 'Mo–Fr 09:00–18:00'],
    ['Montag bis Freitag 9 bis 18 Uhr', 'Mo–Fr 09:00–18:00'],
    ['mo – fr 09.00 – 18.00', 'Mo–Fr 09:00–18:00'],
    ['Mo, Mi, Fr 9–12', 'Mo, Mi, Fr 09:00–12:00'],
    ['Mo–Fr 09:00–12:00 und 13:00–18:00', 'Mo–Fr 09:00–12:00 und 13:00–18:00'],
    ['Mo–Fr 09:00–12:00, 13:00–18:00', 'Mo–Fr 09:00–12:00 und 13:00–18:00'],
    ['Sa–So 10:00–14:00, Mo–Fr 08:00–20:00', 'Mo–Fr 08:00–20:00, Sa–So 10:00–14:00'],
    ['Mo–So 00:00–24:00', 'Mo–So 00:00–24:00'],
    ['Fr–Mo 10:00–12:00', 'Mo, Fr–So 10:00–12:00'],
  ])('"%s" reads as "%s", and that text reads as itself', (text, canonical) => {
    expect(normalizeWeeklyHours(text)).toBe(canonical);
    expect(normalizeWeeklyHours(canonical)).toBe(canonical);
  });

  test('the default hours are Monday to Friday, nine to six', () => {
    const week = hours('Mo–Fr 09:00–18:00');
    expect(week.slice(0, 5)).toEqual(Array(5).fill([{ start: 9 * hour, end: 18 * hour }]));
    expect(week.slice(5)).toEqual([[], []]);
  });

  test.each([
    ['', 'Bitte geben Sie die Zeiten so an'],
    ['Mo–Fr', 'Bitte nennen Sie zu jedem Wochentag die Uhrzeit'],
    ['09:00–18:00', 'Bitte nennen Sie vor „09:00-18:00“ die Wochentage'],
    ['Mo–Fr 09:00–25:00', '„25:00“ ist keine gültige Uhrzeit'],
    ['Mo–Fr 18:00–09:00', 'endet nicht nach ihrem Beginn'],
    ['werktags tagsüber', 'Bitte geben Sie die Zeiten so an'],
  ])('"%s" is refused: %s', (text, message) => {
    const parsed = parseWeeklyHours(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  test('overlapping times of one day are merged', () => {
    expect(formatWeeklyHours(hours('Mo 09:00–12:00, Mo 11:00–14:00'))).toBe('Mo 09:00–14:00');
  });
});

describe('public holidays by Bundesland', () => {
  test('Christmas and New Year are holidays everywhere; Christmas Eve is a working day', () => {
    for (const state of ['BE', 'BY', 'NW'] as const) {
      expect(isPublicHoliday(state, { year: 2026, month: 12, day: 25 })).toBe(true);
      expect(isPublicHoliday(state, { year: 2027, month: 1, day: 1 })).toBe(true);
      expect(isPublicHoliday(state, { year: 2026, month: 12, day: 24 })).toBe(false);
    }
  });

  test('Epiphany is a holiday in Bayern, not in Berlin; Women\'s Day in Berlin, not in Nordrhein-Westfalen', () => {
    expect(isPublicHoliday('BY', { year: 2027, month: 1, day: 6 })).toBe(true);
    expect(isPublicHoliday('BE', { year: 2027, month: 1, day: 6 })).toBe(false);
    expect(isPublicHoliday('BE', { year: 2027, month: 3, day: 8 })).toBe(true);
    expect(isPublicHoliday('NW', { year: 2027, month: 3, day: 8 })).toBe(false);
  });
});

describe('due times counted in business hours (Europe/Berlin)', () => {
  test('within the day, time simply runs on', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-11-30T10:00:00+01:00'), 3 * hour, calendar()))).toBe('2026-11-30 13:00');
  });

  test('a day of nine hours ends at six; the rest of the time counts from nine the next morning', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-11-30T10:00:00+01:00'), 9 * hour, calendar()))).toBe('2026-12-01 10:00');
  });

  test('a request on Friday evening is due on Monday: the weekend does not count', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-12-04T19:00:00+01:00'), 3 * hour, calendar()))).toBe('2026-12-07 12:00');
  });

  test('a request on Saturday counts from Monday nine o\'clock; zero minutes is the next opening', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-12-05T11:00:00+01:00'), 1 * hour, calendar()))).toBe('2026-12-07 10:00');
    expect(berlin(addBusinessMinutes(new Date('2026-12-05T11:00:00+01:00'), 0, calendar()))).toBe('2026-12-07 09:00');
  });

  test('before opening, time starts at opening', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-12-01T06:30:00+01:00'), 30, calendar()))).toBe('2026-12-01 09:30');
  });

  test('Christmas: Thursday afternoon plus two hours is Monday, since Friday is a holiday and then comes the weekend', () => {
    expect(berlin(addBusinessMinutes(new Date('2026-12-24T17:00:00+01:00'), 2 * hour, calendar()))).toBe('2026-12-28 10:00');
  });

  test('the Bundesland decides: Epiphany stops the clock in Bayern but not in Berlin', () => {
    const start = new Date('2027-01-05T17:00:00+01:00');
    expect(berlin(addBusinessMinutes(start, 2 * hour, calendar('BY')))).toBe('2027-01-07 10:00');
    expect(berlin(addBusinessMinutes(start, 2 * hour, calendar('BE')))).toBe('2027-01-06 10:00');
  });

  test('spring forward: Friday 17:00 CET plus two hours is Monday 10:00 CEST, which is 08:00 UTC', () => {
    const due = addBusinessMinutes(new Date('2026-03-27T17:00:00+01:00'), 2 * hour, calendar());
    expect(due.toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(berlin(due)).toBe('2026-03-30 10:00');
  });

  test('fall back: Friday 17:00 CEST plus two hours is Monday 10:00 CET, which is 09:00 UTC', () => {
    const due = addBusinessMinutes(new Date('2026-10-23T17:00:00+02:00'), 2 * hour, calendar());
    expect(due.toISOString()).toBe('2026-10-26T09:00:00.000Z');
    expect(berlin(due)).toBe('2026-10-26 10:00');
  });

  test('a window across the spring change is an hour shorter: Sunday 01:00–04:00 holds two real hours', () => {
    const sundays = calendar('BE', 'So 01:00–04:00');
    const opening = new Date('2026-03-29T01:00:00+01:00');
    expect(berlin(addBusinessMinutes(opening, 2 * hour, sundays))).toBe('2026-03-29 04:00');
    expect(berlin(addBusinessMinutes(opening, 2 * hour + 30, sundays))).toBe('2026-04-05 01:30');
  });

  test('a window across the fall change is an hour longer: Sunday 01:00–04:00 holds four real hours', () => {
    const sundays = calendar('BE', 'So 01:00–04:00');
    const opening = new Date('2026-10-25T01:00:00+02:00');
    expect(addBusinessMinutes(opening, 4 * hour, sundays).toISOString()).toBe('2026-10-25T03:00:00.000Z');
    expect(berlin(addBusinessMinutes(opening, 4 * hour + 30, sundays))).toBe('2026-11-01 01:30');
  });

  test('round the clock, business time is real time, also over the night the clocks change', () => {
    const always = calendar('BE', 'Mo–So 00:00–24:00');
    const start = new Date('2026-03-28T12:00:00+01:00');
    expect(addBusinessMinutes(start, 24 * hour, always).getTime() - start.getTime()).toBe(24 * 3600_000);
    expect(berlin(addBusinessMinutes(start, 24 * hour, always))).toBe('2026-03-29 13:00');
  });

  test('a lunch break does not count', () => {
    const withBreak = calendar('BE', 'Mo–Fr 09:00–12:00 und 13:00–18:00');
    expect(berlin(addBusinessMinutes(new Date('2026-12-01T11:00:00+01:00'), 2 * hour, withBreak))).toBe('2026-12-01 14:00');
  });

  test('open or not at a given moment', () => {
    expect(isOpenAt(new Date('2026-12-01T10:00:00+01:00'), calendar())).toBe(true);
    expect(isOpenAt(new Date('2026-12-05T10:00:00+01:00'), calendar())).toBe(false);
    expect(isOpenAt(new Date('2026-12-25T10:00:00+01:00'), calendar())).toBe(false);
  });
});

describe('what customers read: "in der Regel bis …"', () => {
  const friday = new Date('2026-12-04T19:00:00+01:00');

  test('a weekday name within the week, the full hour, never earlier than the due time', () => {
    expect(formatPromise(new Date('2026-12-07T12:00:00+01:00'), friday)).toBe('Montag, 12:00 Uhr');
    expect(formatPromise(new Date('2026-12-07T10:17:00+01:00'), friday)).toBe('Montag, 11:00 Uhr');
  });

  test('today and tomorrow by name', () => {
    const morning = new Date('2026-12-01T08:00:00+01:00');
    expect(formatPromise(new Date('2026-12-01T17:00:00+01:00'), morning)).toBe('heute, 17:00 Uhr');
    expect(formatPromise(new Date('2026-12-02T10:00:00+01:00'), morning)).toBe('morgen, 10:00 Uhr');
  });

  test('a week or more ahead, and in mail, with the date', () => {
    expect(formatPromise(new Date('2026-12-14T10:00:00+01:00'), friday)).toBe('Montag, 14.12., 10:00 Uhr');
    expect(formatPromise(new Date('2026-12-07T12:00:00+01:00'), friday, { withDate: true })).toBe('Montag, 07.12., 12:00 Uhr');
    expect(formatPromise(new Date('2027-01-04T12:00:00+01:00'), new Date('2026-12-31T12:00:00+01:00'), { withDate: true })).toBe('Montag, 04.01.2027, 12:00 Uhr');
  });

  test('in summer time too', () => {
    expect(formatPromise(new Date('2026-07-06T12:00:00+02:00'), new Date('2026-07-03T19:00:00+02:00'))).toBe('Montag, 12:00 Uhr');
  });
});
