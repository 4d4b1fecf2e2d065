// SQL for the team page: the staff accounts among all users.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type User, users } from '../../db/schema.js';
import type { TeamRole } from './team-rules.js';

export type TeamMemberRow = Pick<User, 'id' | 'name' | 'email' | 'disabledAt' | 'lastLoginAt' | 'createdAt'> & { role: TeamRole; hasPassword: boolean };

const memberColumns = {
  id: users.id, name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt,
  lastLoginAt: users.lastLoginAt, createdAt: users.createdAt,
  hasPassword: sql<number>`${users.passwordHash} is not null`.mapWith(Boolean),
};

// `role <> 'customer'` is the condition of the partial index users_staff_idx, so the list reads the team only;
// it is also why the rows' role is a team role.
export function listTeamMembers(db: DbOrTx): TeamMemberRow[] {
  return db.select(memberColumns).from(users).where(ne(users.role, 'customer')).orderBy(asc(users.name), asc(users.id)).all() as TeamMemberRow[];
}

export function findTeamMember(db: DbOrTx, id: number): TeamMemberRow | undefined {
  return db.select(memberColumns).from(users).where(and(eq(users.id, id), ne(users.role, 'customer'))).get() as TeamMemberRow | undefined;
}
