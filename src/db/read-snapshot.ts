// Several reads of one page from one snapshot of the database, under one read lock.
import type { Db } from './client.js';

/**
 * Runs `read` in one read transaction: its statements all see the database as it was at the first of them, even if
 * another process (the CLI) commits in between, and SQLite takes and drops its shared lock once for all of them
 * instead of once per statement (two fcntl calls each time). Inside another transaction it becomes a savepoint.
 */
export function createReadSnapshot(db: Db): <T>(read: () => T) => T {
  const inTransaction = db.$client.transaction((read: () => unknown) => read());
  return <T>(read: () => T) => inTransaction(read) as T;
}
