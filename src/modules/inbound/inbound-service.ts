// Inbound mail: store every mail first, then turn it into a request, an answer, a note or nothing, exactly once.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Db, DbOrTx } from '../../db/client.js';
import type { InboundMail, InboundSource, Ticket, User } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken } from '../../lib/tokens.js';
import { type AttachmentsService, claimUploads } from '../attachments/attachments-service.js';
import type { MessageIds } from '../mail/message-ids.js';
import type { SettingsService } from '../settings/settings-service.js';
import { subjectMaxLength, descriptionMaxLength } from '../tickets/tickets-forms.js';
import type { TicketsService } from '../tickets/tickets-service.js';
import { findTicket, insertMessage, updateTicket } from '../tickets/tickets-repository.js';
import { findUserByEmail } from '../users/users-repository.js';
import { classify, type Classification, dmarcFailed } from './classify.js';
import {
  claimInboundMail, countMailsFromSender, findInboundMail, findStoredDuplicate, findTicketWithRequester, finishInboundMail,
  insertInboundMail, isOurSentMessageId, linkMessageToMail, listMailsNeedingAttention, listRecentMails, markSentMailUndeliverable,
  messageOfInboundMail, newestMessageId, recordInboundFailure, setQuarantineDecision, setTicketChannel, ticketOfReceivedMail,
  ticketOfSentMail, unprocessedMailIds,
} from './inbound-repository.js';
import {
  type HeaderLine, headerValues, messageIdList, messageIdOf, parseHeaderLines, rawAsBinaryString, splitHeaderAndBody,
} from './raw-mail.js';
import { extractReply, htmlToPlainText, type ReplyText } from './reply-text.js';

export type StoreResult =
  | { status: 'stored'; mailId: number }
  | { status: 'duplicate'; mailId: number }
  | { status: 'too_large'; limitBytes: number };

export type ProcessResult = { outcome: string; ticketId: number | null };

export type IngestResult = StoreResult & { processed?: ProcessResult };

/** What a mail says, read once from the stored raw message. */
export type MailFacts = {
  headers: HeaderLine[];
  messageId: string | undefined;
  /** In-Reply-To first, then References newest first: the order in which a thread names its ancestors. */
  threadIds: string[];
  from: { address: string; name: string } | undefined;
  /** To, Cc and the delivery headers our servers add: where a plus-address shows up. */
  recipients: string[];
  subject: string;
  text: ReplyText;
  attachments: Array<{ filename: string; contentType: string; content: Buffer; size: number }>;
  classification: Classification;
  suspicious: boolean;
};

type Plan =
  | { kind: 'loop' }
  | { kind: 'bounce' }
  | { kind: 'auto_reply'; ticket: Ticket | undefined }
  | { kind: 'quarantine' }
  | { kind: 'no_sender' }
  | { kind: 'reply'; ticket: Ticket; requester: User }
  | { kind: 'follow_up'; original: Ticket }
  | { kind: 'linked_request'; related: Ticket }
  | { kind: 'new_request' };

export type InboundService = ReturnType<typeof createInboundService>;

const leaseMs = 5 * 60_000;
const maxAttempts = 5;
const quarantineWindowMs = 3600_000;
// Logos in signatures arrive as tiny inline images with every mail; they are not what the customer sent us.
const smallInlineImageBytes = 8 * 1024;

export function createInboundService(deps: {
  db: Db; clock: Clock; settings: SettingsService; messageIds: MessageIds; tickets: TicketsService;
  attachments: AttachmentsService; dataDir: string; ownAddresses: string[]; logger: FastifyBaseLogger;
}) {
  const { db, clock, settings, messageIds, tickets, attachments, logger } = deps;
  const inboundDir = join(deps.dataDir, 'inbound');
  // MAIL_FROM may carry a display name: "Servicecenter <support@shop.example>".
  const ownAddresses = new Set(deps.ownAddresses.map((address) => (/<([^<>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase()));
  const inFlight = new Set<Promise<unknown>>();

  function maxBytes(): number {
    return settings.current().inboundMaxMegabytes * 1024 * 1024;
  }

  /** Written to a temporary name, flushed, then renamed: a crash leaves the whole file or none. */
  function writeRawFile(storageKey: string, raw: Buffer): void {
    const path = join(inboundDir, storageKey);
    if (existsSync(path)) return;
    const dir = join(path, '..');
    mkdirSync(dir, { recursive: true });
    const temporary = join(dir, `.${randomToken(9)}.tmp`);
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, raw);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  function isOwnAddress(address: string): boolean {
    const lower = address.toLowerCase();
    if (ownAddresses.has(lower)) return true;
    const [local, host] = lower.split('@');
    const base = local?.split('+')[0];
    return base !== undefined && host !== undefined && ownAddresses.has(`${base}@${host}`);
  }

  async function readFacts(raw: Buffer): Promise<MailFacts> {
    const { header, body } = splitHeaderAndBody(rawAsBinaryString(raw));
    const headers = parseHeaderLines(header);
    const parsed: ParsedMail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    const fromValue = parsed.from?.value[0];
    const from = fromValue?.address ? { address: fromValue.address.toLowerCase(), name: fromValue.name?.trim() || fromValue.address.split('@')[0]! } : undefined;
    const addressesOf = (field: ParsedMail['to']) => [field ?? []].flat().flatMap((group) => group.value.map((entry) => entry.address ?? ''));
    const recipients = [
      ...addressesOf(parsed.to), ...addressesOf(parsed.cc),
      ...['Delivered-To', 'X-Original-To', 'Envelope-To'].flatMap((name) => headerValues(headers, name)),
    // Case kept: the HMAC in a plus-address is case-sensitive.
    ].map((address) => address.replace(/^<|>$/g, '').trim()).filter(Boolean);
    // An HTML-only mail has no (or an empty) text part: its HTML is sanitized and converted instead.
    const plain = parsed.text?.trim() ? parsed.text : typeof parsed.html === 'string' ? htmlToPlainText(parsed.html) : '';
    const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
    const inReplyTo = messageIdList(headerValues(headers, 'In-Reply-To').join(' '));
    const references = messageIdList(headerValues(headers, 'References').join(' ')).reverse();
    return {
      headers,
      messageId: messageIdOf(headers),
      threadIds: [...new Set([...inReplyTo, ...references])],
      from,
      recipients,
      subject,
      text: extractReply(plain),
      attachments: parsed.attachments
        .filter((file) => !(file.related && file.contentType.startsWith('image/') && file.size < smallInlineImageBytes))
        .filter((file) => !/^(message\/(delivery-status|disposition-notification)|text\/rfc822-headers)$/i.test(file.contentType))
        .map((file) => ({ filename: file.filename ?? 'anhang', contentType: file.contentType, content: file.content, size: file.size })),
      classification: classify(headers, body, from?.address, subject),
      suspicious: dmarcFailed(headers, settings.current().trustedAuthservId),
    };
  }

  /** The request a mail belongs to, in the order the issue fixes: thread headers, signed addresses and tokens, then the subject tag. */
  function matchTicket(tx: DbOrTx, facts: MailFacts): Ticket | undefined {
    for (const id of facts.threadIds) {
      const ticketId = messageIds.ticketOf(id) ?? ticketOfSentMail(tx, id) ?? ticketOfReceivedMail(tx, id);
      const ticket = ticketId === undefined ? undefined : findTicket(tx, ticketId);
      if (ticket) return ticket;
    }
    for (const address of facts.recipients) {
      const ticketId = messageIds.ticketOfPlusAddress(address);
      const ticket = ticketId === undefined ? undefined : findTicket(tx, ticketId);
      if (ticket) return ticket;
    }
    const tokenTicketId = messageIds.ticketOfBodyToken(facts.text.full);
    const tokenTicket = tokenTicketId === undefined ? undefined : findTicket(tx, tokenTicketId);
    if (tokenTicket) return tokenTicket;
    // Anyone can type "[#123]": the tag only counts for the request's own requester.
    const tag = /\[#(\d{1,12})\]/.exec(facts.subject);
    const tagged = tag ? findTicketWithRequester(tx, Number(tag[1])) : undefined;
    if (tagged && facts.from && tagged.requesterEmail === facts.from.address) return tagged.ticket;
    return undefined;
  }

  function isLoop(tx: DbOrTx, facts: MailFacts): boolean {
    if (facts.from && isOwnAddress(facts.from.address)) return true;
    if (!facts.messageId) return false;
    return messageIds.ticketOf(facts.messageId) !== undefined || isOurSentMessageId(tx, facts.messageId);
  }

  function plan(tx: DbOrTx, row: InboundMail, facts: MailFacts): Plan {
    if (isLoop(tx, facts)) return { kind: 'loop' };
    if (facts.classification.kind === 'bounce') return { kind: 'bounce' };
    if (facts.classification.kind === 'auto_reply') return { kind: 'auto_reply', ticket: matchTicket(tx, facts) };
    // Nobody to answer or to attribute it to: an agent looks at it.
    if (!facts.from) return { kind: 'no_sender' };
    const threshold = settings.current().inboundQuarantineThreshold;
    if (row.outcome !== 'released' && row.fromAddress
      && countMailsFromSender(tx, row.fromAddress, new Date(row.receivedAt.getTime() - quarantineWindowMs), row.id) >= threshold) {
      return { kind: 'quarantine' };
    }
    const ticket = matchTicket(tx, facts);
    if (!ticket) return { kind: 'new_request' };
    const requester = findTicketWithRequester(tx, ticket.id);
    // An erased person's request is an empty shell: nothing may add to it or link back to it (GDPR erasure).
    if (requester?.requesterErasedAt) return { kind: 'new_request' };
    const sender = facts.from ? findUserByEmail(tx, facts.from.address) : undefined;
    if (!sender || !requester || requester.ticket.requesterId !== sender.id) return { kind: 'linked_request', related: ticket };
    return ticket.status === 'closed' ? { kind: 'follow_up', original: ticket } : { kind: 'reply', ticket, requester: sender };
  }

  function describedBody(facts: MailFacts): string {
    let body = facts.text.reply;
    if (!body) body = facts.attachments.length > 0 ? '(Nur Anhänge, kein Text)' : facts.text.full || '(Leere E-Mail)';
    if (body.length <= descriptionMaxLength) return body;
    return `${body.slice(0, descriptionMaxLength - 80)}\n\n[… gekürzt; der ganze Text steht unter „Zitierten Text anzeigen“]`;
  }

  function newRequestSubject(facts: MailFacts): string {
    // Reply prefixes and another request's tag would only mislead in a request of its own.
    const cleaned = facts.subject.replace(/\[#\d{1,12}\]/g, ' ').replace(/^(?:\s*(?:re|aw|wg|fwd?|antw)\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim();
    const subject = cleaned || '(ohne Betreff)';
    return subject.length > subjectMaxLength ? `${subject.slice(0, subjectMaxLength - 1)}…` : subject;
  }

  function systemNote(tx: DbOrTx, ticketId: number, body: string, mailId: number, at: Date): void {
    const note = insertMessage(tx, { ticketId, authorId: null, visibility: 'internal', body, channel: 'email', createdAt: at });
    linkMessageToMail(tx, note.id, { inboundMailId: mailId, mailMessageId: null, bodyFull: null, suspicious: false });
  }

  /** Stages the mail's files with the attachment store's own checks; what it refuses is named in a note for agents. */
  async function stageFiles(facts: MailFacts): Promise<{ tokens: string[]; refused: string[] }> {
    if (facts.attachments.length === 0) return { tokens: [], refused: [] };
    const limits = attachments.limits();
    const tokens: string[] = [];
    const refused: string[] = [];
    for (const file of facts.attachments) {
      if (tokens.length >= limits.maxFiles) {
        refused.push(`„${file.filename}“: mehr als ${limits.maxFiles} Anhänge in einer Nachricht.`);
        continue;
      }
      const result = await attachments.stage({ filename: file.filename, stream: Readable.from([file.content]), truncated: () => false }, null, limits);
      if ('staged' in result) tokens.push(result.staged.token);
      else refused.push(result.refused.message);
    }
    return { tokens, refused };
  }

  /** Applies the plan in one transaction with the end of the mail's lease: all of it happens once, or none of it. */
  function apply(row: InboundMail, leaseUntil: Date, facts: MailFacts, files: { tokens: string[]; refused: string[] }): ProcessResult {
    return db.transaction((tx) => {
      const now = clock.now();
      const decided = plan(tx, row, facts);
      let outcome: string = decided.kind;
      let ticketId: number | null = null;
      let status: 'processed' | 'quarantined' = 'processed';
      // A reused Message-ID (see isSameMail) stays on the message it came with first.
      const mailMessageId = facts.messageId && ticketOfReceivedMail(tx, facts.messageId) === undefined ? facts.messageId : null;
      const mailLink = { inboundMailId: row.id, mailMessageId, bodyFull: facts.text.full.slice(0, 500_000), suspicious: facts.suspicious };
      const sender = facts.from ?? { address: 'unbekannt', name: 'Unbekannt' };

      const openRequest = (extra: { followUpOfId?: number }) => {
        const ticket = tickets.createRequest({
          name: sender.name.slice(0, 100), email: sender.address, description: describedBody(facts), attachmentTokens: files.tokens,
          subject: extra.followUpOfId === undefined ? newRequestSubject(facts) : followUpSubject(findTicket(tx, extra.followUpOfId)!),
          followUpOfId: extra.followUpOfId,
        });
        setTicketChannel(tx, ticket.id, 'email');
        const messageId = newestMessageId(tx, ticket.id);
        if (messageId !== undefined) linkMessageToMail(tx, messageId, mailLink);
        return ticket;
      };

      switch (decided.kind) {
        case 'loop':
          break;
        case 'bounce': {
          if (facts.classification.kind !== 'bounce') break;
          const { bounce } = facts.classification;
          if (!bounce.hard) {
            outcome = 'bounce_temporary';
            break;
          }
          const original = bounce.originalMessageId;
          const reason = ['Unzustellbar (Rückläufer)', bounce.recipient, bounce.status, bounce.diagnostic].filter(Boolean).join(': ');
          const marked = original ? markSentMailUndeliverable(tx, original, reason) : undefined;
          outcome = marked ? 'bounce' : 'bounce_unmatched';
          ticketId = marked?.ticketId ?? null;
          break;
        }
        case 'auto_reply': {
          if (!decided.ticket) {
            outcome = 'auto_reply_ignored';
            break;
          }
          const reason = facts.classification.kind === 'auto_reply' ? facts.classification.reason : '';
          const excerpt = facts.text.reply.slice(0, 1000);
          systemNote(tx, decided.ticket.id,
            `Automatische Antwort von ${sender.address} (${reason}): „${facts.subject}“${excerpt ? `\n\n${excerpt}` : ''}`, row.id, now);
          outcome = 'auto_reply_note';
          ticketId = decided.ticket.id;
          break;
        }
        case 'quarantine':
        case 'no_sender':
          status = 'quarantined';
          break;
        case 'reply': {
          const { ticket, requester } = decided;
          const body = describedBody(facts);
          if (facts.suspicious) {
            // Kept, but it changes no status: the sender may not be who the From line says.
            const message = insertMessage(tx, { ticketId: ticket.id, authorId: requester.id, visibility: 'public', body, channel: 'email', createdAt: now });
            linkMessageToMail(tx, message.id, mailLink);
            claimUploads(tx, files.tokens, message.id, null, now);
            updateTicket(tx, ticket.id, { lastActivityAt: now, lastPublicBy: 'customer' });
          } else {
            tickets.customerReplies(requester, ticket.id, { body, markSolved: false });
            const messageId = newestMessageId(tx, ticket.id)!;
            linkMessageToMail(tx, messageId, mailLink);
            claimUploads(tx, files.tokens, messageId, null, now);
          }
          ticketId = ticket.id;
          break;
        }
        case 'follow_up': {
          ticketId = openRequest({ followUpOfId: decided.original.id }).id;
          break;
        }
        case 'linked_request': {
          const created = openRequest({});
          ticketId = created.id;
          systemNote(tx, created.id,
            `Diese E-Mail antwortet auf Anfrage #${decided.related.id}, kam aber nicht von deren Anfragesteller. Sie wurde deshalb als eigene Anfrage angelegt; die Antworten auf #${decided.related.id} gehen weiter nur an deren Anfragesteller.`,
            row.id, now);
          systemNote(tx, decided.related.id,
            `Eine E-Mail von ${sender.address} zu dieser Anfrage wurde als eigene Anfrage #${created.id} angelegt, da sie nicht vom Anfragesteller kam.`,
            row.id, now);
          break;
        }
        case 'new_request':
          ticketId = openRequest({}).id;
          break;
      }
      if (files.refused.length > 0 && ticketId !== null && ['reply', 'follow_up', 'linked_request', 'new_request'].includes(decided.kind)) {
        systemNote(tx, ticketId, `Nicht übernommene Anhänge dieser E-Mail (das Original liegt im E-Mail-Eingang):\n${files.refused.map((line) => `– ${line}`).join('\n')}`, row.id, now);
      }
      if (!finishInboundMail(tx, row.id, leaseUntil, { status, outcome, ticketId, suspicious: facts.suspicious, subject: facts.subject.slice(0, 300), at: now })) {
        // Someone else finished this mail meanwhile (our lease ran out): roll everything back.
        throw new LeaseLostError(row.id);
      }
      return { outcome, ticketId };
    }, { behavior: 'immediate' });
  }

  /**
   * The same mail again: the same bytes, or the same Message-ID with the same sender and date (another path added other
   * transport headers). A reused Message-ID on a different mail is not a duplicate.
   */
  function isSameMail(stored: InboundMail, sha256: string, headers: HeaderLine[]): boolean {
    if (stored.sha256 === sha256) return true;
    const path = join(inboundDir, stored.storageKey);
    if (!existsSync(path)) return true;
    const storedHeaders = parseHeaderLines(splitHeaderAndBody(rawAsBinaryString(readFileSync(path).subarray(0, 256 * 1024))).header);
    return ['From', 'Date', 'Subject'].every((name) => headerValues(storedHeaders, name).join('\n') === headerValues(headers, name).join('\n'));
  }

  function followUpSubject(original: Ticket): string {
    return `Folgeanfrage zu #${original.id}: ${original.subject}`.slice(0, subjectMaxLength);
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  const service = {
    maxBytes,
    /** Our support address, the sender address and their plus-variants: the only recipients the SMTP listener takes. */
    isOwnAddress,

    /** Stores the raw mail under DATA_DIR/inbound and records it; the same mail twice (by hash or Message-ID) is stored once. */
    store(raw: Buffer, source: InboundSource): StoreResult {
      const limit = maxBytes();
      if (raw.length > limit) return { status: 'too_large', limitBytes: limit };
      const sha256 = createHash('sha256').update(raw).digest('hex');
      const headers = parseHeaderLines(splitHeaderAndBody(rawAsBinaryString(raw.subarray(0, 256 * 1024))).header);
      const messageId = messageIdOf(headers) ?? null;
      const before = findStoredDuplicate(db, sha256, messageId);
      if (before && isSameMail(before, sha256, headers)) return { status: 'duplicate', mailId: before.id };
      // Another mail under a Message-ID we have (broken clients reuse them): kept, without the id, so nothing is lost.
      const storedId = before ? null : messageId;
      const now = clock.now();
      const storageKey = `${now.toISOString().slice(0, 7)}/${sha256}.eml`;
      writeRawFile(storageKey, raw);
      const fromHeader = headerValues(headers, 'From')[0] ?? '';
      const fromAddress = (/<([^<>\s]{1,200}@[^<>\s]{1,200})>/.exec(fromHeader)?.[1] ?? /([^\s<>"]{1,200}@[^\s<>"]{1,200})/.exec(fromHeader)?.[1])?.toLowerCase() ?? null;
      return db.transaction((tx) => {
        const raced = findStoredDuplicate(tx, sha256, storedId);
        if (raced) return { status: 'duplicate' as const, mailId: raced.id };
        const row = insertInboundMail(tx, { source, messageId: storedId, sha256, storageKey, size: raw.length, fromAddress, subject: null, receivedAt: now });
        return { status: 'stored' as const, mailId: row.id };
      }, { behavior: 'immediate' });
    },

    /** Processes one stored mail if nobody holds it; an error leaves it for a later try (a few at most, then agents see it). */
    async process(mailId: number): Promise<ProcessResult> {
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const row = claimInboundMail(db, mailId, now, leaseUntil);
      if (!row) return { outcome: 'not_claimed', ticketId: null };
      try {
        const facts = await readFacts(readFileSync(join(inboundDir, row.storageKey)));
        // Files are staged before the transaction (the store writes them to disk) and only for a mail that adds a message.
        const addsMessage = ['reply', 'follow_up', 'linked_request', 'new_request'].includes(plan(db, row, facts).kind);
        const files = addsMessage ? await stageFiles(facts) : { tokens: [], refused: [] };
        const result = apply(row, leaseUntil, facts, files);
        logger.info({ inboundMailId: mailId, outcome: result.outcome, ticketId: result.ticketId }, 'inbound mail processed');
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        recordInboundFailure(db, mailId, message, row.attempts >= maxAttempts);
        logger.error({ err: error, inboundMailId: mailId, attempt: row.attempts }, 'inbound mail could not be processed');
        return { outcome: 'error', ticketId: null };
      }
    },

    /**
     * One entry for every source: store and commit, then let the source forget the mail (flag it, answer 250, exit 0),
     * then process. A crash after the commit leaves a stored mail that the sweep processes; processing twice is impossible.
     */
    async ingest(raw: Buffer, source: InboundSource, acknowledge?: () => Promise<void> | void): Promise<IngestResult> {
      const stored = service.store(raw, source);
      if (acknowledge && stored.status !== 'too_large') await acknowledge();
      if (stored.status !== 'stored') return stored;
      return { ...stored, processed: await track(service.process(stored.mailId)) };
    },

    /** Stores now and processes in the background: the SMTP listener answers 250 before the work is done. */
    storeAndProcessLater(raw: Buffer, source: InboundSource): StoreResult {
      const stored = service.store(raw, source);
      if (stored.status === 'stored') void track(service.process(stored.mailId));
      return stored;
    },

    /** Processes what a crash or an error left behind; run at start and every minute by the server. */
    async sweep(limit = 50): Promise<number> {
      let done = 0;
      for (const id of unprocessedMailIds(db, clock.now(), limit)) {
        const result = await track(service.process(id));
        if (result.outcome !== 'not_claimed') done++;
      }
      return done;
    },

    /** Resolves when no mail is being processed: for shutdown and for tests that wait on the listener. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    needingAttention() {
      return listMailsNeedingAttention(db, 200);
    },

    recent() {
      return listRecentMails(db, 50);
    },

    /** One stored mail with everything the agents' page shows: headers, the typed and the whole text, files, what became of it. */
    async inspect(mailId: number) {
      const row = findInboundMail(db, mailId);
      if (!row) return undefined;
      const path = join(inboundDir, row.storageKey);
      const facts = existsSync(path) ? await readFacts(readFileSync(path)) : undefined;
      return { row, facts, message: row.ticketId === null ? undefined : messageOfInboundMail(db, row.ticketId, mailId) };
    },

    /** The stored raw mail, for the agents' "Original herunterladen". */
    rawOf(mailId: number): Buffer | undefined {
      const row = findInboundMail(db, mailId);
      const path = row ? join(inboundDir, row.storageKey) : undefined;
      return path && existsSync(path) ? readFileSync(path) : undefined;
    },

    /** An agent lets a quarantined or failed mail through (processed as if it had just come) or puts it aside. */
    async decide(mailId: number, decision: 'release' | 'discard'): Promise<boolean> {
      const changed = setQuarantineDecision(db, mailId, decision, clock.now());
      if (changed && decision === 'release') await track(service.process(mailId));
      return changed;
    },
  };
  return service;
}

export class LeaseLostError extends Error {
  constructor(mailId: number) {
    super(`inbound mail ${mailId}: lease lost before commit`);
  }
}
