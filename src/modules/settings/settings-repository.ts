// SQL for the settings table: key → JSON value.
import { settings } from '../../db/schema.js';
import type { Db, DbOrTx } from '../../db/client.js';

export function readAllSettings(db: DbOrTx): Array<{ key: string; value: unknown }> {
  return db.select().from(settings).all();
}

export function writeSetting(db: DbOrTx, key: string, value: unknown): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

/**
 * Changes whenever the database may have changed: rows written on this connection (total_changes) or a commit by another
 * connection to the file, such as the CLI or a second process (data_version). Reading it costs about a microsecond.
 */
export function prepareChangeCounter(db: Db): () => string {
  const statement = db.$client.prepare("select total_changes() || ':' || (select data_version from pragma_data_version)").pluck();
  return () => statement.get() as string;
}
