// The outbox against a real SMTP server on loopback: delivery, retry with backoff, permanent failure, lost leases.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { claimDueMails } from '../../src/modules/mail/outbox-repository.js';
import { retryDelayMs } from '../../src/modules/mail/outbox-worker.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

let sink: SmtpSink;
let port: number;
let t: TestApp;

beforeAll(async () => {
  sink = new SmtpSink();
  port = await sink.listen();
  t = await testApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});
beforeEach(() => {
  sink.received.length = 0;
  sink.answers = [];
});

function mailRow(ticketId: number) {
  return t.db.select().from(outbox).where(eq(outbox.ticketId, ticketId)).get()!;
}

function writeIn(email: string) {
  return t.services.tickets.createRequest({ name: 'Erika Mustermann', email, subject: 'Lieferung', description: 'Wo bleibt sie?' });
}

test('a queued mail arrives over SMTP with umlauts intact and its stored Message-ID', async () => {
  const ticket = writeIn('umlaut@example.org');
  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(1);
  const mail = sink.received[0]!;
  expect(mail.subject).toBe(`[#${ticket.id}] Ihre Anfrage ist eingegangen`);
  expect(mail.text).toContain('Nachricht');
  expect(mail.text).toContain('für');
  expect(mail.messageId).toBe(mailRow(ticket.id).messageId);
  expect(mailRow(ticket.id)).toMatchObject({ status: 'sent', attempts: 1 });
});

test('a 451 answer is retried after a backoff, and the mail arrives exactly once', async () => {
  sink.answers = [{ code: 451, message: 'try again later' }];
  const ticket = writeIn('retry@example.org');
  await t.services.outboxWorker.deliverDue();
  const afterFailure = mailRow(ticket.id);
  expect(afterFailure.status).toBe('pending');
  expect(afterFailure.lastError).toContain('try again later');
  expect(afterFailure.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
  expect(sink.received).toHaveLength(0);

  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(0);

  t.clock.advance(2 * 60_000);
  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(1);
  expect(mailRow(ticket.id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
});

test('a 550 answer fails the mail at once, with the reason kept', async () => {
  sink.answers = [{ code: 550, message: 'no such user' }];
  const ticket = writeIn('unknown@example.org');
  await t.services.outboxWorker.deliverDue();
  expect(mailRow(ticket.id)).toMatchObject({ status: 'failed', attempts: 1 });
  expect(mailRow(ticket.id).lastError).toContain('no such user');
  t.clock.advance(24 * 3600_000);
  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(0);
});

test('while the mail server is down the form still works; the mail goes out once it is back', async () => {
  await sink.close();
  const visitor = new WebClient(t.app);
  const response = await visitor.submit('/requests/new', '/requests/new', {
    name: 'Erika', email: 'down@example.org', subject: 'Server weg', description: 'Test',
  });
  expect(response.statusCode).toBe(303);
  const ticketId = Number(/\/requests\/received\/(\d+)\./.exec(response.headers.location as string)![1]);
  await t.services.outboxWorker.deliverDue();
  expect(mailRow(ticketId).status).toBe('pending');
  expect(mailRow(ticketId).lastError).toBeTruthy();

  sink = new SmtpSink();
  await sink.listen(port);
  t.clock.advance(10 * 60_000);
  await t.services.outboxWorker.deliverDue();
  expect(sink.received.map((mail) => mail.subject)).toEqual([`[#${ticketId}] Ihre Anfrage ist eingegangen`]);
});

test('a mail whose sender died after claiming it is sent again after the lease, with the same Message-ID', async () => {
  const ticket = writeIn('lease@example.org');
  const now = t.clock.now();
  const claimed = claimDueMails(t.db, now, new Date(now.getTime() + 60_000), 10);
  expect(claimed.map((mail) => mail.ticketId)).toContain(ticket.id);

  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(0);

  t.clock.advance(61_000);
  await t.services.outboxWorker.deliverDue();
  expect(sink.received).toHaveLength(1);
  expect(sink.received[0]!.messageId).toBe(mailRow(ticket.id).messageId);
});

test('the backoff grows from about a minute to at most about six hours', () => {
  const middle = () => 0.5;
  expect(retryDelayMs(1, middle)).toBe(60_000);
  expect(retryDelayMs(2, middle)).toBe(120_000);
  expect(retryDelayMs(20, middle)).toBe(6 * 3600_000);
  expect(retryDelayMs(1, () => 0)).toBeLessThan(retryDelayMs(1, () => 0.99));
});

test('a delivered password link is not kept in the outbox', async () => {
  await t.services.accounts.createUser({ email: 'vergesslich@example.org', name: 'Vera', role: 'customer' });
  t.services.accounts.requestPasswordReset('vergesslich@example.org');
  await t.services.outboxWorker.deliverDue();
  const mail = sink.received.find((received) => received.subject?.includes('Kennwort festlegen'))!;
  const token = /\/password\/reset\/([\w-]+)/.exec(mail.text!)![1]!;
  const row = t.db.select().from(outbox).where(eq(outbox.kind, 'password_reset')).get()!;
  expect(row.status).toBe('sent');
  expect(JSON.stringify(row)).not.toContain(token);
});
