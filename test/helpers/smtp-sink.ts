// A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed, and answers as a test plans.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Answer = 'accept' | { code: number; message: string };

/** An SMTP server that answers each DATA with the next planned answer, then accepts. */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  /** The RCPT TO addresses of each received mail, in the same order: who really got it. */
  readonly recipients: string[][] = [];
  answers: Answer[] = [];
  /** While set, every DATA waits for it before answering: a slow server, for shutdown tests. */
  hold: Promise<void> | undefined;
  /** Called when a message's data has arrived, before the server answers it. */
  onMessageStarted: (() => void) | undefined;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        this.onMessageStarted?.();
        await this.hold;
        const answer = this.answers.shift() ?? 'accept';
        if (answer !== 'accept') {
          callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          this.received.push(mail);
          this.recipients.push(session.envelope.rcptTo.map((recipient) => recipient.address));
          callback();
        }, callback);
      });
    },
  });

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server.server, 'listening');
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

