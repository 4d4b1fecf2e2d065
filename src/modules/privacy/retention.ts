// Retention jobs run by the automations: texts of sent mail and stored raw inbound mails are deleted after the set days.
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/client.js';
import type { SettingsService } from '../settings/settings-service.js';
import { blankMailBodies, markRawMailsDeleted, rawMailsReceivedBefore, sentMailsWithTextBefore } from './privacy-repository.js';

const day = 24 * 3600_000;
const batchSize = 200;

export type Retention = ReturnType<typeof createRetention>;

export function createRetention(deps: { db: Db; settings: SettingsService; inboundDir: string }) {
  const { db, settings, inboundDir } = deps;

  return {
    /** Blanks text and HTML of mails sent more than retentionOutboxDays ago; the row (recipient, subject, time) stays. */
    sentMailBodies(asOf: Date): number {
      const sentBefore = new Date(asOf.getTime() - settings.current().retentionOutboxDays * day);
      let blanked = 0;
      for (;;) {
        const ids = sentMailsWithTextBefore(db, sentBefore, batchSize);
        blanked += db.transaction((tx) => blankMailBodies(tx, ids), { behavior: 'immediate' });
        if (ids.length < batchSize) return blanked;
      }
    },

    /**
     * Deletes raw mails received more than retentionInboundDays ago and marks their rows; mails still waiting for
     * processing or an agent's decision keep their file. The file goes first: a crash in between leaves a row whose
     * file is missing, which every reader already handles, never a file that nothing deletes.
     */
    async rawInboundMails(asOf: Date): Promise<number> {
      const receivedBefore = new Date(asOf.getTime() - settings.current().retentionInboundDays * day);
      let deleted = 0;
      for (;;) {
        const rows = rawMailsReceivedBefore(db, receivedBefore, batchSize);
        for (const row of rows) {
          await unlink(join(inboundDir, row.storageKey)).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          });
        }
        markRawMailsDeleted(db, rows.map((row) => row.id), asOf);
        deleted += rows.length;
        if (rows.length < batchSize) return deleted;
      }
    },
  };
}
