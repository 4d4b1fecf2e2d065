// When our answers are due: first and next response counted in the shop's business hours (answer hours, Bundesland holidays, Berlin time).
import {
  addBusinessMinutes, type BusinessCalendar, formatPromise, germanBusinessCalendar, parseWeeklyHours, type WeeklyHours,
} from '../../lib/business-hours.js';
import type { Settings } from '../settings/settings-schema.js';
import { defaultSettings } from '../settings/settings-schema.js';

export type DueTimes = ReturnType<typeof createDueTimes>;

const parsedHours = new Map<string, WeeklyHours>();

/** The answer hours as intervals; the setting is validated on save, and a stored value that is not falls back to the default. */
function answerHoursOf(settings: Settings): WeeklyHours {
  let hours = parsedHours.get(settings.answerHours);
  if (!hours) {
    const parsed = parseWeeklyHours(settings.answerHours);
    const fallback = parseWeeklyHours(defaultSettings.answerHours);
    hours = parsed.ok ? parsed.hours : fallback.ok ? fallback.hours : [];
    parsedHours.set(settings.answerHours, hours);
  }
  return hours;
}

export function businessCalendarOf(settings: Settings): BusinessCalendar {
  return germanBusinessCalendar(answerHoursOf(settings), settings.holidayRegion);
}

export function createDueTimes(settings: () => Settings) {
  return {
    /** The first answer to a new request. */
    firstResponseDue(receivedAt: Date): Date {
      const current = settings();
      return addBusinessMinutes(receivedAt, current.firstResponseHours * 60, businessCalendarOf(current));
    },
    /** The answer to a customer's further message, once an agent has answered before. */
    nextResponseDue(receivedAt: Date): Date {
      const current = settings();
      return addBusinessMinutes(receivedAt, current.nextResponseHours * 60, businessCalendarOf(current));
    },
    /** "Montag, 12:00 Uhr" for pages; with the date for mail, which may be read days later. */
    promise(due: Date, now: Date, options: { withDate?: boolean } = {}): string {
      return formatPromise(due, now, options);
    },
  };
}
