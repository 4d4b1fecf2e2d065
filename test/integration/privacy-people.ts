// Shared steps of the GDPR tests: two customers with requests, mails, files, ratings and comments, and the traces to look for.
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { attachments, kbComments } from '../../src/db/schema.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';
import type { WebClient } from '../helpers/web-client.js';
import { answer } from './agent-pages.js';
import { mailFixture } from './inbound-mails.js';

/** Words only Karla wrote: no other row of the shop holds them, so any trace of them is a trace of her. */
export const karlaWords = { subject: 'Schnabelwagen', body: 'Quastenflosser', rating: 'Pfauenauge', comment: 'Klappbrückenwärter' };
export const karla = { email: 'karla@example.org', name: 'Karla Kundin' };
export const otto = { email: 'otto@example.org', name: 'Otto Normal', word: 'Brummkreisel' };

/** The mail fixture with attachments, as sent by Otto (the fixture signs as Karla). */
function ottosMail(): Buffer {
  const raw = mailFixture('with-attachments.eml', { FROM: otto.email }).toString('latin1');
  return Buffer.from(raw.replaceAll('Karla Kundin', otto.name).replace('anbei ein Foto', `anbei ein Foto (${otto.word})`), 'latin1');
}

export type PrivacyShop = Awaited<ReturnType<typeof privacyShop>>;

/**
 * Karla: a request by mail with two files, a request by the form with an agent's answer, an internal note, a rating with a
 * comment, a KB comment with the team's answer and a vote, a login session and a password link. Otto: the same kind of
 * mail request and a KB comment. Anna answers; Adam is the admin.
 */
export async function privacyShop(t: TestApp) {
  const agent = await createUser(t, 'anna@shop.example.test', { name: 'Anna Agentin', role: 'agent' });
  const admin = await createUser(t, 'adam@shop.example.test', { name: 'Adam Admin', role: 'admin' });
  const adminClient = await loggedInClient(t, admin.email);

  const karlaUser = await createUser(t, karla.email, { name: karla.name });
  const ottoUser = await createUser(t, otto.email, { name: otto.name });

  const byMail = await t.services.inbound.ingest(mailFixture('with-attachments.eml', { FROM: karla.email }), 'pipe');
  if (byMail.status !== 'stored' || !byMail.processed?.ticketId) throw new Error('Karla\'s mail was not processed');
  const mailTicketId = byMail.processed.ticketId;

  const formTicket = t.services.tickets.createRequest({
    name: karla.name, email: karla.email, subject: `${karlaWords.subject} entgleist`, description: `Mein ${karlaWords.body} ist kaputt.`,
  });
  answer(t, agent, formTicket.id, 'pending', 'Welche Bestellnummer hat Ihr Paket, Frau Kundin?');
  answer(t, agent, formTicket.id, 'pending', 'Notiz: Kundin hat schon zweimal angerufen.', 'internal');
  answer(t, agent, formTicket.id, 'solved', 'Wir schicken Ihnen einen neuen Wagen.');
  if (t.services.ratings.rate(formTicket.id, { rating: 'good', comment: `Schnell wie ein ${karlaWords.rating}` }) !== 'saved') throw new Error('rating failed');

  const ottoMail = await t.services.inbound.ingest(ottosMail(), 'pipe');
  if (ottoMail.status !== 'stored' || !ottoMail.processed?.ticketId) throw new Error('Otto\'s mail was not processed');
  const ottoTicketId = ottoMail.processed.ticketId;
  answer(t, agent, ottoTicketId, 'pending', 'Danke, Herr Normal, wir prüfen die Fotos.');

  const kb = t.services.kb;
  const category = kb.createCategory({ name: 'Versand', description: '', position: 0 });
  const section = kb.createSection({ categoryId: category.id, name: 'Pakete', description: '', position: 0 })!;
  const article = kb.createArticle(agent, { title: 'Beschädigte Pakete melden', sectionId: section.id, body: 'So melden Sie einen Schaden.' });
  kb.publishArticle(agent, article.id);
  kb.addComment(karlaUser, article.id, `Mein ${karlaWords.comment} kam zerdrückt an.`);
  kb.addComment(ottoUser, article.id, `Bei mir war der ${otto.word} heil.`);
  const karlaComment = t.db.select().from(kbComments).where(eq(kbComments.authorId, karlaUser.id)).get()!;
  kb.answerComment(agent, karlaComment.id, 'Das tut uns leid, Frau Kundin, bitte schreiben Sie uns.');
  kb.vote(article.id, `user:${karlaUser.id}`, true);
  kb.vote(article.id, `user:${ottoUser.id}`, false);

  // Mail goes out, so the outbox holds sent mails with texts, as in a running shop.
  await t.mailbox.receive();
  const karlaClient: WebClient = await loggedInClient(t, karla.email);
  t.services.accounts.requestPasswordReset(karla.email);

  return { agent, admin, adminClient, karlaUser, ottoUser, karlaClient, mailTicketId, formTicketId: formTicket.id, ottoTicketId, articleId: article.id };
}

export function attachmentRows(t: TestApp) {
  return t.db.select().from(attachments).all();
}

export function filePathOf(t: TestApp, storageKey: string): string {
  return join(t.config.dataDir, 'attachments', storageKey);
}

export function rawMailPathOf(t: TestApp, storageKey: string): string {
  return join(t.config.dataDir, 'inbound', storageKey);
}

/** Rows of the search index whose text matches the word (FTS5 MATCH, quoted). */
export function ticketSearchHits(t: TestApp, word: string): number {
  return (t.db.$client.prepare('select count(*) as hits from ticket_search where ticket_search match ?').get(`"${word}"`) as { hits: number }).hits;
}

/** How many messages the agents' search word table counts for this word (0 when the word is not there at all). */
export function ticketSearchWordCount(t: TestApp, word: string): number {
  return (t.db.$client.prepare('select messages from ticket_search_terms where term = ?').pluck().get(word.toLowerCase()) as number | undefined) ?? 0;
}

export function kbSearchHits(t: TestApp, word: string): number {
  return (t.db.$client.prepare('select count(*) as hits from kb_search where kb_search match ?').get(`"${word}"`) as { hits: number }).hits;
}

/** Every row of every table as text (blobs become numbers): a word found here is stored somewhere. */
export function wholeDatabaseText(t: TestApp): string {
  const tables = t.db.$client.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
  return tables.map((table) => JSON.stringify(t.db.$client.prepare(`select * from "${table}"`).all())).join('\n');
}
