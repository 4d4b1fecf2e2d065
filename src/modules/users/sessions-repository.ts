// SQL for the session store: one row per logged-in browser, with an idle and an absolute expiry.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { sessions, users } from '../../db/schema.js';

export type SessionRow = typeof sessions.$inferSelect;

export function prepareSessionQueries(db: Db) {
  const find = compiledRows(db.select().from(sessions).where(eq(sessions.sid, sql.placeholder('sid'))).prepare());
  // Every logged-in request needs both: one statement instead of two.
  const findWithUser = compiledRows(db.select({ session: sessions, user: users }).from(sessions)
    .leftJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.sid, sql.placeholder('sid'))).prepare());
  return {
    find: (sid: string): SessionRow | undefined => find.get({ sid }),
    findWithUser: (sid: string) => findWithUser.get({ sid }),
    upsert(row: SessionRow): void {
      db.insert(sessions).values(row).onConflictDoUpdate({
        target: sessions.sid,
        set: { userId: row.userId, data: row.data, idleExpiresAt: row.idleExpiresAt },
      }).run();
    },
    extendIdle(sid: string, idleExpiresAt: Date): void {
      db.update(sessions).set({ idleExpiresAt }).where(eq(sessions.sid, sid)).run();
    },
    remove(sid: string): void {
      db.delete(sessions).where(eq(sessions.sid, sid)).run();
    },
  };
}

export function deleteSessionsOfUserExcept(db: DbOrTx, userId: number, keepSid: string): void {
  db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.sid, keepSid))).run();
}

/**
 * Deletes up to `limit` sessions that ended before `now`, by whichever expiry came first (sessions_expiry_idx), and
 * says how many. An expired session is refused anyway; its row would only linger with who was logged in and when.
 */
export function deleteExpiredSessions(db: DbOrTx, now: Date, limit: number): number {
  return db.run(sql`
    DELETE FROM sessions WHERE sid IN (
      SELECT sid FROM sessions WHERE min(idle_expires_at, absolute_expires_at) <= ${now.getTime()} LIMIT ${limit})`).changes;
}
