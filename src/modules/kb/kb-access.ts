// Who may do what in the Wissensdatenbank: small pure rules that the routes ask and the unit tests check alone.
import type { KbArticleStatus, User } from '../../db/schema.js';
import { isStaff } from '../tickets/ticket-access.js';

type Person = Pick<User, 'id' | 'role'> | undefined;

/** Customers and visitors read published articles; the team also reads drafts (to check them before publishing). */
export function canReadArticle(person: Person, article: { status: KbArticleStatus }): boolean {
  return article.status === 'published' || (person !== undefined && isStaff(person));
}

/** Anyone logged in may comment on a published article; visitors are asked to log in first. */
export function canComment(person: Person, article: { status: KbArticleStatus }): boolean {
  return person !== undefined && article.status === 'published';
}

/** The team writes articles, answers, hides and deletes comments, and sees the vote counts. */
export function canManageKnowledgeBase(person: Person): boolean {
  return person !== undefined && isStaff(person);
}

/** Customers may write this many comments in this window; the team is not limited. */
export const commentRateLimit = { max: 5, windowMs: 10 * 60_000 } as const;

export function isCommentRateLimited(person: Pick<User, 'role'>, commentsInWindow: number): boolean {
  return !isStaff(person) && commentsInWindow >= commentRateLimit.max;
}

/**
 * Whose vote it is: the account of someone logged in, else the random id in the visitor's signed cookie. A visitor
 * without that cookie has no vote yet; none is made up, and no session row is written for them.
 */
export function voterKeyOf(person: Person, visitorId: string | undefined): string | undefined {
  if (person) return `user:${person.id}`;
  return visitorId ? `anon:${visitorId}` : undefined;
}
