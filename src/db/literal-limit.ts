// LIMITs written into the text of prepared statements instead of bound to them.
import { type Placeholder, sql } from 'drizzle-orm';

/**
 * SQLite compiles a prepared statement anew on every run when its LIMIT is a bound parameter, since the value may change
 * the plan: parsing and planning again made the query of "Meine Aktivitäten" 40% slower. With the number in the text,
 * the compiled statement is reused. Only a whole number of rows gets into the SQL.
 */
export function limitText(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`a LIMIT must be a whole number of rows, not ${rows}`);
  return String(rows);
}

/** limitText for drizzle's limit(), which binds a number but writes any SQL object it is given into the text as it is. */
export function literalLimit(rows: number): Placeholder {
  return sql.raw(limitText(rows)) as unknown as Placeholder;
}
