// GDPR use cases: export everything stored about a person, erase a person (one transaction, files after the commit).
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { Db } from '../../db/client.js';
import type { User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { insertAuditEntry } from '../audit/audit-repository.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { findUserByEmail } from '../users/users-repository.js';
import {
  attachmentsOfPerson, eraseRowsOfPerson, eventsOfTickets, inboundMailsOfPerson, kbCommentsOfAuthor, kbVotesOfPerson,
  messagesOfPerson, outboxMailsToPerson, ratingsOfTickets, sessionsOfUser, ticketIdsOfRequester, ticketsByIds,
} from './privacy-repository.js';

export type PrivacyService = ReturnType<typeof createPrivacyService>;

/** Who asked: an admin in the agent area, or an operator on the command line (no account). */
export type PrivacyActor = { admin: User } | { via: 'cli' };

/** A file of the export: its name inside the export folder and where it lies in DATA_DIR. */
export type ExportFile = { name: string; source: string };

export type PersonExport = { userId: number; json: Record<string, unknown>; files: ExportFile[] };

export type EraseOutcome =
  | { outcome: 'erased'; userId: number; counts: { requests: number; messages: number; files: number; comments: number; mails: number } }
  | { outcome: 'not-found' | 'team-account' };

/** Stored names are already free of control characters (attachments module); here they also lose slashes and leading dots. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[/\\]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned || 'datei';
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function createPrivacyService(deps: { db: Db; clock: Clock; attachmentStore: AttachmentStore; inboundDir: string }) {
  const { db, clock, attachmentStore, inboundDir } = deps;

  function auditFields(actor: PrivacyActor) {
    return 'admin' in actor ? { actorId: actor.admin.id, via: 'agent' } : { actorId: null, via: 'cli' };
  }

  /** Everything about the account, read in one transaction, so the export is one consistent moment. */
  function collect(person: User): PersonExport {
    const ticketIds = ticketIdsOfRequester(db, person.id);
    const messages = messagesOfPerson(db, person.id, ticketIds);
    const files = attachmentsOfPerson(db, person.id, messages.map((message) => message.id));
    const ratings = new Map(ratingsOfTickets(db, ticketIds).map((rating) => [rating.ticketId, rating]));
    const events = eventsOfTickets(db, ticketIds);
    const inbound = inboundMailsOfPerson(db, person.email, ticketIds);
    const exportFiles: ExportFile[] = [];
    const fileEntries = files.map((file) => {
      const name = `anhaenge/${file.id}-${safeFileName(file.filename)}`;
      exportFiles.push({ name, source: attachmentStore.pathOf(file.storageKey) });
      return { id: file.id, nachricht: file.messageId, dateiname: file.filename, typ: file.contentType, groesse: file.size, sha256: file.sha256, hochgeladen: iso(file.createdAt), datei: name };
    });
    const filesOfMessage = (messageId: number) => fileEntries.filter((file) => file.nachricht === messageId).map((file) => file.datei);
    const messageEntry = (message: (typeof messages)[number]) => ({
      id: message.id, anfrage: message.ticketId, vonIhnen: message.authorId === person.id,
      sichtbarkeit: message.visibility === 'public' ? 'öffentlich' : 'intern', kanal: message.channel, erstellt: iso(message.createdAt),
      text: message.body, ganzerText: message.bodyFull, anhaenge: filesOfMessage(message.id),
    });
    const requests = ticketsByIds(db, ticketIds).map((ticket) => {
      const rating = ratings.get(ticket.id);
      return {
        id: ticket.id, betreff: ticket.subject, status: ticket.status, kanal: ticket.channel, prioritaet: ticket.priority,
        erstellt: iso(ticket.createdAt), letzteAktivitaet: iso(ticket.lastActivityAt), geloest: iso(ticket.solvedAt), folgeanfrageZu: ticket.followUpOfId,
        nachrichten: messages.filter((message) => message.ticketId === ticket.id).map(messageEntry),
        ereignisse: events.filter((event) => event.ticketId === ticket.id)
          .map((event) => ({ art: event.kind, von: event.fromValue, zu: event.toValue, zeitpunkt: iso(event.at) })),
        bewertung: rating ? { bewertung: rating.rating, kommentar: rating.comment, bewertet: iso(rating.ratedAt), geaendert: iso(rating.changedAt) } : null,
      };
    });
    const rawMails = inbound.map((mail) => {
      const name = `emails/${mail.id}.eml`;
      const source = join(inboundDir, mail.storageKey);
      const stored = mail.rawDeletedAt === null && existsSync(source);
      if (stored) exportFiles.push({ name, source });
      return { id: mail.id, von: mail.fromAddress, betreff: mail.subject, eingegangen: iso(mail.receivedAt), anfrage: mail.ticketId, datei: stored ? name : null };
    });
    const json = {
      format: 'Hilfeportal-Datenauskunft 1',
      erstellt: iso(clock.now()),
      konto: {
        id: person.id, name: person.name, email: person.email, rolle: person.role, kennwortGesetzt: person.passwordHash !== null,
        erstellt: iso(person.createdAt), letzteAnmeldung: iso(person.lastLoginAt), deaktiviert: iso(person.disabledAt),
      },
      anfragen: requests,
      nachrichtenInAnderenAnfragen: messages.filter((message) => !ticketIds.includes(message.ticketId)).map(messageEntry),
      nichtGesendeteAnhaenge: fileEntries.filter((file) => file.nachricht === null),
      kommentare: kbCommentsOfAuthor(db, person.id)
        .map((comment) => ({ id: comment.id, artikel: comment.articleTitle, artikelId: comment.articleId, text: comment.body, erstellt: iso(comment.createdAt), ausgeblendet: iso(comment.hiddenAt) })),
      artikelBewertungen: kbVotesOfPerson(db, person.id)
        .map((vote) => ({ artikel: vote.articleTitle, artikelId: vote.articleId, hilfreich: vote.helpful, zeitpunkt: iso(vote.updatedAt) })),
      emailsAnSie: outboxMailsToPerson(db, person.email).map((mail) => ({
        id: mail.id, art: mail.kind, betreff: mail.subject, status: mail.status, erstellt: iso(mail.createdAt), gesendet: iso(mail.sentAt),
        text: mail.textBody || null, anfrage: mail.ticketId,
      })),
      emailsVonIhnen: rawMails,
      sitzungen: sessionsOfUser(db, person.id).map((session) => ({ angemeldet: iso(session.createdAt), gueltigBis: iso(session.absoluteExpiresAt) })),
    };
    return { userId: person.id, json, files: exportFiles };
  }

  async function removeFiles(attachmentKeys: string[], rawMailKeys: string[]): Promise<void> {
    for (const key of attachmentKeys) await attachmentStore.remove(key);
    for (const key of rawMailKeys) {
      await unlink(join(inboundDir, key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }

  return {
    /** The account behind an address, for the confirmation page: name, role and how many requests; undefined if none. */
    preview(email: string) {
      const person = findUserByEmail(db, email);
      if (!person) return undefined;
      return { id: person.id, name: person.name, email: person.email, role: person.role, requests: ticketIdsOfRequester(db, person.id).length };
    },

    /** Everything stored about the person as JSON plus the files it names; the export itself goes to the audit log. */
    exportPerson(actor: PrivacyActor, email: string): PersonExport | undefined {
      return db.transaction((tx) => {
        const person = findUserByEmail(tx, email);
        if (!person) return undefined;
        const exported = collect(person);
        const { actorId, via } = auditFields(actor);
        insertAuditEntry(tx, { actorId, action: 'person_exported', targetUserId: person.id, details: { via, files: exported.files.length }, at: clock.now() });
        return exported;
      }, { behavior: 'immediate' });
    },

    /**
     * Erases the person: the account can no longer log in, name and address become placeholders, their messages,
     * comments, votes, files, mails, raw mails, sessions and links are gone; their requests stay as anonymous shells
     * (status, times, events, rating without comment) for the statistics. Team accounts are refused: their answers belong
     * to customers' conversations (deactivate them under Team instead).
     */
    async erasePerson(actor: PrivacyActor, email: string): Promise<EraseOutcome> {
      const result = db.transaction((tx) => {
        const person = findUserByEmail(tx, email);
        if (!person) return { outcome: 'not-found' as const };
        if (person.role !== 'customer') return { outcome: 'team-account' as const };
        const now = clock.now();
        const erased = eraseRowsOfPerson(tx, person, now);
        const { actorId, via } = auditFields(actor);
        // The log names the account by id (its name is now the placeholder) and counts, never what was erased.
        insertAuditEntry(tx, { actorId, action: 'person_erased', targetUserId: person.id, details: { via, ...erased.counts }, at: now });
        return { outcome: 'erased' as const, userId: person.id, erased };
      }, { behavior: 'immediate' });
      if (result.outcome !== 'erased') return result;
      // After the commit: a rollback must never leave rows pointing at deleted files.
      await removeFiles(result.erased.attachmentKeys, result.erased.rawMailKeys);
      return { outcome: 'erased', userId: result.userId, counts: result.erased.counts };
    },
  };
}

/** Writes the export into a new folder: person.json and the files it names. */
export async function writeExportFolder(exported: PersonExport, folder: string): Promise<{ folder: string; files: number }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  let written = 0;
  for (const file of exported.files) {
    const target = join(folder, file.name);
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    if (existsSync(file.source)) {
      await copyFile(file.source, target);
      written++;
    }
  }
  await writeFile(join(folder, 'person.json'), `${JSON.stringify(exported.json, null, 2)}\n`, { mode: 0o600 });
  return { folder, files: written };
}

/**
 * The export as one JSON document with the files embedded (base64), for the admin's download button. Streamed file by
 * file, so a person with gigabytes of attachments costs the server no more memory than one without.
 */
export function exportAsDownload(exported: PersonExport): Readable {
  return Readable.from(exportDocumentChunks(exported));
}

async function* exportDocumentChunks(exported: PersonExport): AsyncGenerator<string> {
  const document = JSON.stringify({ ...exported.json, dateien: [] }, null, 2);
  // "dateien" is the last key: the document up to its empty list, then the files, then the end.
  yield document.slice(0, document.lastIndexOf('[]') + 1);
  let count = 0;
  for (const file of exported.files) {
    if (!existsSync(file.source)) continue;
    yield `${count++ === 0 ? '' : ','}\n    {\n      "name": ${JSON.stringify(file.name)},\n      "base64": "`;
    yield* base64Chunks(file.source);
    yield '"\n    }';
  }
  yield `${count === 0 ? '' : '\n  '}]\n}`;
}

/** A file as base64, chunk by chunk: each chunk encodes a multiple of three bytes, so the pieces join into one valid string. */
async function* base64Chunks(path: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const whole = bytes.length - (bytes.length % 3);
    yield bytes.subarray(0, whole).toString('base64');
    carry = bytes.subarray(whole);
  }
  if (carry.length > 0) yield carry.toString('base64');
}
