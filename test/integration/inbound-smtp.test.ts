// The inbound SMTP listener on loopback, as the shop's mail server relays to it: our addresses only, size limit, STARTTLS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { inboundMails } from '../../src/db/schema.js';
import { createSigner } from '../../src/lib/tokens.js';
import { createMessageIds } from '../../src/modules/mail/message-ids.js';
import { createSmtpListener, type SmtpListener } from '../../src/modules/inbound/smtp-listener.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { allTickets, fixturesDir, mailFixture, messagesOf, requestWithAnswer } from './inbound-mails.js';

const tls = { cert: readFileSync(join(fixturesDir, 'tls/localhost.crt')), key: readFileSync(join(fixturesDir, 'tls/localhost.key')) };

let t: TestApp;
let listener: SmtpListener | undefined;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  await t.close();
});

async function listen(options: { tls?: typeof tls } = {}): Promise<number> {
  listener = createSmtpListener({
    inbound: t.services.inbound, host: '127.0.0.1', port: 0, tls: options.tls, logger: t.app.log,
    isOwnAddress: (address) => t.services.inbound.isOwnAddress(address),
  });
  return listener.listen();
}

function relay(port: number, raw: Buffer, envelope: { from: string; to: string[] }, options: { requireTLS?: boolean } = {}) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, ignoreTLS: !options.requireTLS, requireTLS: options.requireTLS,
    tls: { ca: [tls.cert], servername: 'localhost' },
  });
  return transport.sendMail({ envelope, raw });
}

describe('the inbound SMTP listener', () => {
  test('takes a relayed mail with 250, records the envelope, and the mail becomes a request', async () => {
    const port = await listen();
    const info = await relay(port, mailFixture('new-request.eml', { FROM: 'relay@example.org' }), { from: 'relay@example.org', to: ['support@shop.example.test'] });
    expect(info.response).toMatch(/^250/);
    await t.services.inbound.idle();

    expect(allTickets(t)).toHaveLength(1);
    const raw = t.services.inbound.rawOf(t.db.select().from(inboundMails).get()!.id)!.toString();
    expect(raw.startsWith('Return-Path: <relay@example.org>\r\nDelivered-To: support@shop.example.test\r\n')).toBe(true);
  });

  test('a signed plus-address in the envelope leads to the request even without any thread header', async () => {
    const thread = await requestWithAnswer(t);
    const plus = createMessageIds(createSigner(t.config.appSecret), 'portal.example.test').plusAddress('support@shop.example.test', thread.ticket.id);
    const port = await listen();
    await relay(port, mailFixture('new-request.eml'), { from: 'karla@example.org', to: [plus] });
    await t.services.inbound.idle();

    expect(allTickets(t)).toHaveLength(1);
    expect(messagesOf(t, thread.ticket.id).at(-1)!.body).toContain('in meinem Paket zur Bestellung 100234 fehlt die Lok BR 218');
  });

  test('refuses every address that is not ours with 550', async () => {
    const port = await listen();
    const refused = relay(port, mailFixture('new-request.eml'), { from: 'x@example.org', to: ['info@elsewhere.example'] });
    await expect(refused).rejects.toMatchObject({ responseCode: 550 });
    expect(t.db.select().from(inboundMails).all()).toEqual([]);
  });

  test('refuses a mail over the size limit with 552 and stores nothing', async () => {
    t.services.settings.update({ inboundMaxMegabytes: 1 });
    const port = await listen();
    const large = Buffer.concat([mailFixture('new-request.eml'), Buffer.alloc(1024 * 1024 + 10, 'a')]);
    await expect(relay(port, large, { from: 'x@example.org', to: ['support@shop.example.test'] })).rejects.toMatchObject({ responseCode: 552 });
    expect(t.db.select().from(inboundMails).all()).toEqual([]);
  });

  test('a relay that delivers the same mail again gets 250, and the mail is applied once', async () => {
    const port = await listen();
    const raw = mailFixture('new-request.eml', { MESSAGE_ID: 'relay-retry@example.org' });
    await relay(port, raw, { from: 'karla@example.org', to: ['support@shop.example.test'] });
    const again = await relay(port, raw, { from: 'karla@example.org', to: ['support@shop.example.test'] });
    await t.services.inbound.idle();
    expect(again.response).toMatch(/^250/);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('offers STARTTLS only when a certificate is configured', async () => {
    const plainPort = await listen();
    await expect(relay(plainPort, mailFixture('new-request.eml'), { from: 'a@example.org', to: ['support@shop.example.test'] }, { requireTLS: true }))
      .rejects.toThrow(/STARTTLS/);
    await listener!.close();

    const tlsPort = await listen({ tls });
    const info = await relay(tlsPort, mailFixture('new-request.eml'), { from: 'a@example.org', to: ['support@shop.example.test'] }, { requireTLS: true });
    expect(info.response).toMatch(/^250/);
    await t.services.inbound.idle();
    expect(allTickets(t)).toHaveLength(1);
  });
});
