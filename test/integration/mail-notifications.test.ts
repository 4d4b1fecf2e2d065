// What leaves by mail, checked at a real SMTP server: full-thread answers, threading headers, agent notices, no injection.
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { outbox, type User } from '../../src/db/schema.js';
import { createMessageIds } from '../../src/modules/mail/message-ids.js';
import { createSigner } from '../../src/lib/tokens.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';

let sink: SmtpSink;
let t: TestApp;
let agent: User;
let customer: User;

beforeAll(async () => {
  sink = new SmtpSink();
  const port = await sink.listen();
  t = await testApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  agent = await createUser(t, 'anna@shop.example.test', { name: 'Anna Berger', role: 'agent' });
  customer = await createUser(t, 'kunde@example.org', { name: 'Jürgen Größe' });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});
beforeEach(async () => {
  await t.services.outboxWorker.deliverDue();
  sink.received.length = 0;
  sink.recipients.length = 0;
  t.services.settings.update({ notifyAgents: true, mailHistoryLimit: 20, plusAddressing: false });
});

function openRequest(subject = 'Weiche klemmt', description = 'Die Weiche schaltet nicht, Größe H0.') {
  return t.services.tickets.createRequest({ requester: customer, name: customer.name, email: customer.email, subject, description });
}

async function delivered(): Promise<ParsedMail[]> {
  await t.services.outboxWorker.deliverDue();
  const mails = [...sink.received];
  sink.received.length = 0;
  return mails;
}

function mailsTo(mails: ParsedMail[], address: string): ParsedMail[] {
  return mails.filter((mail) => [mail.to].flat().some((to) => to?.value.some((entry) => entry.address === address)));
}

function answer(ticketId: number, body: string, status: 'open' | 'pending' | 'solved' | 'on_hold' = 'pending', visibility: 'public' | 'internal' = 'public') {
  const result = t.services.agentTickets.agentReplies(agent, ticketId, { body, visibility, status, lastSeenMessageId: Number.MAX_SAFE_INTEGER });
  expect(result.outcome).toBe('sent');
}

test('an answer mail starts with the marker line and the new message, then the earlier conversation newest first, without notes', async () => {
  const ticket = openRequest();
  t.clock.advance(60_000);
  answer(ticket.id, 'Bitte senden Sie uns ein Foto.');
  t.clock.advance(60_000);
  answer(ticket.id, 'Intern: Kunde hat schon dreimal angerufen.', 'pending', 'internal');
  t.services.tickets.customerReplies(customer, ticket.id, { body: 'Foto folgt, schöne Grüße!', markSolved: false });
  t.clock.advance(60_000);
  await delivered();
  answer(ticket.id, 'Danke, der Ersatz ist unterwegs.', 'solved');

  const [mail] = mailsTo(await delivered(), customer.email);
  const text = mail!.text!;
  expect(text.startsWith('##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##')).toBe(true);
  const order = ['Danke, der Ersatz ist unterwegs.', 'Foto folgt, schöne Grüße!', 'Bitte senden Sie uns ein Foto.', 'Die Weiche schaltet nicht, Größe H0.'].map((part) => text.indexOf(part));
  expect(order.every((position) => position >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(text).toContain('Anna vom Servicecenter');
  expect(text).toContain('als gelöst markiert');
  expect(text).toContain(`/requests/${ticket.id}`);
  expect(text).not.toContain('dreimal angerufen');
  expect(mail!.html).not.toContain('dreimal angerufen');
  expect(mail!.html).toContain('Foto folgt, schöne Grüße!');
  expect(mail!.subject).toBe(`[#${ticket.id}] Weiche klemmt`);
});

test('answer mails carry signed Message-IDs and thread through In-Reply-To and References', async () => {
  const ticket = openRequest('Threading');
  answer(ticket.id, 'Erste Antwort.');
  const [first] = mailsTo(await delivered(), customer.email).filter((mail) => mail.subject === `[#${ticket.id}] Threading`);
  answer(ticket.id, 'Zweite Antwort.');
  const [second] = mailsTo(await delivered(), customer.email);

  const ids = createMessageIds(createSigner('test-secret-that-is-long-enough-0123456789'), 'portal.example.test');
  expect(ids.ticketOf(first!.messageId!)).toBe(ticket.id);
  expect(ids.ticketOf(first!.messageId!.replace(/\.[\w-]{22}@/, '.AAAAAAAAAAAAAAAAAAAAAA@'))).toBeUndefined();
  expect(second!.inReplyTo).toBe(first!.messageId);
  const references = [second!.references ?? []].flat();
  expect(references[0]).toBe(ids.ticketRoot(ticket.id));
  expect(references).toContain(first!.messageId);
  expect(references.length).toBeLessThanOrEqual(10);
  expect(second!.replyTo?.value[0]?.address).toBe('support@shop.example.test');
  expect(second!.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply');
});

test('with plus-addressing on, Reply-To names the request with a signature', async () => {
  t.services.settings.update({ plusAddressing: true });
  const ticket = openRequest('Plus');
  answer(ticket.id, 'Antwort.');
  const [mail] = mailsTo(await delivered(), customer.email).filter((m) => m.subject === `[#${ticket.id}] Plus`);
  const replyTo = mail!.replyTo!.value[0]!.address!;
  expect(replyTo).toMatch(new RegExp(`^support\\+t${ticket.id}\\.[\\w-]{12}@shop\\.example\\.test$`));
  const ids = createMessageIds(createSigner('test-secret-that-is-long-enough-0123456789'), 'portal.example.test');
  expect(ids.ticketOfPlusAddress(replyTo)).toBe(ticket.id);
  expect(ids.ticketOfPlusAddress(replyTo.replace(`+t${ticket.id}.`, `+t${ticket.id + 1}.`))).toBeUndefined();
});

test('the history in a mail is capped by the setting, with a link to the rest', async () => {
  t.services.settings.update({ mailHistoryLimit: 2 });
  const ticket = openRequest('Lang', 'Nachricht 0');
  for (let i = 1; i <= 4; i += 1) {
    t.clock.advance(60_000);
    t.services.tickets.customerReplies(customer, ticket.id, { body: `Nachricht ${i}`, markSolved: false });
  }
  await delivered();
  answer(ticket.id, 'Antwort');
  const [mail] = mailsTo(await delivered(), customer.email);
  expect(mail!.text).toContain('Nachricht 4');
  expect(mail!.text).toContain('Nachricht 3');
  expect(mail!.text).not.toContain('Nachricht 2');
  expect(mail!.text).toContain('Ältere Nachrichten finden Sie im Verlauf der Anfrage');
});

test('a name or subject with line breaks can never add a header or a recipient', async () => {
  const visitor = new WebClient(t.app);
  const response = await visitor.submit('/requests/new', '/requests/new', {
    name: 'Eve\r\nBcc: opfer@example.org', email: 'eve@example.org', subject: 'Hallo\r\nBcc: opfer@example.org', description: 'x',
  });
  expect(response.statusCode).toBe(303);
  const ticketId = Number(/received\/(\d+)\./.exec(response.headers.location as string)![1]);
  answer(ticketId, 'Antwort an Eve.');
  const mails = await delivered();
  const toEve = mailsTo(mails, 'eve@example.org');
  expect(toEve.length).toBeGreaterThan(0);
  expect(sink.recipients.flat()).not.toContain('opfer@example.org');
  for (const mail of toEve) {
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).not.toMatch(/[\r\n]/);
  }
});

test('agents hear of new requests, the assignee of customer replies; the setting turns both off', async () => {
  const ticket = openRequest('Benachrichtigung');
  expect(mailsTo(await delivered(), agent.email).map((mail) => mail.subject)).toEqual([`[#${ticket.id}] Neue Anfrage: Benachrichtigung`]);

  t.services.agentTickets.assign(agent, ticket.id, agent.id);
  t.services.tickets.customerReplies(customer, ticket.id, { body: 'Noch eine Frage zur Weiche.', markSolved: false });
  const notices = mailsTo(await delivered(), agent.email);
  expect(notices).toHaveLength(1);
  expect(notices[0]!.text).toContain('Noch eine Frage zur Weiche.');

  t.services.settings.update({ notifyAgents: false });
  const quiet = openRequest('Leise');
  t.services.agentTickets.assign(agent, quiet.id, agent.id);
  t.services.tickets.customerReplies(customer, quiet.id, { body: 'Hallo?', markSolved: false });
  expect(mailsTo(await delivered(), agent.email)).toEqual([]);
});

test('one acknowledgement an hour per address for anonymous posts', async () => {
  const post = () => new WebClient(t.app).submit('/requests/new', '/requests/new', { name: 'Flut', email: 'flut@example.org', subject: 'Spam?', description: 'x' });
  await post();
  await post();
  expect(mailsTo(await delivered(), 'flut@example.org')).toHaveLength(1);
  t.clock.advance(61 * 60_000);
  await post();
  expect(mailsTo(await delivered(), 'flut@example.org')).toHaveLength(1);
});

test('a mail that fails for good shows on the agent page and on the admin page, and "Erneut senden" sends it', async () => {
  await createUser(t, 'admin@shop.example.test', { name: 'Max Admin', role: 'admin' });
  const ticket = openRequest('Unzustellbar');
  await delivered();
  sink.answers = [{ code: 550, message: 'mailbox unavailable' }];
  answer(ticket.id, 'Diese Antwort kommt nicht an.');
  await delivered();
  const row = t.db.select().from(outbox).where(eq(outbox.kind, 'agent_answer')).all().find((mail) => mail.ticketId === ticket.id)!;
  expect(row.status).toBe('failed');

  const admin = await loggedInClient(t, 'admin@shop.example.test');
  const page = await admin.get(`/agent/requests/${ticket.id}`);
  expect(page.body).toContain('E-Mail nicht zustellbar');
  expect(page.body).toContain('mailbox unavailable');
  const list = await admin.get('/agent/mail');
  expect(list.body).toContain('Fehlgeschlagen');
  expect(list.body).toContain('mailbox unavailable');

  const retry = await admin.submit('/agent/mail', `/agent/mail/${row.id}/retry`, {});
  expect(retry.statusCode).toBe(303);
  const mails = await delivered();
  expect(mailsTo(mails, customer.email).map((mail) => mail.subject)).toEqual([`[#${ticket.id}] Unzustellbar`]);
  expect(t.db.select().from(outbox).where(eq(outbox.id, row.id)).get()!.status).toBe('sent');

  const asAgent = await loggedInClient(t, agent.email);
  expect((await asAgent.get('/agent/mail')).statusCode).toBe(403);
});
