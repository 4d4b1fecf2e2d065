// Delivers queued mail: claims due rows with a lease, sends them, retries temporary failures with backoff.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.js';
import type { OutboxMail } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { claimDueMails, markMailFailed, markMailSent, releaseClaimedMails, scheduleMailRetry } from './outbox-repository.js';
import type { MailTransport } from './transport.js';
import type { Outbox } from './outbox.js';

const leaseMs = 2 * 60_000;
// Their links set a password: once delivered, the outbox need not keep a working copy.
const mailsWithSecrets = new Set(['password_reset', 'team_invitation']);
const batchSize = 20;
export const maxAttempts = 10;

/** About 1 minute, doubling up to 6 hours, with jitter so that many mails do not retry in step. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(60_000 * 2 ** Math.max(attempt - 1, 0), 6 * 3600_000);
  return Math.round(base * (0.8 + random() * 0.4));
}

/** 5xx SMTP answers are final; everything else (4xx, network) is worth another try. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

/** Where the files of a mail are: name, type and path on disk, looked up when the mail is sent. */
export type MailAttachmentSource = (ids: number[]) => Array<{ filename: string; contentType: string; path: string }>;

export function createOutboxWorker(deps: {
  db: Db; clock: Clock; outbox: Outbox; transport: MailTransport; from: string; logger: FastifyBaseLogger;
  attachmentFiles?: MailAttachmentSource;
}) {
  const { db, clock, transport, logger } = deps;
  const inFlight = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  async function send(mail: OutboxMail): Promise<void> {
    inFlight.add(mail.id);
    try {
      const { 'Reply-To': replyTo, 'In-Reply-To': inReplyTo, References: references, ...headers } = mail.headers;
      const files = mail.attachmentIds && deps.attachmentFiles ? deps.attachmentFiles(mail.attachmentIds) : [];
      await transport.send({
        from: deps.from,
        to: { address: mail.toAddress, name: mail.toName ?? '' },
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody ?? undefined,
        messageId: mail.messageId,
        replyTo,
        inReplyTo,
        references,
        headers,
        attachments: files.map((file) => ({ filename: file.filename, contentType: file.contentType, path: file.path })),
      });
      markMailSent(db, mail.id, clock.now(), { forgetBody: mailsWithSecrets.has(mail.kind) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isPermanentFailure(error) || mail.attempts >= maxAttempts) {
        markMailFailed(db, mail.id, reason);
        logger.error({ mailId: mail.id, reason }, 'mail failed for good');
      } else {
        scheduleMailRetry(db, mail.id, new Date(clock.now().getTime() + retryDelayMs(mail.attempts)), reason);
        logger.warn({ mailId: mail.id, reason, attempt: mail.attempts }, 'mail delivery failed, will retry');
      }
    } finally {
      inFlight.delete(mail.id);
    }
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const now = clock.now();
      const batch = claimDueMails(db, now, new Date(now.getTime() + leaseMs), batchSize);
      if (batch.length === 0) return delivered;
      await Promise.all(batch.map(send));
      delivered += batch.length;
      if (stopped) return delivered;
    }
  }

  /** Sends everything that is due now; a call while a run is going joins it and asks for one more pass. */
  function deliverDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await drain();
      } while (again && !stopped);
      return total;
    })().finally(() => { running = undefined; });
    return running;
  }

  function tick(): void {
    deliverDue().catch((error) => logger.error({ err: error }, 'outbox run failed'));
  }

  return {
    deliverDue,
    start(pollMs = 5_000): void {
      stopped = false;
      unsubscribe = deps.outbox.onEnqueue(tick);
      timer = setInterval(tick, pollMs);
      timer.unref();
      tick();
    },
    /** Finishes the mails being sent; whatever is still claimed afterwards is handed back. */
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      releaseClaimedMails(db, [...inFlight], clock.now());
      transport.close();
    },
  };
}
