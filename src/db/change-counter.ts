// A token that changes whenever the database may have changed, for caches that must never serve stale data.
import type { Db } from './client.js';

/**
 * Changes whenever the database may have changed: rows written on this connection (total_changes) or a commit by another
 * connection to the file, such as the CLI or a second process (data_version). Two statements rather than one reading
 * pragma_data_version in a subquery: SQLite compiled that one anew on every run. Together a few microseconds.
 */
export function prepareChangeCounter(db: Db): () => string {
  const changes = db.$client.prepare('select total_changes()').pluck();
  const dataVersion = db.$client.prepare('pragma data_version').pluck();
  return () => `${changes.get() as number}:${dataVersion.get() as number}`;
}
