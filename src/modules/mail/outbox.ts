// The outbox: use cases queue mail inside their own transaction; the worker claims and delivers it later.
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { type MailContent, renderMail } from './mail-content.js';
import { insertOutboxMail } from './outbox-repository.js';

export type OutgoingMail = {
  kind: string;
  to: { address: string; name?: string };
  content: MailContent;
  ticketId?: number;
  headers?: Record<string, string>;
};

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox({ clock, publicUrl, footer }: { clock: Clock; publicUrl: string; footer: () => string }) {
  const messageIdDomain = new URL(publicUrl).hostname;
  const listeners = new Set<() => void>();
  return {
    /** Call inside the use case's transaction: the mail exists exactly when the data does. */
    enqueue(tx: DbOrTx, mail: OutgoingMail): string {
      const rendered = renderMail(mail.content, footer());
      const now = clock.now();
      const messageId = `<${now.getTime().toString(36)}.${randomBytes(9).toString('base64url')}@${messageIdDomain}>`;
      insertOutboxMail(tx, {
        kind: mail.kind,
        toAddress: mail.to.address,
        toName: mail.to.name ?? null,
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        headers: mail.headers ?? {},
        messageId,
        ticketId: mail.ticketId ?? null,
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
