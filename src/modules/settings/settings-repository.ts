// SQL for the settings table: key → JSON value.
import { settings } from '../../db/schema.js';
import type { Db, DbOrTx } from '../../db/client.js';

export function readAllSettings(db: DbOrTx): Array<{ key: string; value: unknown }> {
  return db.select().from(settings).all();
}

export function writeSetting(db: DbOrTx, key: string, value: unknown): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

/** SQLite's count of commits by other connections to the file (the CLI, a second process); our own writes leave it alone. */
export function prepareDataVersion(db: Db): () => number {
  const statement = db.$client.prepare('PRAGMA data_version').pluck();
  return () => statement.get() as number;
}
