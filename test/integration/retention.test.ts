// Retention run by `automations:run`: texts of sent mail go after retentionOutboxDays, stored raw inbound mails after
// retentionInboundDays; recipients, subjects, requests and their messages stay.
import { existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inboundMails, outbox, ticketMessages } from '../../src/db/schema.js';
import { runAutomationsCommand } from '../../src/modules/automation/automation-cli.js';
import { createRequest, createUser } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { mailFixture } from './inbound-mails.js';
import { rawMailPathOf } from './privacy-people.js';

const day = 24 * 3600_000;
let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

async function runAutomationsAt(asOf: Date) {
  const lines: string[] = [];
  expect(await runAutomationsCommand(t.services.automations, ['--now', asOf.toISOString()], (line) => lines.push(line))).toBe(0);
  const count = (label: string) => Number(lines.find((line) => line.includes(label))!.split(':')[1]);
  return { mailTexts: count('mail texts deleted'), rawMails: count('raw mails deleted') };
}

const mailRow = (id: number) => t.db.select().from(outbox).where(eq(outbox.id, id)).get()!;
const rawRow = (id: number) => t.db.select().from(inboundMails).where(eq(inboundMails.id, id)).get()!;

describe('retention', () => {
  test('the texts of sent mail go after 30 days, the raw mails after 90 (the defaults); the requests keep their messages', async () => {
    const start = t.clock.now();
    const customer = await createUser(t, 'rita@example.org', { name: 'Rita Rentner' });
    const ticket = createRequest(t, customer, 'Gleis 5 verbogen', 'Das Gleis kam verbogen an.');
    const stored = await t.services.inbound.ingest(mailFixture('new-request.eml', { FROM: 'mara@example.org' }), 'pipe');
    if (stored.status !== 'stored') throw new Error('mail not stored');
    await t.mailbox.receive();
    // Rita's acknowledgement and the one for the request Mara's mail opened.
    const early = t.db.select().from(outbox).all();
    expect(early.length).toBe(2);
    expect(early.every((mail) => mail.status === 'sent' && mail.textBody !== '')).toBe(true);

    // A mail sent 20 days later must keep its text when the first ones go.
    t.clock.advance(20 * day);
    const later = createRequest(t, customer, 'Weiche klemmt', 'Die Weiche klemmt.');
    await t.mailbox.receive();
    const laterMails = t.db.select().from(outbox).where(eq(outbox.ticketId, later.id)).all();
    const rawPath = rawMailPathOf(t, rawRow(stored.mailId).storageKey);

    expect(await runAutomationsAt(new Date(start.getTime() + 29 * day))).toEqual({ mailTexts: 0, rawMails: 0 });
    expect(mailRow(early[0]!.id).textBody).not.toBe('');

    expect(await runAutomationsAt(new Date(start.getTime() + 31 * day))).toEqual({ mailTexts: early.length, rawMails: 0 });
    for (const mail of early) {
      expect(mailRow(mail.id)).toMatchObject({ textBody: '', htmlBody: null, subject: mail.subject, toAddress: mail.toAddress, status: 'sent' });
    }
    expect(laterMails.every((mail) => mailRow(mail.id).textBody === mail.textBody)).toBe(true);
    expect(existsSync(rawPath)).toBe(true);
    // Running again finds nothing more to do.
    expect(await runAutomationsAt(new Date(start.getTime() + 31 * day))).toEqual({ mailTexts: 0, rawMails: 0 });

    expect(await runAutomationsAt(new Date(start.getTime() + 91 * day))).toEqual({ mailTexts: laterMails.length, rawMails: 1 });
    expect(existsSync(rawPath)).toBe(false);
    expect(rawRow(stored.mailId).rawDeletedAt).toEqual(new Date(start.getTime() + 91 * day));
    // What the customer wrote stays in the request, and the agents' inbound page still opens the mail's row.
    expect(t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).all().map((message) => message.body))
      .toEqual(['Das Gleis kam verbogen an.']);
    const inspected = await t.services.inbound.inspect(stored.mailId);
    expect(inspected?.facts).toBeUndefined();
    expect(t.services.inbound.rawOf(stored.mailId)).toBeUndefined();
  });

  test('the days come from the settings; pending and unsent mail and mails still waiting for an agent are kept', async () => {
    t.services.settings.update({ retentionOutboxDays: 1, retentionInboundDays: 2 });
    const start = t.clock.now();
    const customer = await createUser(t, 'paul@example.org', { name: 'Paul Pendler' });
    const ticket = createRequest(t, customer, 'Signal dunkel', 'Das Signal leuchtet nicht.');
    // Not delivered: still pending, its text is needed to send it.
    const pending = t.db.select().from(outbox).where(eq(outbox.ticketId, ticket.id)).all();
    expect(pending.every((mail) => mail.status === 'pending')).toBe(true);
    const waiting = t.services.inbound.store(mailFixture('new-request.eml', { FROM: 'quarantaene@example.org' }), 'pipe');
    if (waiting.status !== 'stored') throw new Error('mail not stored');
    const waitingPath = rawMailPathOf(t, rawRow(waiting.mailId).storageKey);

    expect(await runAutomationsAt(new Date(start.getTime() + 3 * day))).toEqual({ mailTexts: 0, rawMails: 0 });
    expect(pending.every((mail) => mailRow(mail.id).textBody === mail.textBody)).toBe(true);
    expect(existsSync(waitingPath)).toBe(true);

    // Processed now, and every mail delivered: the acknowledgements of both requests are sent mail like any other.
    await t.services.inbound.process(waiting.mailId);
    await t.mailbox.receive();
    expect(await runAutomationsAt(new Date(start.getTime() + 3 * day))).toEqual({ mailTexts: pending.length + 1, rawMails: 1 });
    expect(existsSync(waitingPath)).toBe(false);
  });
});
