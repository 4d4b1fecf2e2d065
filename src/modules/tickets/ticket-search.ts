// Agents' full-text search over subjects and messages (SQLite FTS5), newest first; any typed text is safe.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { hitEnd, hitStart } from '../../lib/plain-text.js';

/** Turns what someone typed into an FTS5 query of quoted prefix terms: operators and syntax lose their meaning. */
export function toFtsQuery(text: string): string | undefined {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word.slice(0, 64)}"*`).join(' ');
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
    LIMIT ${limit}`);
  return rows.map((row) => ({ ...row, lastActivityAt: new Date(row.lastActivityAt) }));
}
