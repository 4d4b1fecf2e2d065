// GDPR erasure: after "Person löschen" (or users:erase) nothing of the person remains (search, outbox, files, raw mails,
// sessions, links), their requests stay as anonymous shells, the rest of the shop is untouched, and nothing revives them.
import { existsSync } from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  adminAuditLog, inboundMails, kbComments, kbVotes, outbox, passwordTokens, satisfactionRatings, sessions,
  ticketEvents, ticketMessages, tickets, users,
} from '../../src/db/schema.js';
import { runUsersEraseCommand } from '../../src/modules/privacy/privacy-cli.js';
import { defaultPassword } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';
import { mailFixture } from './inbound-mails.js';
import {
  attachmentRows, filePathOf, karla, karlaWords, kbSearchHits, otto, privacyShop, type PrivacyShop, rawMailPathOf,
  ticketSearchHits, ticketSearchWordCount, wholeDatabaseText,
} from './privacy-people.js';

let t: TestApp;
let shop: PrivacyShop;
let before: {
  karlaFiles: string[]; ottoFiles: string[]; karlaRaw: string; ottoRaw: string; answerMessageId: string;
  ticketStatuses: Map<number, string>; eventCount: number; ottoMessages: number; ottoMails: number;
};

beforeAll(async () => {
  t = await testApp();
  shop = await privacyShop(t);
  const karlaMessageIds = t.db.select({ id: ticketMessages.id }).from(ticketMessages)
    .where(inArray(ticketMessages.ticketId, [shop.mailTicketId, shop.formTicketId])).all().map((row) => row.id);
  const files = attachmentRows(t);
  const raw = (address: string) => t.db.select().from(inboundMails).where(eq(inboundMails.fromAddress, address)).get()!.storageKey;
  before = {
    karlaFiles: files.filter((file) => karlaMessageIds.includes(file.messageId!)).map((file) => filePathOf(t, file.storageKey)),
    ottoFiles: files.filter((file) => !karlaMessageIds.includes(file.messageId!)).map((file) => filePathOf(t, file.storageKey)),
    karlaRaw: rawMailPathOf(t, raw(karla.email)),
    ottoRaw: rawMailPathOf(t, raw(otto.email)),
    answerMessageId: t.db.select().from(outbox).where(eq(outbox.ticketId, shop.formTicketId)).all().find((mail) => mail.kind === 'agent_answer')!.messageId,
    ticketStatuses: new Map(t.db.select().from(tickets).all().map((ticket) => [ticket.id, ticket.status])),
    eventCount: t.db.select().from(ticketEvents).all().length,
    ottoMessages: t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, shop.ottoTicketId)).all().length,
    ottoMails: t.db.select().from(outbox).where(eq(outbox.toAddress, otto.email)).all().length,
  };
  // Everything the checks below look for is really there before the erasure.
  expect(before.karlaFiles).toHaveLength(2);
  expect(before.ottoFiles).toHaveLength(2);
  expect([...before.karlaFiles, ...before.ottoFiles, before.karlaRaw, before.ottoRaw].every((path) => existsSync(path))).toBe(true);
  expect(ticketSearchHits(t, karlaWords.body)).toBe(1);
  expect(ticketSearchHits(t, karlaWords.subject)).toBe(1);
  expect(ticketSearchHits(t, 'Bestellnummer')).toBe(1);
  expect(ticketSearchHits(t, 'angerufen')).toBe(1);
  expect(ticketSearchWordCount(t, karlaWords.body)).toBe(1);
  expect(ticketSearchWordCount(t, karlaWords.subject)).toBe(1);
  expect(wholeDatabaseText(t)).toContain(karla.email);
  expect(wholeDatabaseText(t)).toContain(karlaWords.comment);
});
afterAll(async () => { await t.close(); });

describe('"Person löschen" on /agent/privacy', () => {
  test('first shows whom it would erase and changes nothing', async () => {
    const confirm = await shop.adminClient.submit('/agent/privacy', '/agent/privacy/erase', { email: karla.email });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<h1>Person löschen</h1>');
    expect(confirm.body).toContain(`<strong>${karla.name}</strong> (${karla.email}, Kundenkonto #${shop.karlaUser.id}) mit 2 Anfragen`);
    expect(confirm.body).toContain('action="/agent/privacy/erase/confirm"');
    expect(t.db.select().from(users).where(eq(users.id, shop.karlaUser.id)).get()!.erasedAt).toBeNull();
  });

  test('refuses team accounts and unknown addresses on the page', async () => {
    const team = await shop.adminClient.submit('/agent/privacy', '/agent/privacy/erase', { email: shop.agent.email });
    expect(team.statusCode).toBe(422);
    expect(team.body).toContain('Diese Adresse gehört zu einem Teamkonto.');
    const unknown = await shop.adminClient.submit('/agent/privacy', '/agent/privacy/erase', { email: 'niemand@example.org' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('Zu dieser E-Mail-Adresse gibt es kein Konto.');
  });

  test('"Endgültig löschen" erases the person and says so', async () => {
    const confirm = await shop.adminClient.submit('/agent/privacy', '/agent/privacy/erase', { email: karla.email });
    const response = await shop.adminClient.post('/agent/privacy/erase/confirm', { _csrf: csrfTokenOf(confirm.body, '/agent/privacy/erase/confirm'), email: karla.email });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/privacy?hinweis=geloescht');
    expect((await shop.adminClient.get('/agent/privacy?hinweis=geloescht')).body).toContain('Die Person wurde gelöscht.');
  });
});

describe('after the erasure', () => {
  test('the account can no longer log in, its name and address are placeholders, its sessions and links are gone', async () => {
    const account = t.db.select().from(users).where(eq(users.id, shop.karlaUser.id)).get()!;
    expect(account).toMatchObject({
      name: `Gelöschte Person #${account.id}`, email: `geloescht-${account.id}@invalid`, passwordHash: null, lastLoginAt: null,
    });
    expect(account.disabledAt).not.toBeNull();
    expect(account.erasedAt).toEqual(t.clock.now());
    expect(t.db.select().from(sessions).where(eq(sessions.userId, account.id)).all()).toEqual([]);
    expect(t.db.select().from(passwordTokens).where(eq(passwordTokens.userId, account.id)).all()).toEqual([]);
    // The browser she was logged in with is anonymous now.
    expect((await shop.karlaClient.get('/requests')).statusCode).toBe(303);
    const login = await new WebClient(t.app).submit('/login', '/login', { email: karla.email, password: defaultPassword });
    expect(login.statusCode).toBe(422);
  });

  test('nothing of her is found by the agents\' search or the KB search (FTS5 MATCH)', async () => {
    for (const word of [karlaWords.body, karlaWords.subject, 'Bestellnummer', 'angerufen']) expect(ticketSearchHits(t, word), word).toBe(0);
    expect(kbSearchHits(t, karlaWords.comment)).toBe(0);
    expect(ticketSearchHits(t, otto.word)).toBe(1);
    // The search's word table counts messages per word: her words went with her messages.
    for (const word of [karlaWords.body, karlaWords.subject]) expect(ticketSearchWordCount(t, word), word).toBe(0);
    expect(ticketSearchWordCount(t, otto.word)).toBe(1);
    const search = await shop.adminClient.get(`/agent/search?q=${encodeURIComponent(karlaWords.body)}`);
    expect(search.body).not.toContain(`#${shop.formTicketId}`);
  });

  test('her messages, files and raw mail are deleted from the database and the disk; Otto\'s stay', () => {
    expect(t.db.select().from(ticketMessages).where(inArray(ticketMessages.ticketId, [shop.mailTicketId, shop.formTicketId])).all()).toEqual([]);
    expect(before.karlaFiles.filter((path) => existsSync(path))).toEqual([]);
    expect(existsSync(before.karlaRaw)).toBe(false);
    expect(before.ottoFiles.every((path) => existsSync(path))).toBe(true);
    expect(existsSync(before.ottoRaw)).toBe(true);
    expect(attachmentRows(t)).toHaveLength(2);
    expect(t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, shop.ottoTicketId)).all()).toHaveLength(before.ottoMessages);
    const herRawMail = t.db.select().from(inboundMails).where(eq(inboundMails.ticketId, shop.mailTicketId)).get()!;
    expect(herRawMail).toMatchObject({ fromAddress: null, subject: null, messageId: null });
    expect(herRawMail.rawDeletedAt).not.toBeNull();
  });

  test('no mail to her or about her requests is left in the outbox; Otto\'s mail is', () => {
    const mails = t.db.select().from(outbox).all();
    expect(mails.filter((mail) => mail.toAddress === karla.email)).toEqual([]);
    expect(mails.filter((mail) => mail.ticketId === shop.mailTicketId || mail.ticketId === shop.formTicketId)).toEqual([]);
    expect(mails.filter((mail) => mail.toAddress === otto.email)).toHaveLength(before.ottoMails);
  });

  test('her comment (with the team\'s answer) and her vote are gone; Otto\'s stay', () => {
    const comments = t.db.select().from(kbComments).all();
    expect(comments.map((comment) => comment.body)).toEqual([`Bei mir war der ${otto.word} heil.`]);
    expect(t.db.select().from(kbVotes).all().map((vote) => vote.voterKey)).toEqual([`user:${shop.ottoUser.id}`]);
  });

  test('no table holds her address, her name or anything she wrote', () => {
    const everything = wholeDatabaseText(t);
    for (const trace of [karla.email, karla.name, karlaWords.body, karlaWords.subject, karlaWords.rating, karlaWords.comment, 'Frau Kundin']) {
      expect(everything.includes(trace), trace).toBe(false);
    }
    expect(everything).toContain(otto.word);
    expect(everything).toContain(otto.email);
  });

  test('her requests stay as anonymous shells: status, events and the rating (without comment) count on', () => {
    const shells = t.db.select().from(tickets).where(inArray(tickets.id, [shop.mailTicketId, shop.formTicketId])).all();
    expect(shells.map((ticket) => [ticket.subject, ticket.status, ticket.requesterId])).toEqual([
      ['Gelöschte Anfrage', before.ticketStatuses.get(shop.mailTicketId), shop.karlaUser.id],
      ['Gelöschte Anfrage', 'solved', shop.karlaUser.id],
    ]);
    expect(t.db.select().from(ticketEvents).all()).toHaveLength(before.eventCount);
    expect(t.db.select().from(satisfactionRatings).where(eq(satisfactionRatings.ticketId, shop.formTicketId)).get())
      .toMatchObject({ rating: 'good', comment: null, agentId: shop.agent.id });
    const ottoTicket = t.db.select().from(tickets).where(eq(tickets.id, shop.ottoTicketId)).get()!;
    expect(ottoTicket.subject).toBe('Beschädigte Verpackung, Fotos anbei');
  });

  test('the audit log records who erased whom and when, and nothing of what was erased', () => {
    const entry = t.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, 'person_erased')).get()!;
    expect(entry).toMatchObject({ actorId: shop.admin.id, targetUserId: shop.karlaUser.id, at: t.clock.now() });
    // Six messages: her mail with the note on its refused file, her form request with two answers and a note. One comment
    // of hers (the team's answer goes with it).
    expect(entry.details).toEqual({ via: 'agent', requests: 2, messages: 6, files: 2, comments: 1, mails: expect.any(Number) });
  });
});

describe('her requests are never revived', () => {
  test('a mail from her old address answering our old mail becomes a new customer\'s request; the shell stays untouched', async () => {
    const shellMessages = () => t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, shop.formTicketId)).all();
    const ingested = await t.services.inbound.ingest(mailFixture('reply-gmail-de.eml', {
      FROM: karla.email, IN_REPLY_TO: before.answerMessageId, REFERENCES: before.answerMessageId, TICKET: shop.formTicketId,
    }), 'pipe');
    expect(ingested.status).toBe('stored');
    const processed = ingested.status === 'stored' ? ingested.processed! : undefined;
    expect(processed?.outcome).toBe('new_request');
    const created = t.db.select().from(tickets).where(eq(tickets.id, processed!.ticketId!)).get()!;
    expect(created.followUpOfId).toBeNull();
    const newcomer = t.db.select().from(users).where(eq(users.email, karla.email)).get()!;
    expect(newcomer.id).not.toBe(shop.karlaUser.id);
    expect(created.requesterId).toBe(newcomer.id);
    expect(shellMessages()).toEqual([]);
    expect(t.db.select().from(tickets).where(eq(tickets.id, shop.formTicketId)).get()!.status).toBe('solved');
  });

  test('the rating link in her old mail leads nowhere', async () => {
    const link = t.services.ratingLinks.mailBlocks(shop.formTicketId);
    const url = JSON.stringify(link).match(/\/ratings\/[^"?]+/)![0];
    expect((await new WebClient(t.app).get(url)).statusCode).toBe(404);
  });
});

describe('npm run cli -- users:erase --email E', () => {
  test('erases a customer, refuses team accounts and unknown addresses, and is logged as the command line', async () => {
    const lines: string[] = [];
    expect(await runUsersEraseCommand(t.services.privacy, ['--email', otto.email], (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^Erased account ${shop.ottoUser.id}: 1 requests kept as anonymous shells`));
    expect(before.ottoFiles.filter((path) => existsSync(path))).toEqual([]);
    expect(existsSync(before.ottoRaw)).toBe(false);
    expect(ticketSearchHits(t, otto.word)).toBe(0);
    expect(ticketSearchWordCount(t, otto.word)).toBe(0);
    expect(await runUsersEraseCommand(t.services.privacy, ['--email', shop.agent.email], () => undefined)).toBe(1);
    expect(await runUsersEraseCommand(t.services.privacy, ['--email', otto.email], () => undefined)).toBe(1);
    expect(await runUsersEraseCommand(t.services.privacy, [], () => undefined)).toBe(2);
    const entry = t.db.select().from(adminAuditLog).where(eq(adminAuditLog.targetUserId, shop.ottoUser.id)).get()!;
    expect(entry).toMatchObject({ actorId: null, action: 'person_erased', details: expect.objectContaining({ via: 'cli' }) });
    // The team and the admin are still there and can work.
    expect((await shop.adminClient.get('/agent/audit')).statusCode).toBe(200);
  });
});
