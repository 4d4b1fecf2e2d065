// Shared steps of the request page tests (requests*.test.ts): set up requests as other use cases would, and read the pages.
import { asc, eq } from 'drizzle-orm';
import { type Ticket, ticketEvents, ticketMessages, tickets } from '../../src/db/schema.js';
import { insertMessage } from '../../src/modules/tickets/tickets-repository.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import type { TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, type WebClient } from '../helpers/web-client.js';

let nextPerson = 0;

/** A customer with a password, and a client logged in as them. Every call makes a new person. */
export async function customerWithClient(t: TestApp, name = 'Karla Kundin') {
  nextPerson += 1;
  const user = await createUser(t, `kundin${nextPerson}@example.org`, { name });
  const client = await loggedInClient(t, user.email);
  return { user, client };
}

export async function createAgent(t: TestApp, name = 'Anna Agentin') {
  nextPerson += 1;
  return createUser(t, `agentin${nextPerson}@shop.example.test`, { name, role: 'agent' });
}

/** Changes a request directly, for states that no customer use case reaches yet (agent answers, auto-close). */
export function changeTicket(t: TestApp, id: number, changes: Partial<typeof tickets.$inferInsert>): void {
  t.db.update(tickets).set(changes).where(eq(tickets.id, id)).run();
}

export function ticketRow(t: TestApp, id: number): Ticket {
  return t.db.select().from(tickets).where(eq(tickets.id, id)).get()!;
}

export function messagesOf(t: TestApp, ticketId: number) {
  return t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId)).orderBy(asc(ticketMessages.id)).all();
}

export function eventsOf(t: TestApp, ticketId: number) {
  return t.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id)).all();
}

export function statusEventsOf(t: TestApp, ticketId: number) {
  return eventsOf(t, ticketId)
    .filter((event) => event.kind === 'status')
    .map((event) => ({ actorId: event.actorId, from: event.fromValue, to: event.toValue }));
}

export function addMessage(t: TestApp, ticketId: number, authorId: number, body: string, visibility: 'public' | 'internal' = 'public') {
  return insertMessage(t.db, { ticketId, authorId, visibility, body, channel: 'web', createdAt: t.clock.now() });
}

/** The request ids listed on a "Meine Aktivitäten" page, top to bottom. */
export function listedIds(html: string): number[] {
  return [...html.matchAll(/<td>#(\d+)<\/td>/g)].map((match) => Number(match[1]));
}

/** Each listed row as the customer reads it. */
export function listedRows(html: string) {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return body.split('<tr>').slice(1).map((row) => ({
    id: Number(row.match(/<td>#(\d+)<\/td>/)?.[1]),
    subject: row.match(/<a href="\/requests\/\d+">([^<]*)<\/a>/)?.[1],
    times: [...row.matchAll(/<time datetime="[^"]*">([^<]*)<\/time>/g)].map((match) => match[1]),
    status: row.match(/<span class="badge [^"]*">([^<]*)<\/span>/)?.[1],
  }));
}

/** The "Ältere Anfragen" link of a list page, if any. */
export function olderLink(html: string): string | undefined {
  const href = html.match(/<a href="([^"]*)">Ältere Anfragen<\/a>/)?.[1];
  return href?.replaceAll('&amp;', '&');
}

/** The text of one fact in the side panel of a request page. */
export function fact(html: string, term: string): string | undefined {
  const value = html.match(new RegExp(`<dt>${term}</dt><dd>(.*?)</dd>`, 's'))?.[1];
  return value?.replace(/<[^>]+>/g, '').trim();
}

/** A page with its per-render CSRF tokens blanked, so that two renders of the same page compare equal. */
export function withoutCsrfTokens(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

/** The hidden and text fields of the form on a page that holds the given button, as a browser would send them. */
export function formWithButton(html: string, buttonText: string): { action: string; fields: Record<string, string> } {
  const form = html.split('<form').slice(1).map((markup) => markup.split('</form>')[0]!).find((markup) => markup.includes(buttonText));
  if (!form) throw new Error(`no form with a button "${buttonText}"`);
  const action = form.match(/action="([^"]+)"/)![1]!;
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[input[1]!] = decodeEntities(input[2]!);
  }
  return { action, fields };
}

function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

/** Posts a reply the way the request page's form does. */
export function reply(client: WebClient, ticketId: number, fields: { body?: string; markSolved?: boolean }) {
  const form: Record<string, string> = { body: fields.body ?? '' };
  if (fields.markSolved) form.markSolved = '1';
  return client.submit(`/requests/${ticketId}`, `/requests/${ticketId}/replies`, form);
}

/** A CSRF token of this client's session, taken from any page's logout form, for posts that no page of theirs offers. */
export async function anyCsrfToken(client: WebClient): Promise<string> {
  return csrfTokenOf((await client.get('/account')).body, '/logout');
}
