// SQL for the outbox: queue a mail, claim due mails with a lease, record how delivery went.
import { and, asc, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
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

export function markMailSent(db: DbOrTx, id: number, at: Date, { forgetBody = false } = {}): void {
  const forgotten = forgetBody ? { textBody: '[nach dem Versand gelöscht]', htmlBody: null } : {};
  db.update(outbox).set({ status: 'sent', sentAt: at, leaseUntil: null, lastError: null, ...forgotten }).where(eq(outbox.id, id)).run();
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

/** The Message-IDs of a request's latest mails, newest first: the tail of References. */
export function recentMessageIdsOfTicket(db: DbOrTx, ticketId: number, limit: number): string[] {
  return db.select({ messageId: outbox.messageId }).from(outbox)
    .where(eq(outbox.ticketId, ticketId)).orderBy(desc(outbox.id)).limit(limit).all()
    .map((row) => row.messageId);
}

export function hasRecentMailTo(db: DbOrTx, address: string, kind: string, since: Date): boolean {
  return db.select({ id: outbox.id }).from(outbox)
    .where(and(eq(outbox.toAddress, address), eq(outbox.kind, kind), gt(outbox.createdAt, since))).limit(1).get() !== undefined;
}

export function listUndeliveredMails(db: DbOrTx, limit: number) {
  return db.select({
    id: outbox.id, kind: outbox.kind, toAddress: outbox.toAddress, subject: outbox.subject, status: outbox.status,
    attempts: outbox.attempts, nextAttemptAt: outbox.nextAttemptAt, lastError: outbox.lastError, createdAt: outbox.createdAt, ticketId: outbox.ticketId,
  }).from(outbox).where(inArray(outbox.status, ['pending', 'sending', 'failed'])).orderBy(desc(outbox.id)).limit(limit).all();
}

/** "Erneut senden": a failed mail becomes due again with a fresh count of tries. */
export function requeueFailedMail(db: DbOrTx, id: number, now: Date): boolean {
  return db.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'failed'))).run().changes > 0;
}
