// A page's reads in one snapshot: a commit by another process in between shows on the next page, never half in this one.
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReadSnapshot } from '../../src/db/read-snapshot.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const countUsers = () => t.services.db.get<{ users: number }>(sql`select count(*) as users from users`).users;

function addUserFromAnotherProcess(email: string) {
  // The CLI or a second server: its own connection to the same file.
  const other = new Database(t.services.db.$client.name);
  other.prepare("insert into users (email, name, role, created_at) values (?, 'Neue Kundin', 'customer', ?)").run(email, Date.now());
  other.close();
}

describe('createReadSnapshot', () => {
  test('the reads see the database as it was at the first of them', () => {
    const readSnapshot = createReadSnapshot(t.services.db);
    const counts = readSnapshot(() => {
      const before = countUsers();
      addUserFromAnotherProcess('zwischendurch@example.com');
      return [before, countUsers()];
    });
    expect(counts[1]).toBe(counts[0]);
    expect(countUsers()).toBe(counts[0]! + 1);
  });

  test('without it, each statement sees the latest commit', () => {
    const before = countUsers();
    addUserFromAnotherProcess('ohne-schnappschuss@example.com');
    expect(countUsers()).toBe(before + 1);
  });

  test('hands back what the reads return, and inside a transaction it is part of it', () => {
    const readSnapshot = createReadSnapshot(t.services.db);
    const inside = t.services.db.transaction(() => readSnapshot(() => countUsers()));
    expect(inside).toBe(countUsers());
  });
});
