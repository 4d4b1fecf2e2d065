// Use cases of files: stage an upload (checked, stored, kept across form errors), hand it to a message, fetch it if allowed, mail it.
import type { Readable } from 'node:stream';
import type { Db, DbOrTx } from '../../db/client.js';
import type { Attachment, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/tokens.js';
import type { Settings } from '../settings/settings-schema.js';
import type { SettingsService } from '../settings/settings-service.js';
import { isStaff } from '../tickets/ticket-access.js';
import type { AttachmentStore } from './attachment-store.js';
import {
  attachmentsByIds, claimStaged, deleteStaged, findAttachmentWithTicket, findStaged, insertAttachment, prepareAttachmentsOfTicket, staleStaged,
} from './attachments-repository.js';
import { acceptAttribute, acceptedKindsText, cleanFilename, formatFileSize, isInlineType, megabyte, safeFilename, sniffFile } from './file-types.js';

/** How long a file uploaded with a form that came back with an error may still be sent with it. */
export const stagedLifetimeMs = 24 * 3600_000;

// Most mail servers refuse messages above 20–25 MB, and base64 adds a third: larger files stay in the portal, linked.
export const mailAttachmentBudgetBytes = 15 * megabyte;

export type UploadLimits = { maxFiles: number; maxBytes: number };
/** A file that arrived with a form: stored, checked, and waiting for the form to go through. */
export type StagedFile = { token: string; id: number; filename: string; size: number; sizeLabel: string };
export type RefusedFile = { filename: string; message: string };
export type IncomingFile = { filename: string; stream: Readable; truncated(): boolean };

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

/** What a form's file field shows: the limits, and the files kept from the last try. */
export function uploadFieldModel(settings: Settings, kept: StagedFile[] = []) {
  return { kept, maxFiles: settings.attachmentMaxFiles, maxMegabytes: settings.attachmentMaxMegabytes, accept: acceptAttribute };
}

/** Who may fetch a file: staff always; the requester only the files of public messages of their own request. */
export function canDownload(user: Pick<User, 'id' | 'role'> | undefined, file: { requesterId: number; visibility: 'public' | 'internal' }): boolean {
  if (!user) return false;
  if (isStaff(user)) return true;
  return file.requesterId === user.id && file.visibility === 'public';
}

/** Inside the use case's transaction: the message takes the staged files its form named. */
export function claimUploads(tx: DbOrTx, tokens: readonly string[], messageId: number, uploaderId: number | null, now: Date): Attachment[] {
  return claimStaged(tx, [...new Set(tokens)].map(sha256), messageId, uploaderId, new Date(now.getTime() - stagedLifetimeMs));
}

/** The files a mail carries, in order, while they fit the budget; the rest are named in the mail and stay in the portal. */
export function chooseForMail<T extends { size: number }>(files: T[], budget = mailAttachmentBudgetBytes): { attached: T[]; linked: T[] } {
  const attached: T[] = [];
  const linked: T[] = [];
  let total = 0;
  for (const file of files) {
    if (total + file.size <= budget) {
      attached.push(file);
      total += file.size;
    } else {
      linked.push(file);
    }
  }
  return { attached, linked };
}

export function createAttachmentsService(deps: { db: Db; clock: Clock; store: AttachmentStore; settings: SettingsService }) {
  const { db, clock, store, settings } = deps;
  const attachmentsOfTicket = prepareAttachmentsOfTicket(db);

  function staged(attachment: Attachment, token: string): StagedFile {
    return { token, id: attachment.id, filename: attachment.filename, size: attachment.size, sizeLabel: formatFileSize(attachment.size) };
  }

  return {
    limits(): UploadLimits {
      const current = settings.current();
      return { maxFiles: current.attachmentMaxFiles, maxBytes: current.attachmentMaxMegabytes * megabyte };
    },

    /** Stores one uploaded file and checks it; a refused file is deleted at once and says why, in German. */
    async stage(file: IncomingFile, uploaderId: number | null, limits: UploadLimits): Promise<{ staged: StagedFile } | { refused: RefusedFile }> {
      const stored = await store.write(file.stream);
      const shownName = cleanFilename(file.filename);
      const refuse = async (message: string) => {
        await store.remove(stored.storageKey);
        return { refused: { filename: shownName, message } };
      };
      if (file.truncated() || stored.size > limits.maxBytes) {
        return refuse(`„${shownName}“ ist größer als ${formatFileSize(limits.maxBytes)} und wurde nicht angenommen.`);
      }
      if (stored.size === 0) return refuse(`„${shownName}“ ist leer (0 Bytes) und wurde nicht angenommen.`);
      const sniffed = await sniffFile(store.pathOf(stored.storageKey));
      if (!sniffed.ok) {
        return refuse(sniffed.reason === 'markup'
          ? `„${shownName}“ enthält HTML-, SVG- oder XML-Inhalt. Solche Dateien nehmen wir aus Sicherheitsgründen nicht an.`
          : `„${shownName}“ hat ein Dateiformat, das wir nicht annehmen. Möglich sind ${acceptedKindsText}.`);
      }
      const token = randomToken(24);
      const attachment = insertAttachment(db, {
        messageId: null,
        filename: safeFilename(file.filename, sniffed.extensions),
        contentType: sniffed.contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.storageKey,
        uploadedById: uploaderId,
        stagingTokenHash: sha256(token),
        createdAt: clock.now(),
      });
      return { staged: staged(attachment, token) };
    },

    /** A refused file that never reached the disk (one too many): drained, so the rest of the form still arrives. */
    async drain(file: IncomingFile): Promise<void> {
      file.stream.resume();
      await new Promise<void>((resolve) => {
        file.stream.once('end', resolve);
        file.stream.once('close', resolve);
        file.stream.once('error', () => resolve());
      });
    },

    /** The staged files a re-sent form still names (the page kept their tokens), if they are still waiting. */
    kept(tokens: readonly string[], uploaderId: number | null): StagedFile[] {
      const byHash = new Map([...new Set(tokens)].map((token) => [sha256(token), token]));
      const since = new Date(clock.now().getTime() - stagedLifetimeMs);
      return findStaged(db, [...byHash.keys()], uploaderId, since).map((attachment) => staged(attachment, byHash.get(attachment.stagingTokenHash!)!));
    },

    /** A request's files with what the thread shows beside each: name, size, whether it can be shown as a picture. */
    listForTicket(ticketId: number, publicOnly: boolean) {
      return attachmentsOfTicket(ticketId, publicOnly).map((file) => ({
        ...file,
        sizeLabel: formatFileSize(file.size),
        isImage: isInlineType(file.contentType),
        href: `/attachments/${file.id}`,
      }));
    },

    /** The file if this person may see its request's message; undefined looks the same as a missing file. */
    findForDownload(user: User | undefined, id: number) {
      const found = findAttachmentWithTicket(db, id);
      if (!found || !canDownload(user, found)) return undefined;
      return { ...found.attachment, inline: isInlineType(found.attachment.contentType), open: () => store.read(found.attachment.storageKey) };
    },

    /** What the outbox worker attaches: names, types and where the bytes are. */
    forMail(ids: number[]) {
      return attachmentsByIds(db, ids).map((file) => ({ filename: file.filename, contentType: file.contentType, path: store.pathOf(file.storageKey) }));
    },

    /** Deletes files that were uploaded with a form that was never sent. */
    async sweepStaged(before: Date, batch = 200): Promise<number> {
      let removed = 0;
      for (;;) {
        const stale = staleStaged(db, before, batch);
        if (stale.length === 0) return removed;
        deleteStaged(db, stale.map((file) => file.id));
        for (const file of stale) await store.remove(file.storageKey);
        removed += stale.length;
        if (stale.length < batch) return removed;
      }
    },
  };
}
