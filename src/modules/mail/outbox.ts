// The outbox: use cases queue mail inside their own transaction; the worker claims and delivers it later.
import type { DbOrTx } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Settings } from '../settings/settings-schema.js';
import { type MailContent, renderMail } from './mail-content.js';
import type { MessageIds } from './message-ids.js';
import { insertOutboxMail, recentMessageIdsOfTicket } from './outbox-repository.js';

export type OutgoingMail = {
  kind: string;
  to: { address: string; name?: string };
  content: MailContent;
  ticketId?: number;
  /** The conversation message the mail carries, so a failed delivery can be shown beside it. */
  ticketMessageId?: number;
  headers?: Record<string, string>;
  /** Files (attachments.id) the mail carries; the worker reads them from disk when it sends. */
  attachmentIds?: number[];
};

export type Outbox = ReturnType<typeof createOutbox>;

const maxReferences = 10;

/** Names and subjects come from people: no line break may ever reach a header. */
export function headerSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

export function createOutbox(deps: {
  clock: Clock; messageIds: MessageIds; supportAddress: string; settings: () => Settings; footer: () => string;
}) {
  const { clock, messageIds } = deps;
  const listeners = new Set<() => void>();

  /** In-Reply-To and References: the request's root id, then its latest mails, so every client threads them. */
  function threadHeaders(tx: DbOrTx, ticketId: number): Record<string, string> {
    const previous = recentMessageIdsOfTicket(tx, ticketId, maxReferences - 1).reverse();
    const references = [messageIds.ticketRoot(ticketId), ...previous];
    const replyTo = deps.settings().plusAddressing ? messageIds.plusAddress(deps.supportAddress, ticketId) : deps.supportAddress;
    return { 'In-Reply-To': references.at(-1)!, References: references.join(' '), 'Reply-To': replyTo };
  }

  return {
    /** Call inside the use case's transaction: the mail exists exactly when the data does. */
    enqueue(tx: DbOrTx, mail: OutgoingMail): string {
      // A request's mails carry its signed reference in the footer: answers find their request even when a client drops the headers.
      const footer = mail.ticketId === undefined ? deps.footer() : `${deps.footer()}\n${messageIds.bodyToken(mail.ticketId)}`;
      const rendered = renderMail({ ...mail.content, subject: headerSafe(mail.content.subject) }, footer);
      const now = clock.now();
      const messageId = messageIds.create(mail.ticketId);
      insertOutboxMail(tx, {
        kind: mail.kind,
        toAddress: mail.to.address,
        toName: mail.to.name === undefined ? null : headerSafe(mail.to.name),
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        headers: { ...(mail.ticketId !== undefined ? threadHeaders(tx, mail.ticketId) : {}), ...mail.headers },
        messageId,
        ticketId: mail.ticketId ?? null,
        ticketMessageId: mail.ticketMessageId ?? null,
        attachmentIds: mail.attachmentIds && mail.attachmentIds.length > 0 ? mail.attachmentIds : null,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      });
      queueMicrotask(() => listeners.forEach((listener) => listener()));
      return messageId;
    },
    /** The worker subscribes so that new mail goes out at once instead of at the next poll. */
    onEnqueue(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
