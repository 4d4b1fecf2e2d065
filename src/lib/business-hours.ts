// Business hours: weekly hours as people write them ("Mo–Fr 09:00–18:00"), public holidays per Bundesland, and time counted only while we work.
import Holidays from 'date-holidays';

/** Minutes after local midnight; `end` may be 1440 ("24:00"). */
export type Interval = { start: number; end: number };
/** Seven days, Monday first; a day without intervals is closed. */
export type WeeklyHours = Interval[][];

export const germanStates = {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg', HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern', NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen', RP: 'Rheinland-Pfalz', SL: 'Saarland',
  SN: 'Sachsen', ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein', TH: 'Thüringen',
} as const;
export type GermanState = keyof typeof germanStates;

export const defaultTimeZone = 'Europe/Berlin';

const dayNames = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;
const longDayNames = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'] as const;
const dayTokens = new Map<string, number>([
  ...dayNames.map((name, index) => [name.toLowerCase(), index] as const),
  ...longDayNames.map((name, index) => [name.toLowerCase(), index] as const),
]);

export const weeklyHoursFormatHint = 'Bitte geben Sie die Zeiten so an: „Mo–Fr 09:00–18:00“ oder „Mo–Do 09:00–18:00, Fr 09:00–17:00“.';

export type ParsedHours = { ok: true; hours: WeeklyHours } | { ok: false; message: string };

/**
 * Reads hours the way people write them: day ranges or lists, then one or more times, groups separated by commas.
 * "Mo–Do 09:00–18:00, Fr 09:00–17:00", "Mo, Mi, Fr 9–12 Uhr", "Mo–Fr 09:00–12:00 und 13:00–18:00".
 */
export function parseWeeklyHours(text: string): ParsedHours {
  const normalized = text
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\bbis\b/g, '-')
    .replace(/\buhr\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalized === '') return { ok: false, message: weeklyHoursFormatHint };
  const hours: WeeklyHours = [[], [], [], [], [], [], []];
  let pendingDays: number[] = [];
  let lastDays: number[] = [];
  const dayPattern = '(?:mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\\.?';
  const chunkPattern = new RegExp(`^(${dayPattern}(?: ?- ?${dayPattern})?)? ?(?:(\\d{1,2}(?:[:.]\\d{2})?) ?- ?(\\d{1,2}(?:[:.]\\d{2})?))?$`);
  for (const rawChunk of normalized.split(/ ?[,;/&+] ?| und /)) {
    const chunk = rawChunk.trim();
    if (chunk === '') continue;
    const match = chunkPattern.exec(chunk);
    if (!match || (!match[1] && !match[2])) return { ok: false, message: weeklyHoursFormatHint };
    const days = match[1] ? dayRange(match[1]) : [];
    if (!match[2]) {
      pendingDays.push(...days);
      continue;
    }
    const start = parseTime(match[2]);
    const end = parseTime(match[3]!);
    if (start === undefined) return { ok: false, message: `„${match[2]}“ ist keine gültige Uhrzeit. ${weeklyHoursFormatHint}` };
    if (end === undefined) return { ok: false, message: `„${match[3]}“ ist keine gültige Uhrzeit. ${weeklyHoursFormatHint}` };
    if (end <= start) return { ok: false, message: `Die Zeit „${match[2]}–${match[3]}“ endet nicht nach ihrem Beginn.` };
    const groupDays = days.length > 0 || pendingDays.length > 0 ? [...pendingDays, ...days] : lastDays;
    if (groupDays.length === 0) return { ok: false, message: `Bitte nennen Sie vor „${chunk}“ die Wochentage. ${weeklyHoursFormatHint}` };
    for (const day of groupDays) hours[day]!.push({ start, end });
    lastDays = groupDays;
    pendingDays = [];
  }
  if (pendingDays.length > 0) return { ok: false, message: `Bitte nennen Sie zu jedem Wochentag die Uhrzeit. ${weeklyHoursFormatHint}` };
  const merged = hours.map(mergeIntervals);
  if (merged.every((day) => day.length === 0)) return { ok: false, message: weeklyHoursFormatHint };
  return { ok: true, hours: merged };
}

function dayRange(text: string): number[] {
  const [from, to] = text.split('-').map((part) => dayTokens.get(part.trim().replace(/\.$/, ''))!);
  if (to === undefined) return [from!];
  const days: number[] = [];
  for (let day = from!; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === to) return days;
  }
}

function parseTime(text: string): number | undefined {
  const [hourText, minuteText = '00'] = text.split(/[:.]/);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (hour > 24 || minute > 59 || (hour === 24 && minute > 0)) return undefined;
  return hour * 60 + minute;
}

function mergeIntervals(day: Interval[]): Interval[] {
  const sorted = [...day].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function formatTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The canonical text of weekly hours: days with the same times together, "Mo–Do 09:00–18:00, Fr 09:00–17:00". */
export function formatWeeklyHours(hours: WeeklyHours): string {
  const groups: Array<{ days: number[]; times: string }> = [];
  hours.forEach((intervals, day) => {
    if (intervals.length === 0) return;
    const times = intervals.map((interval) => `${formatTime(interval.start)}–${formatTime(interval.end)}`).join(' und ');
    const group = groups.find((candidate) => candidate.times === times);
    if (group) group.days.push(day);
    else groups.push({ days: [day], times });
  });
  return groups.map((group) => `${formatDays(group.days)} ${group.times}`).join(', ');
}

function formatDays(days: number[]): string {
  const runs: number[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs.map((run) => (run.length === 1 ? dayNames[run[0]!] : `${dayNames[run[0]!]}–${dayNames[run.at(-1)!]}`)).join(', ');
}

/** Hours text in its canonical form, or undefined if it cannot be read. */
export function normalizeWeeklyHours(text: string): string | undefined {
  const parsed = parseWeeklyHours(text);
  return parsed.ok ? formatWeeklyHours(parsed.hours) : undefined;
}

// ---- Calendar days and wall-clock time in a time zone, without a date library ----

export type LocalDate = { year: number; month: number; day: number };

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in the time zone at an instant. */
export function wallClock(instant: number, timeZone: string): LocalDate & { minutes: number; seconds: number } {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, minutes: parts.hour! * 60 + parts.minute!, seconds: parts.second! };
}

function offsetAt(instant: number, timeZone: string): number {
  const local = wallClock(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes, local.seconds);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock shows this local time; a time skipped by the spring change counts as the hour after. */
export function instantOf(date: LocalDate, minutes: number, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = offsetAt(first, timeZone);
  return second === asUtc - first ? first : asUtc - second;
}

function nextDay(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** Monday = 0 … Sunday = 6. */
function weekdayOf(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

function dayNumber(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

export function dateKey(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

// ---- Public holidays ----

const holidayCache = new Map<string, Set<string>>();

/** Whether the day is a public holiday in the Bundesland (from the date-holidays library; memorial and bank days do not count). */
export function isPublicHoliday(state: GermanState, date: LocalDate): boolean {
  const cacheKey = `${state}:${date.year}`;
  let days = holidayCache.get(cacheKey);
  if (!days) {
    const holidays = new Holidays('DE', state, { types: ['public'] }).getHolidays(date.year) || [];
    days = new Set(holidays.filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
    holidayCache.set(cacheKey, days);
  }
  return days.has(dateKey(date));
}

// ---- Counting business time ----

export type BusinessCalendar = {
  hours: WeeklyHours;
  isHoliday(date: LocalDate): boolean;
  timeZone: string;
};

export function germanBusinessCalendar(hours: WeeklyHours, state: GermanState, timeZone = defaultTimeZone): BusinessCalendar {
  return { hours, timeZone, isHoliday: (date) => isPublicHoliday(state, date) };
}

// Long enough for any real calendar (a shop closed over Christmas and New Year), short enough to end a misconfiguration.
const searchDays = 800;

/** The moment after `minutes` of business time have passed from `start`; 0 gives the next moment we are open. */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = Math.max(0, Math.round(minutes * 60_000));
  let cursor = start.getTime();
  const local = wallClock(cursor, calendar.timeZone);
  let date: LocalDate = { year: local.year, month: local.month, day: local.day };
  for (let day = 0; day < searchDays; day += 1, date = nextDay(date)) {
    if (calendar.isHoliday(date)) continue;
    for (const interval of calendar.hours[weekdayOf(date)] ?? []) {
      const opens = instantOf(date, interval.start, calendar.timeZone);
      const closes = instantOf(date, interval.end, calendar.timeZone);
      if (closes <= cursor) continue;
      const from = Math.max(opens, cursor);
      if (from + remaining <= closes) return new Date(from + remaining);
      remaining -= closes - from;
      cursor = closes;
    }
  }
  throw new Error(`no business hours within ${searchDays} days after ${start.toISOString()}`);
}

/** Whether we are open at the instant. */
export function isOpenAt(at: Date, calendar: BusinessCalendar): boolean {
  return addBusinessMinutes(at, 0, calendar).getTime() === at.getTime();
}

// ---- What customers read ----

const weekdayNames = longDayNames;

/**
 * "heute, 18:00 Uhr", "morgen, 12:00 Uhr", "Montag, 12:00 Uhr", or with the date when it is a week or more away.
 * The time is rounded up to the full hour: a promise is never earlier than the due time. `withDate` always names
 * the date (for mail, which may be read days later).
 */
export function formatPromise(due: Date, now: Date, options: { timeZone?: string; withDate?: boolean } = {}): string {
  const timeZone = options.timeZone ?? defaultTimeZone;
  const roundedUp = new Date(Math.ceil(due.getTime() / 3_600_000) * 3_600_000);
  // Whole hours in UTC are whole hours in every German zone; the rounding stays on the wall clock's hour.
  const local = wallClock(roundedUp.getTime(), timeZone);
  const today = wallClock(now.getTime(), timeZone);
  const days = dayNumber(local) - dayNumber(today);
  const time = `${formatTime(local.minutes)} Uhr`;
  const weekday = weekdayNames[weekdayOf(local)]!;
  const shortDate = `${String(local.day).padStart(2, '0')}.${String(local.month).padStart(2, '0')}.`;
  if (options.withDate) return `${weekday}, ${shortDate}${local.year === today.year ? '' : local.year}, ${time}`;
  if (days <= 0) return `heute, ${time}`;
  if (days === 1) return `morgen, ${time}`;
  if (days < 7) return `${weekday}, ${time}`;
  return `${weekday}, ${shortDate}, ${time}`;
}
