// SQL for the scheduled jobs: their leases, and the requests each job has to work on.
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { jobLeases, satisfactionRatings, tickets } from '../../db/schema.js';

/** Takes the job's lease if it is free or expired (or already ours): one statement, so two processes never both get it. */
export function claimLease(db: DbOrTx, name: string, holder: string, now: Date, until: Date): boolean {
  db.insert(jobLeases).values({ name, holder: null, leaseUntil: new Date(0) }).onConflictDoNothing().run();
  return db.update(jobLeases)
    .set({ holder, leaseUntil: until })
    .where(and(eq(jobLeases.name, name), or(lte(jobLeases.leaseUntil, now), eq(jobLeases.holder, holder))))
    .run().changes === 1;
}

export function releaseLease(db: DbOrTx, name: string, holder: string, now: Date): void {
  db.update(jobLeases).set({ leaseUntil: now, lastRunAt: now }).where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder))).run();
}

export function findLease(db: DbOrTx, name: string) {
  return db.select().from(jobLeases).where(eq(jobLeases.name, name)).get();
}

/**
 * Solved long enough to close, except a request the customer solved that no team lead has reviewed: it waits for the
 * review (DESIGN.md §2). Served by tickets_solved_at_idx.
 */
export function closableTickets(db: DbOrTx, solvedBefore: Date, limit: number): number[] {
  return db.select({ id: tickets.id }).from(tickets)
    .where(and(
      eq(tickets.status, 'solved'),
      lte(tickets.solvedAt, solvedBefore),
      sql`not (${tickets.solvedByCustomer} = 1 and ${tickets.reviewedAt} is null)`,
    ))
    .orderBy(asc(tickets.solvedAt))
    .limit(limit)
    .all()
    .map((row) => row.id);
}

/** Solved a day ago, not rated and not yet asked since this solve. */
export function surveyDueTickets(db: DbOrTx, solvedBefore: Date, limit: number): number[] {
  return db.select({ id: tickets.id }).from(tickets)
    .leftJoin(satisfactionRatings, eq(satisfactionRatings.ticketId, tickets.id))
    .where(and(
      eq(tickets.status, 'solved'),
      lte(tickets.solvedAt, solvedBefore),
      isNull(tickets.spamAt),
      isNull(satisfactionRatings.ticketId),
      or(isNull(tickets.surveySentAt), sql`${tickets.surveySentAt} < ${tickets.solvedAt}`),
    ))
    .orderBy(asc(tickets.solvedAt))
    .limit(limit)
    .all()
    .map((row) => row.id);
}

/** Waiting on the customer since our last answer, and not yet reminded since then. Served by tickets_waiting_idx. */
export function reminderDueTickets(db: DbOrTx, answeredBefore: Date, limit: number): number[] {
  return db.select({ id: tickets.id }).from(tickets)
    .where(and(
      eq(tickets.status, 'pending'),
      lte(tickets.lastAgentReplyAt, answeredBefore),
      isNull(tickets.spamAt),
      or(isNull(tickets.reminderSentAt), sql`${tickets.reminderSentAt} < ${tickets.lastAgentReplyAt}`),
    ))
    .orderBy(asc(tickets.lastAgentReplyAt))
    .limit(limit)
    .all()
    .map((row) => row.id);
}
