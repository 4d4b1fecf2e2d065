// Files on disk under DATA_DIR/attachments/<random key>: written while they arrive, hashed on the way, never named by their senders.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../../lib/tokens.js';

export type StoredFile = { storageKey: string; size: number; sha256: string };

export type AttachmentStore = ReturnType<typeof createAttachmentStore>;

const keyPattern = /^[\w-]{32}$/;

export function createAttachmentStore(dir: string) {
  mkdirSync(dir, { recursive: true });

  function pathOf(storageKey: string): string {
    // Keys come from our own database, but a path is only ever built from something that cannot climb out of the folder.
    if (!keyPattern.test(storageKey)) throw new Error(`invalid storage key ${JSON.stringify(storageKey)}`);
    return join(dir, storageKey);
  }

  return {
    dir,
    pathOf,

    /** Streams the file to disk under a new random key, counting and hashing as it goes. */
    async write(source: Readable): Promise<StoredFile> {
      const storageKey = randomToken(24);
      const hash = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      const path = pathOf(storageKey);
      try {
        await pipeline(source, measure, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await unlink(path).catch(() => undefined);
        throw error;
      }
      return { storageKey, size, sha256: hash.digest('hex') };
    },

    /** For files that arrive whole (inbound mail). */
    async writeBuffer(content: Buffer): Promise<StoredFile> {
      const storageKey = randomToken(24);
      await writeFile(pathOf(storageKey), content, { flag: 'wx', mode: 0o600 });
      return { storageKey, size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
    },

    read(storageKey: string): Readable {
      return createReadStream(pathOf(storageKey));
    },

    async remove(storageKey: string): Promise<void> {
      await unlink(pathOf(storageKey)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
  };
}
