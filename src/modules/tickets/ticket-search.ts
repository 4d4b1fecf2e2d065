// Agents' full-text search over subjects and messages (SQLite FTS5), newest first; any typed text is safe.
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { limitText } from '../../db/literal-limit.js';
import { hitEnd, hitStart } from '../../lib/plain-text.js';

const maxWords = 12;
const maxWordLength = 64;
/** A typed word becomes at most this many indexed words; one that starts more is left to FTS5's own prefix query. */
export const maxExpansions = 30;

/** The words someone typed: letters and digits only, so quotes, operators and FTS5 syntax lose their meaning. */
export function searchWords(text: string): string[] {
  return (text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, maxWords).map((word) => word.slice(0, maxWordLength));
}

/** A word as ticket_search's tokenizer (unicode61, remove_diacritics 2) writes it to the index: lower case, no accents. */
export function indexSpelling(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The FTS5 query for these words, every word a prefix: "liefer" becomes ("lieferung" OR "lieferzeit"), the indexed
 * words it starts (ticket_search_terms), which FTS5 reads lazily newest first. A prefix query `"liefer"*` would give
 * the same hits, but first merges the entries of all those words: at millions of messages, a second for a common one.
 * A word that starts more than maxExpansions words, or none that the table knows, is left to that prefix query.
 */
export function toFtsQuery(words: string[], wordsStarting: (prefix: string) => string[]): string | undefined {
  if (words.length === 0) return undefined;
  return words.map((word) => {
    const expansions = wordsStarting(indexSpelling(word));
    if (expansions.length === 0 || expansions.length > maxExpansions) return `"${word}"*`;
    const quoted = expansions.map((term) => `"${term.replaceAll('"', '""')}"`);
    return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
  }).join(' AND '); // FTS5 takes no bracket after a phrase without an operator between them
}

/** The indexed words that start with a prefix, one more than maxExpansions at most: a range of the terms table's primary key. */
export function prepareWordsStarting(db: Db): (prefix: string) => string[] {
  const statement = db.$client.prepare<[string, string], string>(
    `SELECT term FROM ticket_search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ${limitText(maxExpansions + 1)}`).pluck();
  return (prefix) => statement.all(prefix, `${prefix}\u{10FFFF}`);
}

/** Counts every word of ticket_search afresh, for bulk loads that write the index directly instead of through the triggers. */
export function recountSearchTerms(db: Db): void {
  db.$client.exec(`
    DELETE FROM ticket_search_terms;
    CREATE VIRTUAL TABLE temp.ticket_search_all_terms USING fts5vocab(main, ticket_search, 'row');
    INSERT INTO ticket_search_terms (term, messages) SELECT term, doc FROM temp.ticket_search_all_terms;
    DROP TABLE temp.ticket_search_all_terms;`);
}

export type SearchHit = { messageId: number; ticketId: number; subject: string; status: string; lastActivityAt: Date; requesterName: string; snippet: string };

export function searchMessages(db: DbOrTx, ftsQuery: string, beforeMessageId: number | undefined, limit: number): SearchHit[] {
  const before = beforeMessageId === undefined ? sql`` : sql`AND ticket_search.rowid < ${beforeMessageId}`;
  const rows = db.all<{ messageId: number; ticketId: number; subject: string; status: string; lastActivityAt: number; requesterName: string; snippet: string }>(sql`
    SELECT ticket_search.rowid AS messageId, t.id AS ticketId, t.subject AS subject, t.status AS status,
           t.last_activity_at AS lastActivityAt, u.name AS requesterName,
           snippet(ticket_search, -1, ${hitStart}, ${hitEnd}, '…', 16) AS snippet
    FROM ticket_search
    JOIN ticket_messages m ON m.id = ticket_search.rowid
    JOIN tickets t ON t.id = m.ticket_id
    JOIN users u ON u.id = t.requester_id
    WHERE ticket_search MATCH ${ftsQuery} ${before}
    ORDER BY ticket_search.rowid DESC
    LIMIT ${sql.raw(limitText(limit))}`);
  return rows.map((row) => ({
    messageId: row.messageId, ticketId: row.ticketId, subject: row.subject, status: row.status,
    lastActivityAt: new Date(row.lastActivityAt), requesterName: row.requesterName, snippet: row.snippet,
  }));
}
