// SQL for accounts, password tokens and the sessions that belong to an account.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { compiledRows } from '../../db/compiled-rows.js';
import { passwordTokens, sessions, type User, type UserRole, users } from '../../db/schema.js';

export function findUserByEmail(db: DbOrTx, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
}

/** The person's data was erased (GDPR): their requests are anonymous shells that nothing revives. */
export function isErased(db: DbOrTx, userId: number): boolean {
  return Boolean(db.select({ erasedAt: users.erasedAt }).from(users).where(eq(users.id, userId)).get()?.erasedAt);
}

export function prepareFindUserById(db: Db) {
  const statement = compiledRows(db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare());
  return (id: number): User | undefined => statement.get({ id });
}

export function insertUser(
  db: DbOrTx,
  user: { email: string; name: string; role: UserRole; passwordHash?: string | null; createdAt: Date },
): User {
  return db.insert(users).values({ ...user, email: user.email.toLowerCase() }).returning().get();
}

export function updateUser(db: DbOrTx, id: number, changes: Partial<Pick<User, 'name' | 'passwordHash' | 'lastLoginAt' | 'role' | 'disabledAt'>>): void {
  db.update(users).set(changes).where(eq(users.id, id)).run();
}

export function insertPasswordToken(
  db: DbOrTx,
  token: { userId: number; tokenHash: string; purpose: 'reset' | 'invite'; createdAt: Date; expiresAt: Date },
): void {
  db.insert(passwordTokens).values(token).run();
}

/** A newer link makes every older unused one of the same user useless. */
export function retireOpenTokens(db: DbOrTx, userId: number, at: Date): void {
  db.update(passwordTokens).set({ usedAt: at }).where(and(eq(passwordTokens.userId, userId), isNull(passwordTokens.usedAt))).run();
}

export function findUsableToken(db: DbOrTx, tokenHash: string, now: Date) {
  return db
    .select({ token: passwordTokens, user: users })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(and(eq(passwordTokens.tokenHash, tokenHash), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, now), isNull(users.disabledAt)))
    .get();
}

export function markTokenUsed(db: DbOrTx, id: number, at: Date): void {
  db.update(passwordTokens).set({ usedAt: at }).where(eq(passwordTokens.id, id)).run();
}

export function deleteSessionsOfUser(db: DbOrTx, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Whoever writes in gets an account under their address; an existing account is used as it is. */
export function findOrCreateCustomer(db: DbOrTx, email: string, name: string, now: Date): User {
  return findUserByEmail(db, email) ?? insertUser(db, { email, name, role: 'customer', createdAt: now });
}
