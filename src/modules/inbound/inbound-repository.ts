// SQL for inbound mail: the stored mails and their processing lease, thread look-ups, bounces, the IMAP position.
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  imapFolders, type InboundMail, inboundMails, type InboundSource, type InboundStatus, outbox, ticketMessages, tickets, users,
} from '../../db/schema.js';

export type NewInboundMail = {
  source: InboundSource; messageId: string | null; sha256: string; storageKey: string; size: number;
  fromAddress: string | null; subject: string | null; receivedAt: Date;
};

/** The mail already stored under this hash or Message-ID, if any: the same mail arriving twice is stored once. */
export function findStoredDuplicate(db: DbOrTx, sha256: string, messageId: string | null): InboundMail | undefined {
  const sameHash = eq(inboundMails.sha256, sha256);
  return db.select().from(inboundMails).where(messageId ? or(sameHash, eq(inboundMails.messageId, messageId)) : sameHash).limit(1).get();
}

export function insertInboundMail(db: DbOrTx, mail: NewInboundMail): InboundMail {
  return db.insert(inboundMails).values({ ...mail, status: 'received' }).returning().get();
}

export function findInboundMail(db: DbOrTx, id: number): InboundMail | undefined {
  return db.select().from(inboundMails).where(eq(inboundMails.id, id)).get();
}

/** Claims a stored mail for processing unless someone else holds it: the lease outlives a crash, not a second worker. */
export function claimInboundMail(db: DbOrTx, id: number, now: Date, leaseUntil: Date): InboundMail | undefined {
  return db.update(inboundMails)
    .set({ leaseUntil, attempts: sql`${inboundMails.attempts} + 1` })
    .where(and(eq(inboundMails.id, id), eq(inboundMails.status, 'received'), or(isNull(inboundMails.leaseUntil), lte(inboundMails.leaseUntil, now))))
    .returning().get();
}

/** Inside the processing transaction: true only if this worker still holds the lease, so a mail is applied once. */
export function finishInboundMail(
  db: DbOrTx, id: number, leaseUntil: Date,
  result: { status: InboundStatus; outcome: string; ticketId: number | null; suspicious: boolean; subject: string; at: Date },
): boolean {
  return db.update(inboundMails)
    .set({
      status: result.status, outcome: result.outcome, ticketId: result.ticketId, suspicious: result.suspicious, subject: result.subject,
      processedAt: result.at, leaseUntil: null, lastError: null,
    })
    .where(and(eq(inboundMails.id, id), eq(inboundMails.status, 'received'), eq(inboundMails.leaseUntil, leaseUntil)))
    .run().changes === 1;
}

/** A processing error: the lease is given back so a later sweep retries, or the mail is parked after too many tries. */
export function recordInboundFailure(db: DbOrTx, id: number, error: string, giveUp: boolean): void {
  db.update(inboundMails)
    .set({ leaseUntil: null, lastError: error.slice(0, 1000), ...(giveUp ? { status: 'failed' as const } : {}) })
    .where(and(eq(inboundMails.id, id), eq(inboundMails.status, 'received')))
    .run();
}

/** Stored mails that still wait for processing and that nobody holds: left by a crash, or by a failed try. */
export function unprocessedMailIds(db: DbOrTx, now: Date, limit: number): number[] {
  return db.select({ id: inboundMails.id }).from(inboundMails)
    .where(and(eq(inboundMails.status, 'received'), or(isNull(inboundMails.leaseUntil), lte(inboundMails.leaseUntil, now))))
    .orderBy(asc(inboundMails.receivedAt), asc(inboundMails.id)).limit(limit).all().map((row) => row.id);
}

/** How many mails this sender's address sent since the given time (this one excluded): the flood check. */
export function countMailsFromSender(db: DbOrTx, fromAddress: string, since: Date, exceptId: number): number {
  const row = db.select({ count: sql<number>`count(*)` }).from(inboundMails)
    .where(and(eq(inboundMails.fromAddress, fromAddress), gt(inboundMails.receivedAt, since), sql`${inboundMails.id} <> ${exceptId}`)).get();
  return row?.count ?? 0;
}

/** A quarantined mail goes back to processing (released) or is put aside for good (discarded). */
export function setQuarantineDecision(db: DbOrTx, id: number, decision: 'release' | 'discard', at: Date): boolean {
  return db.update(inboundMails)
    .set(decision === 'release'
      ? { status: 'received', outcome: 'released', leaseUntil: null, attempts: 0 }
      : { status: 'discarded', outcome: 'discarded', processedAt: at })
    .where(and(eq(inboundMails.id, id), inArray(inboundMails.status, ['quarantined', 'failed'])))
    .run().changes === 1;
}

export type InboundListRow = Pick<InboundMail, 'id' | 'fromAddress' | 'subject' | 'receivedAt' | 'status' | 'outcome' | 'lastError' | 'ticketId' | 'size'>;

const listColumns = {
  id: inboundMails.id, fromAddress: inboundMails.fromAddress, subject: inboundMails.subject, receivedAt: inboundMails.receivedAt,
  status: inboundMails.status, outcome: inboundMails.outcome, lastError: inboundMails.lastError, ticketId: inboundMails.ticketId, size: inboundMails.size,
};

/** The agents' list: mails in quarantine or that could not be processed, newest first; one index range per status. */
export function listMailsNeedingAttention(db: DbOrTx, limit: number): InboundListRow[] {
  const byStatus = (status: 'quarantined' | 'failed') => db.select(listColumns).from(inboundMails).where(eq(inboundMails.status, status))
    .orderBy(desc(inboundMails.receivedAt), desc(inboundMails.id)).limit(limit).all();
  return [...byStatus('quarantined'), ...byStatus('failed')]
    .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id).slice(0, limit);
}

/** The latest mails, whatever became of them: newest id first, so the read walks the primary key back and stops. */
export function listRecentMails(db: DbOrTx, limit: number): InboundListRow[] {
  return db.select(listColumns).from(inboundMails).orderBy(desc(inboundMails.id)).limit(limit).all();
}

/** The request one of our sent mails belonged to, found by its Message-ID. */
export function ticketOfSentMail(db: DbOrTx, messageId: string): number | undefined {
  return db.select({ ticketId: outbox.ticketId }).from(outbox).where(eq(outbox.messageId, messageId)).limit(1).get()?.ticketId ?? undefined;
}

export function isOurSentMessageId(db: DbOrTx, messageId: string): boolean {
  return db.select({ id: outbox.id }).from(outbox).where(eq(outbox.messageId, messageId)).limit(1).get() !== undefined;
}

/** The request a mail we received earlier went into, found by its Message-ID (answers to the customer's own first mail). */
export function ticketOfReceivedMail(db: DbOrTx, messageId: string): number | undefined {
  return db.select({ ticketId: ticketMessages.ticketId }).from(ticketMessages).where(eq(ticketMessages.mailMessageId, messageId)).get()?.ticketId;
}

/** The request with its requester's address, for the "only the requester may add" rule. */
export function findTicketWithRequester(db: DbOrTx, id: number) {
  return db.select({ ticket: tickets, requesterEmail: users.email, requesterErasedAt: users.erasedAt }).from(tickets)
    .innerJoin(users, eq(users.id, tickets.requesterId)).where(eq(tickets.id, id)).get();
}

/** A hard bounce: our mail is marked undeliverable, with the reason, where agents already look for failed mail. */
export function markSentMailUndeliverable(db: DbOrTx, messageId: string, reason: string): { id: number; ticketId: number | null } | undefined {
  return db.update(outbox).set({ status: 'failed', lastError: reason.slice(0, 1000), leaseUntil: null })
    .where(eq(outbox.messageId, messageId))
    .returning({ id: outbox.id, ticketId: outbox.ticketId }).get();
}

/** The message a stored mail became on its request, if any; read through the request's own index of messages. */
export function messageOfInboundMail(db: DbOrTx, ticketId: number, inboundMailId: number) {
  return db.select({ id: ticketMessages.id, ticketId: ticketMessages.ticketId }).from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.inboundMailId, inboundMailId))).limit(1).get();
}

/** Marks the message that a mail became: its origin, its full text and whether DMARC failed. */
export function linkMessageToMail(
  db: DbOrTx, messageId: number, mail: { inboundMailId: number; mailMessageId: string | null; bodyFull: string | null; suspicious: boolean },
): void {
  db.update(ticketMessages)
    .set({ inboundMailId: mail.inboundMailId, mailMessageId: mail.mailMessageId, bodyFull: mail.bodyFull, suspicious: mail.suspicious, channel: 'email' })
    .where(eq(ticketMessages.id, messageId)).run();
}

/** The newest message of a request: inside the processing transaction, the one the mail just added. */
export function newestMessageId(db: DbOrTx, ticketId: number): number | undefined {
  return db.select({ id: sql<number | null>`max(${ticketMessages.id})` }).from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).get()?.id ?? undefined;
}

export function setTicketChannel(db: DbOrTx, ticketId: number, channel: 'email'): void {
  db.update(tickets).set({ channel }).where(eq(tickets.id, ticketId)).run();
}

export function findImapFolder(db: DbOrTx, mailbox: string) {
  return db.select().from(imapFolders).where(eq(imapFolders.mailbox, mailbox)).get();
}

export function saveImapFolder(db: DbOrTx, mailbox: string, uidValidity: string, lastUid: number, at: Date): void {
  db.insert(imapFolders).values({ mailbox, uidValidity, lastUid, updatedAt: at })
    .onConflictDoUpdate({ target: imapFolders.mailbox, set: { uidValidity, lastUid, updatedAt: at } }).run();
}
