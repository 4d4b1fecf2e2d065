// What a mail does once it is in: new requests, answers matched safely, strangers, DMARC, noise, duplicates, crashes, files.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { attachments, outbox, ticketEvents, users } from '../../src/db/schema.js';
import { claimInboundMail } from '../../src/modules/inbound/inbound-repository.js';
import { updateTicket } from '../../src/modules/tickets/tickets-repository.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { allTickets, inboundRow, mailFixture, messagesOf, requestWithAnswer, ticketById } from './inbound-mails.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

const ingest = (raw: Buffer) => t.services.inbound.ingest(raw, 'pipe');
const outcomeOf = async (raw: Buffer) => {
  const result = await ingest(raw);
  if (result.status !== 'stored') throw new Error(`not stored: ${result.status}`);
  return result.processed!;
};
const mailsTo = (address: string, kind: string) =>
  t.db.select().from(outbox).where(and(eq(outbox.toAddress, address), eq(outbox.kind, kind))).all();

describe('a mail to the support address', () => {
  test('opens a request: the customer gets an account without password and the acknowledgement the form sends', async () => {
    const result = await outcomeOf(mailFixture('new-request.eml', { FROM: 'neu@example.org', MESSAGE_ID: 'first.mail@example.org' }));

    expect(result.outcome).toBe('new_request');
    const ticket = ticketById(t, result.ticketId!);
    expect(ticket).toMatchObject({ subject: 'Lok BR 218 fehlt im Paket', status: 'new', channel: 'email' });
    const customer = t.db.select().from(users).where(eq(users.email, 'neu@example.org')).get()!;
    expect(customer).toMatchObject({ name: 'Karla Kundin', role: 'customer', passwordHash: null });
    const [message] = messagesOf(t, ticket.id);
    expect(message).toMatchObject({ authorId: customer.id, visibility: 'public', channel: 'email', mailMessageId: '<first.mail@example.org>' });
    expect(message!.body).toBe('Guten Tag,\n\nin meinem Paket zur Bestellung 100234 fehlt die Lok BR 218. Der Karton war unbeschädigt.\n\nMit freundlichen Grüßen\nKarla Kundin');
    const [acknowledgement] = mailsTo('neu@example.org', 'acknowledgement');
    expect(acknowledgement!.headers['Auto-Submitted']).toBe('auto-replied');
    expect(acknowledgement!.textBody).toContain(`#${ticket.id}`);
    expect(acknowledgement!.textBody).toContain('/password/forgot');
  });

  test('an HTML-only mail is sanitized and turned into text', async () => {
    const result = await outcomeOf(mailFixture('html-only.eml'));
    const [message] = messagesOf(t, result.ticketId!);
    expect(message!.body).toBe('Guten Tag,\n\nich möchte Bestellung 100999 stornieren.\n\nDanke\nKarla');
    expect(message!.bodyFull).not.toMatch(/alert|<script|tracker/);
  });

  test('ISO-8859-1 with an encoded subject and sender arrives correct', async () => {
    const result = await outcomeOf(mailFixture('latin1.eml', { FROM: 'juergen@example.org' }));
    const ticket = ticketById(t, result.ticketId!);
    expect(ticket.subject).toBe('Falsche Größe bei Weiche (Spur N)');
    expect(t.db.select().from(users).where(eq(users.email, 'juergen@example.org')).get()!.name).toBe('Jürgen Müller');
    expect(messagesOf(t, ticket.id)[0]!.body).toContain('die Größe der Weiche stimmt nicht');
    expect(messagesOf(t, ticket.id)[0]!.body).toContain('Straße der Einheit 5, 04109 Leipzig');
  });

  test('Windows-1252 with euro sign and German quotation marks arrives correct', async () => {
    const result = await outcomeOf(mailFixture('windows-1252.eml', { FROM: 'juergen@example.org' }));
    expect(ticketById(t, result.ticketId!).subject).toBe('Rückerstattung 10 € – „Differenz“');
    expect(messagesOf(t, result.ticketId!)[0]!.body).toContain('der Preis im Shop war 49,90 € – berechnet wurden 59,90 €. Bitte erstatten Sie mir „die Differenz“.');
  });

  test('its files go into the attachment store with its checks; what the store refuses is named for agents', async () => {
    const result = await outcomeOf(mailFixture('with-attachments.eml'));
    const [message, note] = messagesOf(t, result.ticketId!);
    const files = t.db.select().from(attachments).where(eq(attachments.messageId, message!.id)).all();
    expect(files.map((file) => [file.filename, file.contentType])).toEqual([['karton.png', 'image/png'], ['Lieferschein März.pdf', 'application/pdf']]);
    expect(t.services.attachments.listForTicket(result.ticketId!, true)).toHaveLength(2);
    expect(note).toMatchObject({ visibility: 'internal', authorId: null });
    expect(note!.body).toContain('rechnung.pdf.exe');
  });
});

describe('an answer by mail', () => {
  test('matched by In-Reply-To alone: the pending request reopens with what the customer typed', async () => {
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('reply-gmail-de.eml', { IN_REPLY_TO: thread.inReplyTo, TICKET: 999 }));

    expect(result).toEqual({ outcome: 'reply', ticketId: thread.ticket.id });
    expect(ticketById(t, thread.ticket.id).status).toBe('open');
    const reply = messagesOf(t, thread.ticket.id).at(-1)!;
    expect(reply.body).toBe('Hallo Anna,\n\ndie Bestellnummer ist 100234.\n\nViele Grüße\nKarla');
    expect(reply.bodyFull).toContain('##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##');
    const reopened = t.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, thread.ticket.id), eq(ticketEvents.kind, 'status'))).all().at(-1);
    expect(reopened).toMatchObject({ fromValue: 'pending', toValue: 'open' });
  });

  test('matched by References alone', async () => {
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('reply-outlook-de.eml', { REFERENCES: thread.references, TICKET: 999 }));
    expect(result).toEqual({ outcome: 'reply', ticketId: thread.ticket.id });
  });

  test('matched by the signed token in the quoted footer, despite a new subject and no thread headers', async () => {
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('reply-headerless.eml', { TOKEN: thread.token, TICKET: 999 }));
    expect(result).toEqual({ outcome: 'reply', ticketId: thread.ticket.id });
    expect(messagesOf(t, thread.ticket.id).at(-1)!.body).toBe('Ich habe Ihre Mail weitergeleitet bekommen, hier die Nummer: 100234.');
  });

  test('a forged signature in Message-ID and token matches nothing: it becomes a new request', async () => {
    const thread = await requestWithAnswer(t);
    const id = thread.ticket.id;
    const result = await outcomeOf(mailFixture('reply-gmail-de.eml', {
      IN_REPLY_TO: `<t${id}.AAAAAAAAAAAA.forgedforgedforgedforg@portal.example.test>`, REFERENCES: `<ticket-${id}.forgedforgedforgedforg@portal.example.test>`,
      TOKEN: `[Ref:t${id}.forgedforged]`, TICKET: 999,
    }));
    expect(result.outcome).toBe('new_request');
    expect(result.ticketId).not.toBe(id);
    expect(ticketById(t, id).status).toBe('pending');
  });

  test('a [#123] subject tag alone counts for the requester, and for nobody else', async () => {
    const thread = await requestWithAnswer(t);
    const own = await outcomeOf(mailFixture('reply-gmail-de.eml', { TICKET: thread.ticket.id }));
    expect(own).toEqual({ outcome: 'reply', ticketId: thread.ticket.id });

    const foreign = await outcomeOf(mailFixture('reply-gmail-de.eml', { TICKET: thread.ticket.id, FROM: 'ben@example.net' }));
    expect(foreign.outcome).toBe('new_request');
    expect(messagesOf(t, thread.ticket.id).filter((message) => message.visibility === 'internal')).toEqual([]);
  });

  test('a stranger answering gets a request of their own, linked by notes, and is never added to the thread', async () => {
    const thread = await requestWithAnswer(t);
    const before = messagesOf(t, thread.ticket.id).length;
    const result = await outcomeOf(mailFixture('reply-gmail-de.eml', { IN_REPLY_TO: thread.inReplyTo, FROM: 'ben@example.net' }));

    expect(result.outcome).toBe('linked_request');
    const created = ticketById(t, result.ticketId!);
    expect(created.requesterId).not.toBe(thread.ticket.requesterId);
    expect(created.subject).toBe('Lok BR 218 fehlt im Paket');
    const original = messagesOf(t, thread.ticket.id);
    expect(original).toHaveLength(before + 1);
    expect(original.at(-1)).toMatchObject({ visibility: 'internal', authorId: null });
    expect(original.at(-1)!.body).toContain(`#${created.id}`);
    expect(messagesOf(t, created.id).find((message) => message.visibility === 'internal')!.body).toContain(`#${thread.ticket.id}`);
    expect(ticketById(t, thread.ticket.id).status).toBe('pending');
  });

  test('mail from an agent\'s address is never an agent answer', async () => {
    const thread = await requestWithAnswer(t);
    const answersBefore = mailsTo('karla@example.org', 'agent_answer').length;
    const result = await outcomeOf(mailFixture('reply-gmail-de.eml', { IN_REPLY_TO: thread.inReplyTo, FROM: thread.agent.email }));

    expect(result.outcome).toBe('linked_request');
    expect(messagesOf(t, thread.ticket.id).filter((message) => message.visibility === 'public' && message.authorId === thread.agent.id)).toHaveLength(1);
    expect(mailsTo('karla@example.org', 'agent_answer')).toHaveLength(answersBefore);
  });

  test('DMARC failed at our trusted server: kept, flagged for agents, and it reopens nothing', async () => {
    t.services.settings.update({ trustedAuthservId: 'mx.shop.example.test' });
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('dmarc-fail.eml', { IN_REPLY_TO: thread.inReplyTo, TICKET: thread.ticket.id }));

    expect(result).toEqual({ outcome: 'reply', ticketId: thread.ticket.id });
    expect(ticketById(t, thread.ticket.id).status).toBe('pending');
    expect(messagesOf(t, thread.ticket.id).at(-1)).toMatchObject({ suspicious: true, visibility: 'public' });
    await createUser(t, 'lea@shop.example.test', { name: 'Lea Lead', role: 'lead' });
    const page = await (await loggedInClient(t, 'lea@shop.example.test')).get(`/agent/requests/${thread.ticket.id}`);
    expect(page.body).toContain('Verdächtig');
    expect(page.body).toContain('DMARC-Prüfung');
  });

  test('an untrusted server\'s DMARC verdict is ignored', async () => {
    const thread = await requestWithAnswer(t);
    await outcomeOf(mailFixture('dmarc-fail.eml', { IN_REPLY_TO: thread.inReplyTo }));
    expect(ticketById(t, thread.ticket.id).status).toBe('open');
  });

  test('an answer to a solved request reopens it; to a closed one it creates the follow-up', async () => {
    const solved = await requestWithAnswer(t, { status: 'solved' });
    await outcomeOf(mailFixture('reply-iphone-de.eml', { IN_REPLY_TO: solved.inReplyTo }));
    expect(ticketById(t, solved.ticket.id).status).toBe('open');

    const closed = await requestWithAnswer(t, { status: 'solved' });
    updateTicket(t.db, closed.ticket.id, { status: 'closed' });
    const result = await outcomeOf(mailFixture('reply-thunderbird-de.eml', { IN_REPLY_TO: closed.inReplyTo }));
    expect(result.outcome).toBe('follow_up');
    expect(ticketById(t, result.ticketId!)).toMatchObject({ followUpOfId: closed.ticket.id, subject: `Folgeanfrage zu #${closed.ticket.id}: Lok BR 218 fehlt im Paket`, channel: 'email' });
    expect(ticketById(t, closed.ticket.id).status).toBe('closed');
  });
});

describe('German replies from each client keep exactly what was typed', () => {
  test.each([
    ['reply-gmail-de.eml', 'Hallo Anna,\n\ndie Bestellnummer ist 100234.\n\nViele Grüße\nKarla'],
    ['reply-outlook-de.eml', 'Hallo,\n\ndie Bestellnummer lautet 100234. Die Rechnung hänge ich nicht an, die haben Sie ja.\n\nMit freundlichen Grüßen\nKarla Kundin'],
    ['reply-iphone-de.eml', 'Passt, danke!'],
    ['reply-thunderbird-de.eml', 'Hallo Anna,\n\nanbei nichts, die Nummer ist 100234.\n\nGruß\nKarla'],
  ])('%s', async (fixture, typed) => {
    const thread = await requestWithAnswer(t);
    await outcomeOf(mailFixture(fixture, { IN_REPLY_TO: thread.inReplyTo, REFERENCES: thread.references, TICKET: thread.ticket.id, TOKEN: thread.token }));
    const reply = messagesOf(t, thread.ticket.id).at(-1)!;
    expect(reply.body).toBe(typed);
    expect(reply.bodyFull).toContain(thread.token);
  });
});

describe('loops and noise never open, reopen or get an acknowledgement', () => {
  test('an auto-reply on a solved request becomes a note and the request stays solved', async () => {
    const thread = await requestWithAnswer(t, { status: 'solved' });
    const acknowledgements = mailsTo('karla@example.org', 'acknowledgement').length;
    const result = await outcomeOf(mailFixture('auto-reply-exchange.eml', { IN_REPLY_TO: thread.inReplyTo, REFERENCES: thread.references, TICKET: thread.ticket.id }));

    expect(result).toEqual({ outcome: 'auto_reply_note', ticketId: thread.ticket.id });
    expect(ticketById(t, thread.ticket.id).status).toBe('solved');
    const note = messagesOf(t, thread.ticket.id).at(-1)!;
    expect(note).toMatchObject({ visibility: 'internal', authorId: null });
    expect(note.body).toContain('Automatische Antwort von karla@example.org (Auto-Submitted: auto-generated)');
    expect(note.body).toContain('bis einschließlich 4. Dezember');
    expect(mailsTo('karla@example.org', 'acknowledgement')).toHaveLength(acknowledgements);
  });

  test('a vacation reply (X-Autoreply, Precedence: bulk) to no known request, and a mailing list, open nothing', async () => {
    expect((await outcomeOf(mailFixture('auto-reply-vacation.eml'))).outcome).toBe('auto_reply_ignored');
    expect((await outcomeOf(mailFixture('mailing-list.eml'))).outcome).toBe('auto_reply_ignored');
    expect(allTickets(t)).toEqual([]);
    expect(t.db.select().from(outbox).all()).toEqual([]);
  });

  test('a hard bounce marks our mail as undeliverable, and the request page shows it', async () => {
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('bounce-postfix.eml', { ORIGINAL_MESSAGE_ID: thread.answer.messageId, TICKET: thread.ticket.id }));

    expect(result).toEqual({ outcome: 'bounce', ticketId: thread.ticket.id });
    const mail = t.db.select().from(outbox).where(eq(outbox.id, thread.answer.id)).get()!;
    expect(mail.status).toBe('failed');
    expect(mail.lastError).toContain('5.1.1');
    expect(ticketById(t, thread.ticket.id).status).toBe('pending');
    expect(allTickets(t)).toHaveLength(1);
    const agent = await loggedInClient(t, thread.agent.email);
    expect((await agent.get(`/agent/requests/${thread.ticket.id}`)).body).toContain('E-Mail nicht zustellbar: Unzustellbar (Rückläufer): karla@example.org: 5.1.1');
  });

  test('a delayed-delivery report changes nothing', async () => {
    const thread = await requestWithAnswer(t);
    const result = await outcomeOf(mailFixture('bounce-delayed.eml', { ORIGINAL_MESSAGE_ID: thread.answer.messageId }));
    expect(result.outcome).toBe('bounce_temporary');
    expect(t.db.select().from(outbox).where(eq(outbox.id, thread.answer.id)).get()!.status).not.toBe('failed');
  });

  test('our own mails coming back open nothing: by their Message-ID, or by our address as sender', async () => {
    const thread = await requestWithAnswer(t);
    const echoed = await outcomeOf(mailFixture('new-request.eml', { MESSAGE_ID: thread.answer.messageId.replace(/^<|>$/g, '') }));
    const fromUs = await outcomeOf(mailFixture('new-request.eml', { FROM: 'support+t1.abc@shop.example.test' }));
    expect([echoed.outcome, fromUs.outcome]).toEqual(['loop', 'loop']);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('more than 20 mails in an hour from one sender wait in quarantine until an agent lets them through', async () => {
    for (let i = 0; i < 20; i++) expect((await outcomeOf(mailFixture('new-request.eml', { FROM: 'flut@example.net' }))).outcome).toBe('new_request');
    const held = await ingest(mailFixture('new-request.eml', { FROM: 'flut@example.net' }));
    expect(held.status === 'stored' && held.processed?.outcome).toBe('quarantine');
    expect(allTickets(t)).toHaveLength(20);

    await createUser(t, 'anna@shop.example.test', { name: 'Anna Agentin', role: 'agent' });
    const agent = await loggedInClient(t, 'anna@shop.example.test');
    const list = await agent.get('/agent/inbound');
    expect(list.body).toContain('In Quarantäne');
    expect(list.body).toContain('flut@example.net');
    const mailId = held.status === 'stored' ? held.mailId : 0;
    const released = await agent.submit('/agent/inbound', `/agent/inbound/${mailId}/release`, {});
    expect(released.headers.location).toBe('/agent/inbound?hinweis=freigegeben');
    expect(allTickets(t)).toHaveLength(21);
    expect(inboundRow(t, mailId)).toMatchObject({ status: 'processed', outcome: 'new_request' });

    t.clock.advance(3600_000 + 1000);
    expect((await outcomeOf(mailFixture('new-request.eml', { FROM: 'flut@example.net' }))).outcome).toBe('new_request');
  });
});

test('a mail without a sender address waits for an agent instead of opening a request nobody can be told about', async () => {
  const raw = Buffer.from(mailFixture('new-request.eml').toString('latin1').replace(/^From: .*$/m, 'From: undisclosed-recipients:;'), 'latin1');
  const result = await ingest(raw);
  expect(result.status === 'stored' && result.processed).toEqual({ outcome: 'no_sender', ticketId: null });
  expect(inboundRow(t, 1).status).toBe('quarantined');
  expect(allTickets(t)).toEqual([]);
});

describe('stored first, applied exactly once', () => {
  test('the same mail delivered twice, byte for byte or with other transport headers, is stored and applied once', async () => {
    const raw = mailFixture('new-request.eml', { MESSAGE_ID: 'twice@example.org' });
    const first = await ingest(raw);
    const again = await ingest(raw);
    const relayed = await ingest(Buffer.concat([Buffer.from('Received: from relay.example.net by mx.shop.example.test\r\n'), raw]));
    expect(first.status).toBe('stored');
    expect([again.status, relayed.status]).toEqual(['duplicate', 'duplicate']);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('a different mail that reuses a Message-ID (broken clients do) is not mistaken for a duplicate', async () => {
    const first = await ingest(mailFixture('new-request.eml', { MESSAGE_ID: 'reused@example.org', FROM: 'erste@example.org' }));
    const second = await ingest(mailFixture('html-only.eml', { MESSAGE_ID: 'reused@example.org', FROM: 'zweite@example.org' }));
    expect([first.status, second.status]).toEqual(['stored', 'stored']);
    expect(allTickets(t)).toHaveLength(2);
    expect(messagesOf(t, 1)[0]!.mailMessageId).toBe('<reused@example.org>');
    expect(messagesOf(t, 2)[0]!.mailMessageId).toBeNull();
  });

  test('a crash after storing: the sweep applies the mail once', async () => {
    const stored = t.services.inbound.store(mailFixture('new-request.eml'), 'imap');
    expect(stored.status).toBe('stored');
    expect(allTickets(t)).toEqual([]);
    expect(await t.services.inbound.sweep()).toBe(1);
    expect(await t.services.inbound.sweep()).toBe(0);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('a worker that died holding the lease: nobody applies the mail until the lease runs out, then once', async () => {
    const stored = t.services.inbound.store(mailFixture('new-request.eml'), 'smtp');
    const mailId = stored.status === 'stored' ? stored.mailId : 0;
    claimInboundMail(t.db, mailId, t.clock.now(), new Date(t.clock.now().getTime() + 5 * 60_000));
    expect(await t.services.inbound.process(mailId)).toEqual({ outcome: 'not_claimed', ticketId: null });
    expect(await t.services.inbound.sweep()).toBe(0);
    t.clock.advance(5 * 60_000 + 1);
    expect(await t.services.inbound.sweep()).toBe(1);
    expect(allTickets(t)).toHaveLength(1);
  });

  test('a failure while processing leaves nothing half done; the mail is tried again, and after five tries agents see it', async () => {
    const stored = t.services.inbound.store(mailFixture('new-request.eml'), 'pipe');
    const mailId = stored.status === 'stored' ? stored.mailId : 0;
    const file = join(t.config.dataDir, 'inbound', inboundRow(t, mailId).storageKey);
    renameSync(file, `${file}.away`);
    expect((await t.services.inbound.process(mailId)).outcome).toBe('error');
    expect(inboundRow(t, mailId)).toMatchObject({ status: 'received', attempts: 1 });
    for (let attempt = 2; attempt <= 5; attempt++) await t.services.inbound.process(mailId);
    expect(inboundRow(t, mailId).status).toBe('failed');
    expect(allTickets(t)).toEqual([]);

    renameSync(`${file}.away`, file);
    expect(await t.services.inbound.decide(mailId, 'release')).toBe(true);
    expect(inboundRow(t, mailId)).toMatchObject({ status: 'processed', outcome: 'new_request' });
    expect(allTickets(t)).toHaveLength(1);
  });

  test('a mail above the size limit is refused without being stored', async () => {
    t.services.settings.update({ inboundMaxMegabytes: 1 });
    const large = Buffer.concat([mailFixture('new-request.eml'), Buffer.alloc(1024 * 1024, 'a')]);
    expect(await ingest(large)).toEqual({ status: 'too_large', limitBytes: 1024 * 1024 });
    expect(allTickets(t)).toEqual([]);
  });
});

describe('the customer\'s page', () => {
  test('an answer by mail shows its own words, and behind "Zitierten Text anzeigen" the whole mail text', async () => {
    await createUser(t, 'zitat@example.org', { name: 'Karla Kundin' });
    const thread = await requestWithAnswer(t, { email: 'zitat@example.org' });
    const result = await ingest(mailFixture('reply-gmail-de.eml', { IN_REPLY_TO: thread.inReplyTo, TOKEN: thread.token, FROM: 'zitat@example.org' }));
    expect(result.status).toBe('stored');
    const customerClient = await loggedInClient(t, 'zitat@example.org');
    const page = (await customerClient.get(`/requests/${thread.ticket.id}`)).body;
    const quoted = page.split('<details class="message-quoted">');
    expect(quoted).toHaveLength(2);
    expect(quoted[1]).toContain('<summary>Zitierten Text anzeigen</summary>');
    expect(quoted[1]).toContain('##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##');
    // The first message came through the form and the agent's answer from the portal: nothing quoted there.
    expect(quoted[0]).not.toContain('##- Bitte geben Sie Ihre Antwort');
  });
});

describe('the agents\' pages', () => {
  test('"Zitierten Text anzeigen" opens the whole mail; the original can be downloaded; customers never get there', async () => {
    const thread = await requestWithAnswer(t);
    const result = await ingest(mailFixture('reply-gmail-de.eml', { IN_REPLY_TO: thread.inReplyTo, TOKEN: thread.token }));
    const mailId = result.status === 'stored' ? result.mailId : 0;
    const agent = await loggedInClient(t, thread.agent.email);

    const page = await agent.get(`/agent/requests/${thread.ticket.id}`);
    expect(page.body).toContain(`<a href="/agent/inbound/${mailId}#zitat">Zitierten Text anzeigen</a>`);
    const mailPage = await agent.get(`/agent/inbound/${mailId}`);
    expect(mailPage.statusCode).toBe(200);
    expect(mailPage.body).toContain('##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##');
    expect(mailPage.body).toContain('Antwort auf eine Anfrage');
    const original = await agent.get(`/agent/inbound/${mailId}/original`);
    expect(original.headers['content-disposition']).toBe(`attachment; filename="e-mail-${mailId}.eml"`);
    expect(original.headers['content-type']).toBe('application/octet-stream');
    expect(original.body).toContain('Subject: Re: [#');

    const customer = await createUser(t, 'kunde2@example.org');
    const customerClient = await loggedInClient(t, customer.email);
    expect((await customerClient.get(`/agent/inbound/${mailId}`)).statusCode).toBe(403);
    expect((await new WebClient(t.app).get(`/agent/inbound/${mailId}`)).statusCode).toBe(303);
  });
});
