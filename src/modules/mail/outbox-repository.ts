// SQL for the outbox: queue a mail, claim due mails with a lease, record how delivery went.
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { outbox, type OutboxMail } from '../../db/schema.js';

export type NewOutboxMail = typeof outbox.$inferInsert;

export function insertOutboxMail(db: DbOrTx, mail: NewOutboxMail): void {
  db.insert(outbox).values(mail).run();
}

/** Claims due mails, and mails whose sender's lease ran out (it died mid-send), in one statement. */
export function claimDueMails(db: DbOrTx, now: Date, leaseUntil: Date, limit: number): OutboxMail[] {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(or(
      and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)),
      and(eq(outbox.status, 'sending'), lte(outbox.leaseUntil, now)),
    ))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(limit);
  return db
    .update(outbox)
    .set({ status: 'sending', leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning()
    .all();
}

export function markMailSent(db: DbOrTx, id: number, at: Date): void {
  db.update(outbox).set({ status: 'sent', sentAt: at, leaseUntil: null, lastError: null }).where(eq(outbox.id, id)).run();
}

export function scheduleMailRetry(db: DbOrTx, id: number, nextAttemptAt: Date, error: string): void {
  db.update(outbox).set({ status: 'pending', nextAttemptAt, leaseUntil: null, lastError: error }).where(eq(outbox.id, id)).run();
}

export function markMailFailed(db: DbOrTx, id: number, error: string): void {
  db.update(outbox).set({ status: 'failed', leaseUntil: null, lastError: error }).where(eq(outbox.id, id)).run();
}

/** Hands claimed mails back at shutdown, so the next start sends them without waiting for the lease. */
export function releaseClaimedMails(db: DbOrTx, ids: number[], now: Date): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ status: 'pending', leaseUntil: null, nextAttemptAt: now, attempts: sql`max(${outbox.attempts} - 1, 0)` })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'sending')))
    .run();
}
