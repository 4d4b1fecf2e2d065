// Use cases of canned replies: agents keep reusable answers and insert them into a reply.
import type { Db } from '../../db/client.js';
import type { CannedReply, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { deleteCannedReply, findCannedReply, insertCannedReply, listCannedReplies, updateCannedReply } from './canned-repository.js';

export type CannedRepliesService = ReturnType<typeof createCannedRepliesService>;

export function createCannedRepliesService({ db, clock }: { db: Db; clock: Clock }) {
  return {
    list: (): CannedReply[] => listCannedReplies(db),
    find: (id: number): CannedReply | undefined => findCannedReply(db, id),
    create(author: User, input: { title: string; body: string }): CannedReply {
      const now = clock.now();
      return insertCannedReply(db, { ...input, createdById: author.id, createdAt: now, updatedAt: now });
    },
    update(id: number, input: { title: string; body: string }): void {
      updateCannedReply(db, id, { ...input, updatedAt: clock.now() });
    },
    remove(id: number): void {
      deleteCannedReply(db, id);
    },
  };
}
