// Hands a finished mail to SMTP (pooled, via nodemailer), or writes it as an .eml file while no SMTP_URL is set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { AppConfig } from '../../config.js';

export type MailTransport = {
  send(message: Mail.Options): Promise<void>;
  close(): void;
};

export function createMailTransport(config: AppConfig, logger: FastifyBaseLogger): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl, config.dkim) : fileTransport(config.mailDir, logger);
}

function smtpTransport(url: string, dkim: AppConfig['dkim']): MailTransport {
  // nodemailer reads only the URL when one is given, so pooling goes into its query and DKIM into the mail defaults.
  const pooled = new URL(url);
  if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
  // Each mail waits on a few SMTP round trips, so throughput grows with connections; five is what most providers allow.
  if (!pooled.searchParams.has('maxConnections')) pooled.searchParams.set('maxConnections', '5');
  const transporter = nodemailer.createTransport(pooled.toString(), dkim ? { dkim } : undefined);
  return {
    async send(message) {
      await transporter.sendMail(message);
    },
    close: () => transporter.close(),
  };
}

function fileTransport(mailDir: string, logger: FastifyBaseLogger): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  mkdirSync(mailDir, { recursive: true });
  let sequence = 0;
  return {
    async send(message) {
      const info = await builder.sendMail(message);
      sequence += 1;
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${sequence}.eml`;
      const file = join(mailDir, name);
      writeFileSync(file, info.message as Buffer);
      logger.info({ file, to: message.to }, 'mail written to file (no SMTP_URL set)');
    },
    close: () => builder.close(),
  };
}
