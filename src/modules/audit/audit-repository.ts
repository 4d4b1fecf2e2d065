// SQL for the admin audit log: one row per admin action, read newest first in pages.
import { desc, eq, lt } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../../db/client.js';
import { type AdminAuditAction, adminAuditLog, users } from '../../db/schema.js';

export type AuditEntryInput = {
  actorId: number | null;
  action: AdminAuditAction;
  targetUserId?: number | null;
  details?: Record<string, string | number | boolean>;
  at: Date;
};

export function insertAuditEntry(db: DbOrTx, entry: AuditEntryInput): void {
  db.insert(adminAuditLog).values({
    actorId: entry.actorId, action: entry.action, targetUserId: entry.targetUserId ?? null, details: entry.details ?? {}, at: entry.at,
  }).run();
}

const actor = alias(users, 'actor');
const target = alias(users, 'target');

/** Newest first by id (ids grow with time), before the given id: keyset paging along the primary key. */
export function listAuditEntries(db: DbOrTx, query: { beforeId?: number; limit: number }) {
  return db.select({
    id: adminAuditLog.id, action: adminAuditLog.action, details: adminAuditLog.details, at: adminAuditLog.at,
    actorId: adminAuditLog.actorId, actorName: actor.name,
    targetUserId: adminAuditLog.targetUserId, targetName: target.name,
  })
    .from(adminAuditLog)
    .leftJoin(actor, eq(actor.id, adminAuditLog.actorId))
    .leftJoin(target, eq(target.id, adminAuditLog.targetUserId))
    .where(query.beforeId === undefined ? undefined : lt(adminAuditLog.id, query.beforeId))
    .orderBy(desc(adminAuditLog.id))
    .limit(query.limit)
    .all();
}

export type AuditListRow = ReturnType<typeof listAuditEntries>[number];
