// `npm run cli -- mail:ingest < message.eml`: one mail from a pipe (a Postfix alias), with the exit codes mail servers understand.
import type { Readable } from 'node:stream';
import type { InboundService } from './inbound-service.js';

export const mailIngestUsage = `  mail:ingest < message.eml
      Takes one mail on standard input (e.g. from a Postfix alias "|npm run cli -- mail:ingest").
      Exit 0: stored (and processed); 75: not stored, the mail server should try again; 69: too large, refused.`;

/** sysexits.h: what Postfix and other MTAs read from a pipe command. */
export const exitCodes = { stored: 0, unavailable: 69, tryAgainLater: 75 } as const;

/** Reads at most limit + 1 bytes: enough to know the mail is too large without holding all of it. */
export async function readLimited(input: Readable, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      input.destroy();
      return { raw: Buffer.alloc(0), tooLarge: true };
    }
    chunks.push(buffer);
  }
  return { raw: Buffer.concat(chunks), tooLarge: false };
}

/**
 * Stores the mail, then processes it. Once it is stored the answer is 0 whatever processing does: a processing error is
 * retried by the server's sweep, and a second delivery of the same mail is recognised and not applied again.
 */
export async function runMailIngestCommand(inbound: InboundService, input: Readable, print: (line: string) => void): Promise<number> {
  const { raw, tooLarge } = await readLimited(input, inbound.maxBytes());
  if (tooLarge) {
    print(`mail:ingest: message larger than ${inbound.maxBytes()} bytes, refused`);
    return exitCodes.unavailable;
  }
  if (raw.length === 0) {
    print('mail:ingest: no message on standard input');
    return exitCodes.tryAgainLater;
  }
  const result = await inbound.ingest(raw, 'pipe');
  if (result.status === 'too_large') {
    print(`mail:ingest: message larger than ${result.limitBytes} bytes, refused`);
    return exitCodes.unavailable;
  }
  print(result.status === 'duplicate'
    ? `mail:ingest: already stored as inbound mail ${result.mailId}`
    : `mail:ingest: stored as inbound mail ${result.mailId}${result.processed ? `, ${result.processed.outcome}${result.processed.ticketId ? ` #${result.processed.ticketId}` : ''}` : ''}`);
  return exitCodes.stored;
}
