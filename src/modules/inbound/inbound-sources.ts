// Starts what the server runs for inbound mail: the sweep of left-over mails, and the IMAP poller and SMTP listener when configured.
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { SettingsService } from '../settings/settings-service.js';
import { createImapPoller, type ImapPoller, parseImapUrl } from './imap-poller.js';
import type { InboundService } from './inbound-service.js';
import { createSmtpListener, type SmtpListener } from './smtp-listener.js';

const sweepIntervalMs = 60_000;

export async function startInboundSources(deps: {
  inbound: InboundService; db: Db; clock: Clock; settings: SettingsService; logger: FastifyBaseLogger;
  config: Pick<AppConfig, 'imapUrl' | 'smtpInboundPort' | 'smtpInboundHost' | 'smtpInboundTls'>;
}): Promise<{ stop(): Promise<void> }> {
  const { inbound, config, logger } = deps;
  // Mails stored before a crash, or whose processing failed, are taken up again here, also for pipe-only setups.
  const sweep = () => void inbound.sweep().catch((error: unknown) => logger.error({ err: error }, 'inbound sweep failed'));
  sweep();
  const sweepTimer = setInterval(sweep, sweepIntervalMs);
  sweepTimer.unref();

  let poller: ImapPoller | undefined;
  if (config.imapUrl) {
    poller = createImapPoller({ account: parseImapUrl(config.imapUrl), inbound, db: deps.db, clock: deps.clock, settings: deps.settings, logger });
    poller.start();
  }
  let listener: SmtpListener | undefined;
  if (config.smtpInboundPort) {
    listener = createSmtpListener({
      inbound, host: config.smtpInboundHost, port: config.smtpInboundPort, tls: config.smtpInboundTls, logger,
      isOwnAddress: (address) => inbound.isOwnAddress(address),
    });
    await listener.listen();
  }
  return {
    async stop() {
      clearInterval(sweepTimer);
      await Promise.all([poller?.stop(), listener?.close()]);
      await inbound.idle();
    },
  };
}
