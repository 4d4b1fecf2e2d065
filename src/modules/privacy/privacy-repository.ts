// SQL for GDPR export and erasure: everything stored about one person, and the retention sweeps of old mail.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import {
  attachments, inboundMails, kbArticles, kbComments, kbVotes, outbox, passwordTokens, satisfactionRatings, sessions,
  ticketEvents, ticketMessages, tickets, type User, users,
} from '../../db/schema.js';

/** A vote of someone logged in carries this key (src/modules/kb); visitors' votes are anonymous from the start. */
export function voterKeyOf(userId: number): string {
  return `user:${userId}`;
}

export function ticketIdsOfRequester(db: DbOrTx, userId: number): number[] {
  return db.select({ id: tickets.id }).from(tickets).where(eq(tickets.requesterId, userId)).orderBy(asc(tickets.id)).all().map((row) => row.id);
}

export function ticketsByIds(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(tickets).where(inArray(tickets.id, ids)).orderBy(asc(tickets.id)).all();
}

/** The messages of the person's requests (whoever wrote them) and whatever they wrote anywhere else. */
export function messagesOfPerson(db: DbOrTx, userId: number, ticketIds: number[]) {
  const mine = eq(ticketMessages.authorId, userId);
  return db.select().from(ticketMessages)
    .where(ticketIds.length > 0 ? or(inArray(ticketMessages.ticketId, ticketIds), mine) : mine)
    .orderBy(asc(ticketMessages.ticketId), asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
}

export function eventsOfTickets(db: DbOrTx, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return db.select().from(ticketEvents).where(inArray(ticketEvents.ticketId, ticketIds)).orderBy(asc(ticketEvents.at), asc(ticketEvents.id)).all();
}

export function ratingsOfTickets(db: DbOrTx, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return db.select().from(satisfactionRatings).where(inArray(satisfactionRatings.ticketId, ticketIds)).all();
}

/** Files of those messages, and files the person uploaded that never reached a message (a form not sent yet). */
export function attachmentsOfPerson(db: DbOrTx, userId: number, messageIds: number[]) {
  const uploaded = eq(attachments.uploadedById, userId);
  return db.select().from(attachments)
    .where(messageIds.length > 0 ? or(inArray(attachments.messageId, messageIds), uploaded) : uploaded)
    .orderBy(asc(attachments.id))
    .all();
}

export function kbCommentsOfAuthor(db: DbOrTx, userId: number) {
  return db.select({ id: kbComments.id, articleId: kbComments.articleId, articleTitle: kbArticles.title, body: kbComments.body, createdAt: kbComments.createdAt, hiddenAt: kbComments.hiddenAt })
    .from(kbComments).innerJoin(kbArticles, eq(kbArticles.id, kbComments.articleId))
    .where(eq(kbComments.authorId, userId)).orderBy(asc(kbComments.createdAt), asc(kbComments.id)).all();
}

export function kbVotesOfPerson(db: DbOrTx, userId: number) {
  return db.select({ articleId: kbVotes.articleId, articleTitle: kbArticles.title, helpful: kbVotes.helpful, updatedAt: kbVotes.updatedAt })
    .from(kbVotes).innerJoin(kbArticles, eq(kbArticles.id, kbVotes.articleId))
    .where(eq(kbVotes.voterKey, voterKeyOf(userId))).orderBy(asc(kbVotes.id)).all();
}

/** Mail to the person, and every mail about their requests (notices to agents repeat what they wrote). */
function outboxOfPersonCondition(email: string, ticketIds: number[], messageIds: number[]) {
  const conditions = [eq(outbox.toAddress, email)];
  if (ticketIds.length > 0) conditions.push(inArray(outbox.ticketId, ticketIds));
  if (messageIds.length > 0) conditions.push(inArray(outbox.ticketMessageId, messageIds));
  return or(...conditions);
}

export function outboxMailsToPerson(db: DbOrTx, email: string) {
  return db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(asc(outbox.id)).all();
}

function inboundOfPersonCondition(email: string, ticketIds: number[]) {
  const from = eq(inboundMails.fromAddress, email);
  return ticketIds.length > 0 ? or(from, inArray(inboundMails.ticketId, ticketIds)) : from;
}

export function inboundMailsOfPerson(db: DbOrTx, email: string, ticketIds: number[]) {
  return db.select().from(inboundMails).where(inboundOfPersonCondition(email, ticketIds)).orderBy(asc(inboundMails.id)).all();
}

export function sessionsOfUser(db: DbOrTx, userId: number) {
  return db.select({ createdAt: sessions.createdAt, absoluteExpiresAt: sessions.absoluteExpiresAt }).from(sessions)
    .where(eq(sessions.userId, userId)).orderBy(asc(sessions.createdAt)).all();
}

/**
 * Erases the person's data inside the caller's transaction; returns the files to delete after the commit. The order
 * follows the foreign keys: mails and files that point to messages go before the messages (whose delete trigger takes
 * them out of ticket_search).
 */
export function eraseRowsOfPerson(db: DbOrTx, person: User, at: Date) {
  const ticketIds = ticketIdsOfRequester(db, person.id);
  const messageIds = messagesOfPerson(db, person.id, ticketIds).map((message) => message.id);
  const files = attachmentsOfPerson(db, person.id, messageIds);
  if (files.length > 0) db.delete(attachments).where(inArray(attachments.id, files.map((file) => file.id))).run();
  const mails = db.delete(outbox).where(outboxOfPersonCondition(person.email, ticketIds, messageIds)).run().changes;
  const rawMails = db.update(inboundMails)
    .set({
      fromAddress: null, subject: null, messageId: null, lastError: null, rawDeletedAt: sql`coalesce(${inboundMails.rawDeletedAt}, ${at.getTime()})`,
      // Without its file a mail cannot be processed any more: one still waiting is put aside instead of failing five times.
      status: sql`case when ${inboundMails.status} in ('received', 'quarantined', 'failed') then 'discarded' else ${inboundMails.status} end`,
      leaseUntil: null,
    })
    .where(inboundOfPersonCondition(person.email, ticketIds))
    .returning({ storageKey: inboundMails.storageKey }).all();
  if (messageIds.length > 0) db.delete(ticketMessages).where(inArray(ticketMessages.id, messageIds)).run();
  if (ticketIds.length > 0) {
    db.update(satisfactionRatings).set({ comment: null }).where(inArray(satisfactionRatings.ticketId, ticketIds)).run();
    db.update(tickets).set({ subject: 'Gelöschte Anfrage' }).where(inArray(tickets.id, ticketIds)).run();
  }
  // Answers of the team to the person's comments go with them (ON DELETE CASCADE): they quote and address them.
  const comments = db.delete(kbComments).where(eq(kbComments.authorId, person.id)).run().changes;
  db.delete(kbVotes).where(eq(kbVotes.voterKey, voterKeyOf(person.id))).run();
  db.delete(sessions).where(eq(sessions.userId, person.id)).run();
  db.delete(passwordTokens).where(eq(passwordTokens.userId, person.id)).run();
  db.update(users).set({
    name: `Gelöschte Person #${person.id}`, email: `geloescht-${person.id}@invalid`, passwordHash: null,
    disabledAt: person.disabledAt ?? at, lastLoginAt: null, erasedAt: at,
  }).where(eq(users.id, person.id)).run();
  return {
    counts: { requests: ticketIds.length, messages: messageIds.length, files: files.length, comments, mails },
    attachmentKeys: files.map((file) => file.storageKey),
    rawMailKeys: rawMails.map((row) => row.storageKey),
  };
}

// Retention: each sweep reads its partial index (schema.ts) in batches. Named with INDEXED BY, since SQLite's planner
// prefers the equality on status in outbox_due_idx and inbound_mails_status_idx, which read every mail ever sent or
// received and sort them: at 100,000 sent mails that blocked the server for most of a second, once a minute.

export function sentMailsWithTextBefore(db: DbOrTx, sentBefore: Date, limit: number): number[] {
  return db.all<{ id: number }>(sql`
    SELECT id FROM outbox INDEXED BY outbox_retention_idx
    WHERE status = 'sent' AND text_body <> '' AND sent_at <= ${sentBefore.getTime()}
    ORDER BY sent_at LIMIT ${limit}`).map((row) => row.id);
}

/** Headers stay (the Message-ID answers refer to); the text and HTML go. */
export function blankMailBodies(db: DbOrTx, ids: number[]): number {
  if (ids.length === 0) return 0;
  return db.update(outbox).set({ textBody: '', htmlBody: null })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'sent'))).run().changes;
}

/** Raw mails older than the limit whose file is still there, except mails still waiting to be processed or decided on. */
export function rawMailsReceivedBefore(db: DbOrTx, receivedBefore: Date, limit: number) {
  return db.all<{ id: number; storageKey: string }>(sql`
    SELECT id, storage_key AS storageKey FROM inbound_mails INDEXED BY inbound_mails_retention_idx
    WHERE raw_deleted_at IS NULL AND received_at <= ${receivedBefore.getTime()} AND status IN ('processed', 'discarded')
    ORDER BY received_at LIMIT ${limit}`);
}

export function markRawMailsDeleted(db: DbOrTx, ids: number[], at: Date): void {
  if (ids.length > 0) db.update(inboundMails).set({ rawDeletedAt: at }).where(inArray(inboundMails.id, ids)).run();
}
