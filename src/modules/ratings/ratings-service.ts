// Use cases of satisfaction ratings: the rating page of one request, recording a rating, and the team leads' report.
import type { Db } from '../../db/client.js';
import type { SatisfactionRatingValue, TicketStatus } from '../../db/schema.js';
import { defaultTimeZone, instantOf, type LocalDate, wallClock } from '../../lib/business-hours.js';
import type { Clock } from '../../lib/clock.js';
import { findTicket, insertEvent } from '../tickets/tickets-repository.js';
import { isErased } from '../users/users-repository.js';
import { commentsSince, findRating, ratingsSince, saveRating } from './ratings-repository.js';

export const ratingLabels: Record<SatisfactionRatingValue, string> = {
  good: 'Gut, ich bin zufrieden',
  bad: 'Schlecht, ich bin unzufrieden',
};

export type RatingOutcome = 'saved' | 'not_solved' | 'closed' | 'missing';

export type RatingsService = ReturnType<typeof createRatingsService>;

const percentFormat = new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 0 });

/** A request can be rated while it is solved; a closed one keeps its rating as it is. */
export function canRate(status: TicketStatus): boolean {
  return status === 'solved';
}

function share(good: number, total: number): string {
  return total === 0 ? '–' : percentFormat.format(good / total);
}

// ---- ISO weeks in Berlin time ----

function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

function mondayOf(at: Date): LocalDate {
  const local = wallClock(at.getTime(), defaultTimeZone);
  const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
  return addDays(local, -weekday);
}

function isoWeekOf(monday: LocalDate): { week: number; year: number } {
  const thursday = addDays(monday, 3);
  const dayOfYear = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / 86_400_000;
  return { week: Math.floor(dayOfYear / 7) + 1, year: thursday.year };
}

function shortDate(date: LocalDate): string {
  return `${String(date.day).padStart(2, '0')}.${String(date.month).padStart(2, '0')}.`;
}

export function createRatingsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  return {
    /** What the rating page shows about the request behind a valid link: number, subject, status, the rating so far. */
    pageFor(ticketId: number) {
      const ticket = findTicket(db, ticketId);
      // The links in an erased person's old mails lead nowhere: their requests are never reopened or rated again.
      if (!ticket || isErased(db, ticket.requesterId)) return undefined;
      return {
        ticket: { id: ticket.id, subject: ticket.subject, status: ticket.status, closed: ticket.status === 'closed', ratable: canRate(ticket.status) },
        rating: findRating(db, ticketId),
      };
    },

    /** Records or changes the rating; it speaks about whoever the request is assigned to now. Written to the audit trail. */
    rate(ticketId: number, input: { rating: SatisfactionRatingValue; comment: string }): RatingOutcome {
      return db.transaction((tx) => {
        const ticket = findTicket(tx, ticketId);
        if (!ticket) return 'missing';
        if (ticket.status === 'closed') return 'closed';
        if (!canRate(ticket.status)) return 'not_solved';
        const now = clock.now();
        const previous = findRating(tx, ticketId);
        saveRating(tx, { ticketId, rating: input.rating, comment: input.comment || null, agentId: ticket.assigneeId, at: now });
        if (previous?.rating !== input.rating || (previous?.comment ?? '') !== input.comment) {
          insertEvent(tx, { ticketId, actorId: ticket.requesterId, kind: 'rating', fromValue: previous?.rating ?? null, toValue: input.rating, at: now });
        }
        return 'saved';
      }, { behavior: 'immediate' });
    },

    ratingOf(ticketId: number) {
      return findRating(db, ticketId);
    },

    /** The share of good ratings by week and by agent over the last weeks, and the latest comments. */
    report(weeks: number) {
      const now = clock.now();
      const thisMonday = mondayOf(now);
      const firstMonday = addDays(thisMonday, -7 * (weeks - 1));
      const since = new Date(instantOf(firstMonday, 0, defaultTimeZone));
      const rows = ratingsSince(db, since);

      const weekRows = Array.from({ length: weeks }, (_unused, index) => {
        const monday = addDays(thisMonday, -7 * index);
        const { week, year } = isoWeekOf(monday);
        return { key: `${year}-${week}`, label: `KW ${week}/${year}`, range: `${shortDate(monday)}–${shortDate(addDays(monday, 6))}`, total: 0, good: 0, share: '–' };
      });
      const byWeek = new Map(weekRows.map((row) => [row.key, row]));
      const byAgent = new Map<string, { name: string; total: number; good: number; share: string }>();
      for (const row of rows) {
        const { week, year } = isoWeekOf(mondayOf(row.ratedAt));
        const weekRow = byWeek.get(`${year}-${week}`);
        if (weekRow) {
          weekRow.total += 1;
          if (row.rating === 'good') weekRow.good += 1;
        }
        const name = row.agentName ?? 'Nicht zugewiesen';
        const agent = byAgent.get(name) ?? { name, total: 0, good: 0, share: '–' };
        agent.total += 1;
        if (row.rating === 'good') agent.good += 1;
        byAgent.set(name, agent);
      }
      for (const row of [...weekRows, ...byAgent.values()]) row.share = share(row.good, row.total);
      const total = rows.length;
      const good = rows.filter((row) => row.rating === 'good').length;
      return {
        weeks,
        total: { total, good, share: share(good, total) },
        byWeek: weekRows,
        byAgent: [...byAgent.values()].sort((a, b) => a.name.localeCompare(b.name, 'de')),
        comments: commentsSince(db, since, 50).map((comment) => ({ ...comment, ratingLabel: ratingLabels[comment.rating] })),
      };
    },
  };
}
