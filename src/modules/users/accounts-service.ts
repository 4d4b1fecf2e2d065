// Use cases of an account: log in, set or change the password by link or form, end sessions, create users.
import type { Db, DbOrTx } from '../../db/client.js';
import type { User, UserRole } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/tokens.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import { passwordChangedMail, passwordResetMail } from './account-mails.js';
import type { PasswordHasher } from './passwords.js';
import {
  deleteSessionsOfUser, findUsableToken, findUserByEmail, insertPasswordToken, insertUser, markTokenUsed,
  prepareFindUserById, retireOpenTokens, updateUser,
} from './users-repository.js';
import { deleteSessionsOfUserExcept } from './sessions-repository.js';

const resetLinkLifetimeMs = 60 * 60_000;
const inviteLinkLifetimeMs = 7 * 24 * 3600_000;

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: {
  db: Db; clock: Clock; outbox: Outbox; hasher: PasswordHasher; settings: SettingsService; publicUrl: string;
}) {
  const { db, clock, outbox, hasher, settings, publicUrl } = deps;
  const userById = prepareFindUserById(db);
  const link = (path: string) => `${publicUrl}${path}`;

  function issuePasswordToken(tx: DbOrTx, userId: number, purpose: 'reset' | 'invite', lifetimeMs: number): string {
    const token = randomToken();
    const now = clock.now();
    retireOpenTokens(tx, userId, now);
    insertPasswordToken(tx, { userId, tokenHash: sha256(token), purpose, createdAt: now, expiresAt: new Date(now.getTime() + lifetimeMs) });
    return token;
  }

  /**
   * A link for someone invited to set their first password: valid 7 days, once, stored only as a hash.
   * Takes the caller's transaction, so the link exists exactly when the account change and the mail that carries it do.
   */
  function issueInviteLink(tx: DbOrTx, userId: number): string {
    const token = issuePasswordToken(tx, userId, 'invite', inviteLinkLifetimeMs);
    return link(`/password/reset/${token}`);
  }

  return {
    userById,

    /** The account for these credentials, or null; unknown addresses cost the same argon2 work as known ones. */
    async authenticate(email: string, password: string): Promise<User | null> {
      const user = findUserByEmail(db, email);
      if (!user?.passwordHash || user.disabledAt) {
        await hasher.verifyAgainstNothing(password);
        return null;
      }
      if (!(await hasher.verify(user.passwordHash, password))) return null;
      updateUser(db, user.id, { lastLoginAt: clock.now() });
      return user;
    },

    /** Sends a link to known, active addresses; the caller answers the same either way. */
    requestPasswordReset(email: string): void {
      const user = findUserByEmail(db, email);
      if (!user || user.disabledAt) return;
      db.transaction((tx) => {
        const token = issuePasswordToken(tx, user.id, 'reset', resetLinkLifetimeMs);
        outbox.enqueue(tx, {
          kind: 'password_reset',
          to: { address: user.email, name: user.name },
          content: passwordResetMail(link(`/password/reset/${token}`), settings.current()),
        });
      }, { behavior: 'immediate' });
    },

    isUsablePasswordToken(token: string): boolean {
      return findUsableToken(db, sha256(token), clock.now()) !== undefined;
    },

    /** Sets the password from a mailed link; every session of the account ends. */
    async setPasswordWithToken(token: string, password: string): Promise<'saved' | 'invalid-token'> {
      if (!findUsableToken(db, sha256(token), clock.now())) return 'invalid-token';
      const passwordHash = await hasher.hash(password);
      return db.transaction((tx) => {
        const now = clock.now();
        const found = findUsableToken(tx, sha256(token), now);
        if (!found) return 'invalid-token' as const;
        markTokenUsed(tx, found.token.id, now);
        updateUser(tx, found.user.id, { passwordHash });
        deleteSessionsOfUser(tx, found.user.id);
        outbox.enqueue(tx, {
          kind: 'password_changed',
          to: { address: found.user.email, name: found.user.name },
          content: passwordChangedMail(link('/login'), link('/password/forgot'), settings.current()),
        });
        return 'saved' as const;
      }, { behavior: 'immediate' });
    },

    /** Changes the password from "Mein Konto"; other sessions end, the current one stays. */
    async changePassword(user: User, currentPassword: string, newPassword: string, currentSessionId: string): Promise<'saved' | 'wrong-current'> {
      if (!user.passwordHash || !(await hasher.verify(user.passwordHash, currentPassword))) return 'wrong-current';
      const passwordHash = await hasher.hash(newPassword);
      db.transaction((tx) => {
        updateUser(tx, user.id, { passwordHash });
        deleteSessionsOfUserExcept(tx, user.id, currentSessionId);
        outbox.enqueue(tx, {
          kind: 'password_changed',
          to: { address: user.email, name: user.name },
          content: passwordChangedMail(link('/login'), link('/password/forgot'), settings.current()),
        });
      }, { behavior: 'immediate' });
      return 'saved';
    },

    rename(user: User, name: string): void {
      updateUser(db, user.id, { name });
    },

    endAllSessions(userId: number): void {
      deleteSessionsOfUser(db, userId);
    },

    /** For operators: creates an account; without a password it returns a one-time link to set one. */
    async createUser(input: { email: string; name: string; role: UserRole; password?: string }): Promise<{ user: User; setPasswordUrl?: string }> {
      if (findUserByEmail(db, input.email)) throw new Error(`an account for ${input.email} exists already`);
      const passwordHash = input.password ? await hasher.hash(input.password) : null;
      const user = insertUser(db, { email: input.email, name: input.name, role: input.role, passwordHash, createdAt: clock.now() });
      if (passwordHash) return { user };
      return { user, setPasswordUrl: issueInviteLink(db, user.id) };
    },

    issueInviteLink,
  };
}
