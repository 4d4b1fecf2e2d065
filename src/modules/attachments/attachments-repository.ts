// SQL for attachments: staged uploads, claiming them for a message, the files of a request, one file with its request.
import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { type Attachment, attachments, ticketMessages, tickets } from '../../db/schema.js';

export type NewAttachment = typeof attachments.$inferInsert;

export function insertAttachment(db: DbOrTx, row: NewAttachment): Attachment {
  return db.insert(attachments).values(row).returning().get();
}

function uploaderIs(uploaderId: number | null) {
  return uploaderId === null ? isNull(attachments.uploadedById) : eq(attachments.uploadedById, uploaderId);
}

/** Staged files that these tokens name, uploaded by this person, not older than `since`. */
export function findStaged(db: DbOrTx, tokenHashes: string[], uploaderId: number | null, since: Date): Attachment[] {
  if (tokenHashes.length === 0) return [];
  return db.select().from(attachments)
    .where(and(inArray(attachments.stagingTokenHash, tokenHashes), isNull(attachments.messageId), uploaderIs(uploaderId), gte(attachments.createdAt, since)))
    .orderBy(asc(attachments.id))
    .all();
}

/** Gives staged files to the message they were sent with; a token works once. */
export function claimStaged(db: DbOrTx, tokenHashes: string[], messageId: number, uploaderId: number | null, since: Date): Attachment[] {
  if (tokenHashes.length === 0) return [];
  return db.update(attachments)
    .set({ messageId, stagingTokenHash: null })
    .where(and(inArray(attachments.stagingTokenHash, tokenHashes), isNull(attachments.messageId), uploaderIs(uploaderId), gte(attachments.createdAt, since)))
    .returning()
    .all()
    .sort((a, b) => a.id - b.id);
}

export type AttachmentListing = { id: number; messageId: number | null; filename: string; contentType: string; size: number };

/**
 * Every file of a request's messages (public ones only, for the customer), in message order: one query for the whole
 * thread, prepared once per shape since every view of a request page lists its files.
 */
export function prepareAttachmentsOfTicket(db: DbOrTx): (ticketId: number, publicOnly: boolean) => AttachmentListing[] {
  const build = (publicOnly: boolean) => {
    const conditions = [eq(ticketMessages.ticketId, sql.placeholder('ticketId'))];
    if (publicOnly) conditions.push(eq(ticketMessages.visibility, 'public'));
    return compiledRows(db
      .select({
        id: attachments.id, messageId: attachments.messageId, filename: attachments.filename,
        contentType: attachments.contentType, size: attachments.size,
      })
      .from(attachments)
      .innerJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
      .where(and(...conditions))
      .orderBy(asc(attachments.id))
      .prepare());
  };
  const publicFiles = build(true);
  const allFiles = build(false);
  return (ticketId, publicOnly) => (publicOnly ? publicFiles : allFiles).all({ ticketId });
}

export function attachmentsOfMessage(db: DbOrTx, messageId: number): Attachment[] {
  return db.select().from(attachments).where(eq(attachments.messageId, messageId)).orderBy(asc(attachments.id)).all();
}

/** One file with what decides who may fetch it: its request's requester and its message's visibility. */
export function findAttachmentWithTicket(db: DbOrTx, id: number) {
  return db
    .select({ attachment: attachments, ticketId: tickets.id, requesterId: tickets.requesterId, visibility: ticketMessages.visibility })
    .from(attachments)
    .innerJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .where(eq(attachments.id, id))
    .get();
}

export function attachmentsByIds(db: DbOrTx, ids: number[]): Attachment[] {
  if (ids.length === 0) return [];
  return db.select().from(attachments).where(inArray(attachments.id, ids)).orderBy(asc(attachments.id)).all();
}

/** Staged files nobody sent, oldest first. */
export function staleStaged(db: DbOrTx, before: Date, limit: number): Attachment[] {
  return db.select().from(attachments)
    .where(and(isNull(attachments.messageId), lt(attachments.createdAt, before)))
    .orderBy(asc(attachments.createdAt))
    .limit(limit)
    .all();
}

export function deleteStaged(db: DbOrTx, ids: number[]): void {
  if (ids.length === 0) return;
  db.delete(attachments).where(and(inArray(attachments.id, ids), isNull(attachments.messageId))).run();
}
