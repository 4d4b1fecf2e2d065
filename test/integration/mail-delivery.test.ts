// Delivery details: DKIM signing when configured, and a shutdown that lets the mail being sent finish.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { openDatabase } from '../../src/db/client.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { testApp, type TestApp } from '../helpers/test-app.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function appWithSink(env: Record<string, string> = {}): Promise<{ t: TestApp; sink: SmtpSink }> {
  const sink = new SmtpSink();
  const port = await sink.listen();
  const t = await testApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, ...env } });
  cleanups.push(() => sink.close());
  return { t, sink };
}

test('with DKIM configured every mail is signed for the domain and selector', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'dkim-')), 'dkim.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const { t, sink } = await appWithSink({ DKIM_DOMAIN: 'shop.example.test', DKIM_SELECTOR: 'hp2026', DKIM_KEY_FILE: keyFile });
  cleanups.push(() => t.close());

  t.services.tickets.createRequest({ name: 'Erika', email: 'dkim@example.org', subject: 'Signiert', description: 'x' });
  await t.services.outboxWorker.deliverDue();
  const signature = sink.received[0]!.headerLines.find((line) => line.key === 'dkim-signature')?.line ?? '';
  expect(signature).toContain('d=shop.example.test');
  expect(signature).toContain('s=hp2026');
});

test('closing the app waits for the mail being sent; it is recorded as sent and nothing is left claimed', async () => {
  const { t, sink } = await appWithSink();
  let release!: () => void;
  sink.hold = new Promise((resolve) => { release = resolve; });
  const ticket = t.services.tickets.createRequest({ name: 'Erika', email: 'shutdown@example.org', subject: 'Ende', description: 'x' });

  const sending = t.services.outboxWorker.deliverDue();
  await new Promise<void>((resolve) => { sink.onMessageStarted = resolve; });
  const closing = t.app.close();
  release();
  await Promise.all([sending, closing]);

  expect(sink.received.map((mail) => mail.subject)).toEqual([`[#${ticket.id}] Ihre Anfrage ist eingegangen`]);
  const db = openDatabase(t.config.databasePath);
  cleanups.push(() => t.close());
  try {
    expect(db.select().from(outbox).where(eq(outbox.ticketId, ticket.id)).get()).toMatchObject({ status: 'sent', leaseUntil: null });
  } finally {
    db.$client.close();
  }
});
