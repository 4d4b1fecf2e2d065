// SQL for the settings table: key → JSON value.
import { settings } from '../../db/schema.js';
import type { DbOrTx } from '../../db/client.js';

export function readAllSettings(db: DbOrTx): Array<{ key: string; value: unknown }> {
  return db.select().from(settings).all();
}

export function writeSetting(db: DbOrTx, key: string, value: unknown): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}
