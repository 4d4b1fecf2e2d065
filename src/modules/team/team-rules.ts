// The team's roles and their German names, and what an admin may not do to their own account.
import type { User, UserRole } from '../../db/schema.js';

export const teamRoles = ['agent', 'lead', 'admin'] as const satisfies readonly UserRole[];
export type TeamRole = (typeof teamRoles)[number];

export const teamRoleLabels: Record<TeamRole, string> = {
  agent: 'Agent',
  lead: 'Teamleitung',
  admin: 'Administrator',
};

type Member = Pick<User, 'id' | 'role'>;

/**
 * Nobody changes their own role: an admin who demoted themselves would lock themselves out of this page,
 * and since every admin keeps their role, the team can never be left without one.
 */
export function mayChangeRole(actor: Member, member: Member, role: TeamRole): boolean {
  return actor.id !== member.id || role === member.role;
}

/** Nobody deactivates their own account: it would end their session in the middle of the action. */
export function mayDeactivate(actor: Member, member: Member): boolean {
  return actor.id !== member.id;
}
