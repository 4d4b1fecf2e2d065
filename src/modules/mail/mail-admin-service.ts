// Use cases of the mail admin page: see what has not gone out, send a failed mail again.
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { listUndeliveredMails, requeueFailedMail } from './outbox-repository.js';

export type MailAdminService = ReturnType<typeof createMailAdminService>;

export function createMailAdminService({ db, clock, wakeWorker }: { db: Db; clock: Clock; wakeWorker: () => void }) {
  return {
    undelivered: () => listUndeliveredMails(db, 200),
    retry(id: number): boolean {
      const requeued = requeueFailedMail(db, id, clock.now());
      if (requeued) wakeWorker();
      return requeued;
    },
  };
}
