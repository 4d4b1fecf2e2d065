// Reads the admin audit log for its page; the writes happen inside each admin use case's own transaction (insertAuditEntry).
import type { Db } from '../../db/client.js';
import { type AuditListRow, listAuditEntries } from './audit-repository.js';

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService({ db }: { db: Db }) {
  return {
    /** One page, newest first, before the entry with this id; `hasMore` says whether an older page exists. */
    page(beforeId: number | undefined, size: number): { rows: AuditListRow[]; hasMore: boolean } {
      const rows = listAuditEntries(db, { beforeId, limit: size + 1 });
      return { rows: rows.slice(0, size), hasMore: rows.length > size };
    },
  };
}
