// What an admin may not do to their own account, decided in one place.
import { describe, expect, test } from 'vitest';
import { mayChangeRole, mayDeactivate, teamRoles } from '../../src/modules/team/team-rules.js';

const admin = { id: 1, role: 'admin' as const };
const other = { id: 2, role: 'agent' as const };

describe('mayChangeRole', () => {
  test.each(teamRoles)('an admin may give someone else the role %s', (role) => {
    expect(mayChangeRole(admin, other, role)).toBe(true);
  });

  test('nobody changes their own role; keeping it is no change', () => {
    expect(mayChangeRole(admin, admin, 'agent')).toBe(false);
    expect(mayChangeRole(admin, admin, 'lead')).toBe(false);
    expect(mayChangeRole(admin, admin, 'admin')).toBe(true);
  });
});

describe('mayDeactivate', () => {
  test('others yes, oneself never', () => {
    expect(mayDeactivate(admin, other)).toBe(true);
    expect(mayDeactivate(admin, admin)).toBe(false);
  });
});
