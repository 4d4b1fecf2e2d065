// Who may read, comment on and manage the Wissensdatenbank, and whose vote a vote is.
import { describe, expect, test } from 'vitest';
import type { UserRole } from '../../src/db/schema.js';
import { canComment, canManageKnowledgeBase, canReadArticle, commentRateLimit, isCommentRateLimited, voterKeyOf } from '../../src/modules/kb/kb-access.js';

const person = (role: UserRole, id = 7) => ({ id, role });
const published = { status: 'published' as const };
const draft = { status: 'draft' as const };

describe('reading', () => {
  test('everyone reads published articles', () => {
    for (const viewer of [undefined, person('customer'), person('agent'), person('lead'), person('admin')]) {
      expect(canReadArticle(viewer, published)).toBe(true);
    }
  });

  test('only the team reads drafts', () => {
    expect(canReadArticle(undefined, draft)).toBe(false);
    expect(canReadArticle(person('customer'), draft)).toBe(false);
    for (const role of ['agent', 'lead', 'admin'] as const) expect(canReadArticle(person(role), draft)).toBe(true);
  });
});

describe('commenting', () => {
  test('anyone logged in comments on published articles; visitors and drafts take none', () => {
    expect(canComment(undefined, published)).toBe(false);
    expect(canComment(person('customer'), published)).toBe(true);
    expect(canComment(person('agent'), published)).toBe(true);
    expect(canComment(person('agent'), draft)).toBe(false);
  });

  test(`customers may write ${commentRateLimit.max} comments in the window, the team any number`, () => {
    expect(isCommentRateLimited(person('customer'), commentRateLimit.max - 1)).toBe(false);
    expect(isCommentRateLimited(person('customer'), commentRateLimit.max)).toBe(true);
    expect(isCommentRateLimited(person('agent'), 100)).toBe(false);
  });
});

describe('managing', () => {
  test('the team manages articles and comments, customers and visitors do not', () => {
    expect(canManageKnowledgeBase(undefined)).toBe(false);
    expect(canManageKnowledgeBase(person('customer'))).toBe(false);
    for (const role of ['agent', 'lead', 'admin'] as const) expect(canManageKnowledgeBase(person(role))).toBe(true);
  });
});

describe('whose vote', () => {
  test('the account of someone logged in, whatever cookie they have', () => {
    expect(voterKeyOf(person('customer', 42), 'abc')).toBe('user:42');
  });

  test('a visitor by the id in their cookie, or no one yet', () => {
    expect(voterKeyOf(undefined, 'zufall-123')).toBe('anon:zufall-123');
    expect(voterKeyOf(undefined, undefined)).toBeUndefined();
  });
});
