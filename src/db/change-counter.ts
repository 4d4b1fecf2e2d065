// A token that changes whenever the database may have changed, for caches that must never serve stale data.
import type { Db } from './client.js';

/**
 * Changes whenever the database may have changed: rows written on this connection (total_changes) or a commit by another
 * connection to the file, such as the CLI or a second process (data_version). Reading it costs about a microsecond.
 */
export function prepareChangeCounter(db: Db): () => string {
  const statement = db.$client.prepare("select total_changes() || ':' || (select data_version from pragma_data_version)").pluck();
  return () => statement.get() as string;
}
