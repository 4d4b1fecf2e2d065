// Where `next=` may send someone after login: local paths of the portal, never another site.
import { describe, expect, test } from 'vitest';
import { safeLocalPath } from '../../src/lib/safe-redirect.js';

describe('safeLocalPath', () => {
  test.each([
    '/',
    '/requests',
    '/requests/5',
    '/requests?status=offen&q=Lok',
    '/requests?q=Gr%C3%B6%C3%9Fe',
    '/kb/articles/12-lieferzeiten#kommentare',
    '/account',
  ])('keeps the local path %j', (path) => {
    expect(safeLocalPath(path)).toBe(path);
  });

  test.each([
    ['protocol-relative URL', '//evil.example'],
    ['protocol-relative URL with path', '//evil.example/requests'],
    ['backslash read as slash', '/\\evil.example'],
    ['backslash further on', '/requests\\..\\evil'],
    ['absolute URL', 'https://evil.example'],
    ['absolute URL without slashes', 'https:evil.example'],
    ['javascript URL', 'javascript:alert(1)'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['relative path', 'requests'],
    ['tab that browsers drop', '/\t/evil.example'],
    ['newline that browsers drop', '/\n/evil.example'],
    ['carriage return (header splitting)', '/requests\r\nSet-Cookie: x=1'],
    ['NUL', '/requests\u0000'],
    ['DEL', '/requests\u007f'],
    ['space', '/ /evil.example'],
    ['character outside ASCII', '/€'],
    ['Latin-1 character', '/ä'],
    ['empty string', ''],
    ['overlong path', `/${'a'.repeat(2000)}`],
  ])('refuses a %s', (_what, next) => {
    expect(safeLocalPath(next)).toBe('/');
  });

  test.each([undefined, null, 5, ['/requests'], { next: '/requests' }])('refuses the non-string %j', (next) => {
    expect(safeLocalPath(next)).toBe('/');
  });

  test('answers with the given fallback', () => {
    expect(safeLocalPath('//evil.example', '/requests')).toBe('/requests');
    expect(safeLocalPath(undefined, '')).toBe('');
  });

  test('a path of exactly 2000 characters is still taken', () => {
    const longest = `/${'a'.repeat(1999)}`;
    expect(safeLocalPath(longest)).toBe(longest);
  });
});
