// Use cases of the team page: list the staff, invite someone, change a role, deactivate and reactivate an account.
import type { Db, DbOrTx } from '../../db/client.js';
import type { User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { insertAuditEntry } from '../audit/audit-repository.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { AccountsService } from '../users/accounts-service.js';
import { deleteSessionsOfUser, findUserByEmail, insertUser, retireOpenTokens, updateUser } from '../users/users-repository.js';
import { unassignOpenTicketsOf } from '../tickets/agent-repository.js';
import { insertEvent } from '../tickets/tickets-repository.js';
import { invitationMail } from './team-mails.js';
import { findTeamMember, listTeamMembers, type TeamMemberRow } from './team-repository.js';
import { mayChangeRole, mayDeactivate, type TeamRole, teamRoleLabels } from './team-rules.js';

export type TeamService = ReturnType<typeof createTeamService>;

export type InviteOutcome =
  | { outcome: 'invited' | 'upgraded'; memberId: number }
  | { outcome: 'already-in-team' | 'account-disabled' };

export function createTeamService(deps: {
  db: Db; clock: Clock; outbox: Outbox; accounts: Pick<AccountsService, 'issueInviteLink'>; settings: SettingsService; publicUrl: string;
}) {
  const { db, clock, outbox, accounts, settings, publicUrl } = deps;

  function queueInvitation(tx: DbOrTx, inviter: User, member: Pick<User, 'id' | 'name' | 'email'>, role: TeamRole): void {
    const setPasswordUrl = accounts.issueInviteLink(tx, member.id);
    outbox.enqueue(tx, {
      kind: 'team_invitation',
      to: { address: member.email, name: member.name },
      content: invitationMail(
        { memberName: member.name, inviterName: inviter.name, roleLabel: teamRoleLabels[role], setPasswordUrl, loginUrl: `${publicUrl}/login` },
        settings.current(),
      ),
    });
  }

  return {
    list: (): TeamMemberRow[] => listTeamMembers(db),
    find: (memberId: number): TeamMemberRow | undefined => findTeamMember(db, memberId),

    /**
     * Creates the account without a password and mails a link to set one. Someone who wrote in before already has a
     * customer account under their address: it becomes the team account, with their requests kept.
     */
    invite(inviter: User, input: { name: string; email: string; role: TeamRole }): InviteOutcome {
      return db.transaction((tx): InviteOutcome => {
        const existing = findUserByEmail(tx, input.email);
        if (existing && existing.role !== 'customer') return { outcome: 'already-in-team' };
        // A blocked customer stays blocked; inviting them would need a decision that this page cannot make.
        if (existing?.disabledAt) return { outcome: 'account-disabled' };
        let member: User;
        if (existing) {
          updateUser(tx, existing.id, { role: input.role, name: input.name });
          member = { ...existing, role: input.role, name: input.name };
        } else {
          member = insertUser(tx, { email: input.email, name: input.name, role: input.role, createdAt: clock.now() });
        }
        queueInvitation(tx, inviter, member, input.role);
        insertAuditEntry(tx, { actorId: inviter.id, action: 'member_invited', targetUserId: member.id, details: { role: input.role }, at: clock.now() });
        return { outcome: existing ? 'upgraded' : 'invited', memberId: member.id };
      }, { behavior: 'immediate' });
    },

    /** A fresh link for someone who has not set a password yet; the older link stops working. */
    resendInvitation(inviter: User, memberId: number): 'sent' | 'not-found' | 'not-pending' {
      return db.transaction((tx) => {
        const member = findTeamMember(tx, memberId);
        if (!member) return 'not-found' as const;
        if (member.hasPassword || member.disabledAt) return 'not-pending' as const;
        queueInvitation(tx, inviter, member, member.role);
        insertAuditEntry(tx, { actorId: inviter.id, action: 'invitation_resent', targetUserId: member.id, at: clock.now() });
        return 'sent' as const;
      }, { behavior: 'immediate' });
    },

    changeRole(actor: User, memberId: number, role: TeamRole): 'changed' | 'not-found' | 'own-role' {
      return db.transaction((tx) => {
        const member = findTeamMember(tx, memberId);
        if (!member) return 'not-found' as const;
        if (!mayChangeRole(actor, member, role)) return 'own-role' as const;
        updateUser(tx, member.id, { role });
        if (member.role !== role) {
          insertAuditEntry(tx, { actorId: actor.id, action: 'role_changed', targetUserId: member.id, details: { from: member.role, to: role }, at: clock.now() });
        }
        return 'changed' as const;
      }, { behavior: 'immediate' });
    },

    /**
     * Ends every session at once and retires open links, so the next request of that person is anonymous. Requests that
     * still need work go back to "Nicht zugewiesen", since nobody else would see them in "Meine"; solved and closed ones
     * keep the name of who worked them.
     */
    deactivate(actor: User, memberId: number): 'deactivated' | 'not-found' | 'own-account' {
      return db.transaction((tx) => {
        const member = findTeamMember(tx, memberId);
        if (!member) return 'not-found' as const;
        if (!mayDeactivate(actor, member)) return 'own-account' as const;
        const now = clock.now();
        if (!member.disabledAt) updateUser(tx, member.id, { disabledAt: now });
        deleteSessionsOfUser(tx, member.id);
        retireOpenTokens(tx, member.id, now);
        for (const ticketId of unassignOpenTicketsOf(tx, member.id)) {
          insertEvent(tx, { ticketId, actorId: actor.id, kind: 'assignee', fromValue: member.name, toValue: null, at: now });
        }
        insertAuditEntry(tx, { actorId: actor.id, action: 'member_deactivated', targetUserId: member.id, at: now });
        return 'deactivated' as const;
      }, { behavior: 'immediate' });
    },

    reactivate(actor: User, memberId: number): 'reactivated' | 'not-found' {
      return db.transaction((tx) => {
        const member = findTeamMember(tx, memberId);
        if (!member) return 'not-found' as const;
        updateUser(tx, member.id, { disabledAt: null });
        insertAuditEntry(tx, { actorId: actor.id, action: 'member_reactivated', targetUserId: member.id, at: clock.now() });
        return 'reactivated' as const;
      }, { behavior: 'immediate' });
    },
  };
}
