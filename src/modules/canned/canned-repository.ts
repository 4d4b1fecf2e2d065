// SQL for canned replies (Textbausteine).
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type CannedReply, cannedReplies } from '../../db/schema.js';

export function listCannedReplies(db: DbOrTx): CannedReply[] {
  return db.select().from(cannedReplies).orderBy(asc(cannedReplies.title), asc(cannedReplies.id)).all();
}

export function findCannedReply(db: DbOrTx, id: number): CannedReply | undefined {
  return db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).get();
}

export function insertCannedReply(db: DbOrTx, reply: typeof cannedReplies.$inferInsert): CannedReply {
  return db.insert(cannedReplies).values(reply).returning().get();
}

export function updateCannedReply(db: DbOrTx, id: number, changes: Pick<CannedReply, 'title' | 'body' | 'updatedAt'>): void {
  db.update(cannedReplies).set(changes).where(eq(cannedReplies.id, id)).run();
}

export function deleteCannedReply(db: DbOrTx, id: number): void {
  db.delete(cannedReplies).where(eq(cannedReplies.id, id)).run();
}
