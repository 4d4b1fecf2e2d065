// An SMTP server for the shop's own mail server to relay support mail to: our addresses only, size-limited, STARTTLS with a certificate.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { InboundService } from './inbound-service.js';

export type SmtpListener = { listen(): Promise<number>; close(): Promise<void> };

/** An error with the SMTP reply code the client sees. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function headerSafeAddress(address: string): string {
  // eslint-disable-next-line no-control-regex -- an envelope address must never add a header line
  return address.replace(/[\u0000-\u001f\u007f<>]/g, '');
}

export function createSmtpListener(deps: {
  inbound: InboundService; host: string; port: number; isOwnAddress: (address: string) => boolean;
  tls?: { key: Buffer; cert: Buffer }; logger: FastifyBaseLogger;
}): SmtpListener {
  const { inbound, logger } = deps;
  const options: SMTPServerOptions = {
    name: 'hilfeportal',
    banner: 'Hilfeportal inbound',
    logger: false,
    authOptional: true,
    // No accounts here: the relay is the shop's own server. STARTTLS only when a certificate is configured.
    disabledCommands: deps.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(deps.tls ? { key: deps.tls.key, cert: deps.tls.cert } : {}),
    size: inbound.maxBytes(),
    maxClients: 20,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (deps.isOwnAddress(address.address)) return callback();
      return callback(smtpError(550, '5.1.1 Mailbox unavailable: not a support address of this portal'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 Message too big (limit ${inbound.maxBytes()} bytes)`));
        // What a delivering MTA records: who sent it on the envelope, and which of our addresses it was for.
        const envelope = [
          `Return-Path: <${session.envelope.mailFrom ? headerSafeAddress(session.envelope.mailFrom.address) : ''}>`,
          ...session.envelope.rcptTo.map((recipient) => `Delivered-To: ${headerSafeAddress(recipient.address)}`),
        ].join('\r\n');
        const raw = Buffer.concat([Buffer.from(`${envelope}\r\n`), ...chunks]);
        try {
          const stored = inbound.storeAndProcessLater(raw, 'smtp');
          if (stored.status === 'too_large') return callback(smtpError(552, `5.3.4 Message too big (limit ${stored.limitBytes} bytes)`));
          return callback();
        } catch (error) {
          // Not stored: the relay keeps the mail and tries again later.
          logger.error({ err: error }, 'inbound mail could not be stored');
          return callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
        }
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (error) => logger.error({ err: error }, 'inbound SMTP listener error'));

  return {
    async listen() {
      server.listen(deps.port, deps.host);
      await once(server.server, 'listening');
      const port = (server.server.address() as AddressInfo).port;
      logger.info({ host: deps.host, port, starttls: Boolean(deps.tls) }, 'inbound SMTP listener started');
      return port;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
