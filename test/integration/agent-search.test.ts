// The search in the agent header: request numbers, customer addresses, full text over subjects and messages, and input that must never break it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { ticketMessages } from '../../src/db/schema.js';
import { maxExpansions } from '../../src/modules/tickets/ticket-search.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import type { WebClient } from '../helpers/web-client.js';
import { answer, customer, newRequest, staffWithClient } from './agent-pages.js';
import { messagesOf, olderLink } from './request-pages.js';

let t: TestApp;
let agentClient: WebClient;
let agent: Awaited<ReturnType<typeof staffWithClient>>['user'];
beforeAll(async () => {
  t = await testApp();
  ({ user: agent, client: agentClient } = await staffWithClient(t, 'agent', 'Anna Agentin'));
});
afterAll(async () => { await t.close(); });

const minute = 60_000;
const byId = (a: number, b: number) => a - b;

function search(q: string) {
  return agentClient.get(`/agent/search?q=${encodeURIComponent(q)}`);
}

/** The hits of a result page, top to bottom: which request and which message each points to. */
function hits(html: string): Array<{ ticketId: number; messageId: number }> {
  return [...html.matchAll(/<a href="\/agent\/requests\/(\d+)#nachricht-(\d+)">/g)].map((match) => ({ ticketId: Number(match[1]), messageId: Number(match[2]) }));
}

function moreLink(html: string): string | undefined {
  return html.match(/<a href="([^"]*)">Weitere Treffer<\/a>/)?.[1]?.replaceAll('&amp;', '&');
}

async function hitTickets(q: string): Promise<number[]> {
  const response = await search(q);
  expect(response.statusCode).toBe(200);
  return hits(response.body).map((hit) => hit.ticketId);
}

describe('a request number', () => {
  test.each(['#{id}', '{id}', '  #{id} '])('%j opens the request', async (pattern) => {
    const ticket = newRequest(t, await customer(t), 'Nummernsuche');
    const response = await search(pattern.replace('{id}', String(ticket.id)));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/agent/requests/${ticket.id}`);
  });

  test('of no request finds nothing and says so', async () => {
    const response = await search('#987654');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Keine Treffer für „#987654“.');
  });

  test('the agent header carries the search field on every agent page', async () => {
    const page = await agentClient.get('/agent/views/alle-offenen');
    expect(page.body).toMatch(/<form method="get" action="\/agent\/search" role="search"[^>]*>/);
    expect(page.body).toContain('<input id="agent-suche" name="q" type="search"');
    expect(page.body).toContain('<label for="agent-suche"');
  });
});

describe('a customer e-mail address', () => {
  test("lists that customer's requests, newest activity first, in any letter case", async () => {
    const requester = await customer(t, 'Paula Post');
    const other = await customer(t, 'Otto Other');
    const older = newRequest(t, requester, 'Paulas erste Anfrage');
    t.clock.advance(minute);
    const newer = newRequest(t, requester, 'Paulas zweite Anfrage');
    const foreign = newRequest(t, other, 'Ottos Anfrage');

    for (const address of [requester.email, requester.email.toUpperCase()]) {
      const response = await search(address);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(`Anfragen von <strong>${address}</strong>`);
      const listed = [...response.body.matchAll(/<a href="\/agent\/requests\/(\d+)">#\d+ ([^<]*)<\/a>/g)].map((match) => Number(match[1]));
      expect(listed).toEqual([newer.id, older.id]);
      expect(listed).not.toContain(foreign.id);
    }
  });
});

describe('full text', () => {
  test('finds words from a subject, from a later message and from an internal note', async () => {
    const requester = await customer(t);
    const ticket = newRequest(t, requester, 'Dampflokomotive Zylinderdeckel', 'Der Deckel ist gerissen.');
    answer(t, agent, ticket.id, 'pending', 'Bitte schicken Sie ein Foto vom Schornsteinaufsatz.');
    answer(t, agent, ticket.id, 'pending', 'Notiz: Lieferant Märklinfreund anrufen.', 'internal');
    const [first, later, note] = messagesOf(t, ticket.id);

    expect(hits((await search('Zylinderdeckel')).body)).toEqual([{ ticketId: ticket.id, messageId: first!.id }]);
    expect(hits((await search('schornsteinaufsatz')).body)).toEqual([{ ticketId: ticket.id, messageId: later!.id }]);
    expect(hits((await search('Märklinfreund')).body)).toEqual([{ ticketId: ticket.id, messageId: note!.id }]);
    // Words are prefixes, and every word must match.
    expect(await hitTickets('Dampflok')).toEqual([ticket.id]);
    expect(await hitTickets('Dampflokomotive Fahrrad')).toEqual([]);
  });

  test('a word finds every word it starts, also when it starts more than the word table expands', async () => {
    const requester = await customer(t);
    const engine = newRequest(t, requester, 'Lok', 'Die Rangierlokomotive ruckelt.');
    const lamp = newRequest(t, requester, 'Lampe', 'Die Rangierloklampe flackert.');
    expect((await hitTickets('Rangierlok')).sort(byId)).toEqual([engine.id, lamp.id].sort(byId));
    expect(await hitTickets('Rangierlokl')).toEqual([lamp.id]);

    // Forty words that start alike: more than maxExpansions, so FTS5's own prefix query answers.
    const many = Array.from({ length: maxExpansions + 10 }, (_, index) => `Ersatzteilnummer${String.fromCharCode(97 + (index % 26))}${index}`);
    const spares = newRequest(t, requester, 'Ersatzteile', many.join(' '));
    const oneMore = newRequest(t, requester, 'Noch eins', 'Ersatzteilnummern bitte prüfen.');
    expect((await hitTickets('Ersatzteilnummer')).sort(byId)).toEqual([spares.id, oneMore.id].sort(byId));
  });

  test('a changed message is found by its new words only, and a word leaves the word table with its last message', async () => {
    const ticket = newRequest(t, await customer(t), 'Korrektur', 'Der Glockenturmwecker klingelt nicht.');
    const [message] = messagesOf(t, ticket.id);
    expect(await hitTickets('Glockenturm')).toEqual([ticket.id]);
    t.db.update(ticketMessages).set({ body: 'Der Kirchturmwecker klingelt nicht.' }).where(eq(ticketMessages.id, message!.id)).run();
    expect(await hitTickets('Glockenturm')).toEqual([]);
    expect(await hitTickets('Kirchturm')).toEqual([ticket.id]);
    const words = () => t.db.$client.prepare("select term, messages from ticket_search_terms where term in ('glockenturmwecker', 'kirchturmwecker')").all();
    expect(words()).toEqual([{ term: 'kirchturmwecker', messages: 1 }]);
  });

  test('lists a request once, with its newest matching message, when several of its messages match', async () => {
    const ticket = newRequest(t, await customer(t), 'Kupplung Tender', 'Die Kupplung hakt.');
    answer(t, agent, ticket.id, 'pending', 'Welche Kupplung genau?');
    const [, newest] = messagesOf(t, ticket.id);
    expect(hits((await search('Kupplung')).body)).toEqual([{ ticketId: ticket.id, messageId: newest!.id }]);
  });

  test('shows subject, customer and the matching words marked', async () => {
    const requester = await customer(t, 'Hanna Hit');
    const ticket = newRequest(t, requester, 'Weiche <summt>', 'Der Weichenantrieb summt laut & <b>lange</b>.');
    const page = (await search('Weichenantrieb')).body;
    expect(page).toContain(`#${ticket.id} Weiche &lt;summt&gt;</a>`);
    expect(page).toContain('Hanna Hit');
    expect(page).toContain('Der <mark>Weichenantrieb</mark> summt laut &amp; &lt;b&gt;lange&lt;/b&gt;.');
  });

  test('lists the newest messages first and pages by 25 without duplicates or gaps', async () => {
    const requester = await customer(t);
    const messageIds: number[] = [];
    for (let index = 0; index < 31; index += 1) {
      const ticket = newRequest(t, requester, `Anfrage ${index}`, `Oberleitungsmast Nummer ${index} ist umgefallen.`);
      messageIds.push(messagesOf(t, ticket.id)[0]!.id);
      t.clock.advance(minute);
    }
    const first = await search('Oberleitungsmast');
    expect(hits(first.body)).toHaveLength(25);
    const next = moreLink(first.body);
    expect(next).toBeDefined();
    const second = await agentClient.get(next!);
    expect(second.statusCode).toBe(200);
    expect(moreLink(second.body)).toBeUndefined();
    const found = [...hits(first.body), ...hits(second.body)].map((hit) => hit.messageId);
    expect(found).toEqual([...messageIds].reverse());
  });

  test('understands umlauts with and without their dots, in any case and either Unicode form', async () => {
    const requester = await customer(t);
    const ticket = newRequest(t, requester, 'Lieferverzögerung beim Güterwagen', 'Bitte um Rückmeldung.');
    const decomposed = newRequest(t, requester, 'Anfrage vom Mac', 'Die Drehscheibe ist schwergängig.'.normalize('NFD'));
    for (const query of ['Lieferverzögerung', 'LIEFERVERZÖGERUNG', 'lieferverzogerung', 'Güterwagen', 'guterwagen', 'Lieferverzö'.normalize('NFD')]) {
      expect({ query, found: await hitTickets(query) }).toEqual({ query, found: [ticket.id] });
    }
    for (const query of ['schwergängig', 'schwergangig']) {
      expect({ query, found: await hitTickets(query) }).toEqual({ query, found: [decomposed.id] });
    }
  });

  test.each([
    ['quotes', '"Lok'],
    ['only a quote', '"'],
    ['a star', '*'],
    ['a minus', '-Lok'],
    ['NEAR(', 'NEAR(Lok Wagen'],
    ['operators', 'AND OR NOT'],
    ['column filter', 'subject:Lok'],
    ['carets and braces', '^Lok {body} (Wagen'],
    ['only punctuation', '!?.,;:()[]{}<>"\'*-+^'],
    ['500 characters', 'Lok'.repeat(167)],
    ['HTML', '<script>alert(1)</script>'],
    ['a lone #', '#'],
    ['a huge number', '#99999999999999999999'],
    ['an @ alone', '@'],
  ])('hostile input (%s) answers 200 and shows the words escaped', async (_what, query) => {
    const response = await search(query);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Suche</h1>');
    expect(response.body).not.toContain('<script>alert(1)</script>');
  });

  test('repeated or empty parameters answer 200', async () => {
    for (const url of ['/agent/search', '/agent/search?q=', '/agent/search?q=a&q=b', '/agent/search?q=Lok&before=x', '/agent/search?q=Lok&before=1&before=2']) {
      const response = await agentClient.get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    }
    expect((await agentClient.get('/agent/search')).body).toContain('Suchen Sie nach einer Anfragenummer (#123), einer E-Mail-Adresse');
  });

  test('an unknown address is searched as words', async () => {
    const requester = await customer(t);
    const ticket = newRequest(t, requester, 'Bitte an niemand.bekannt@example.org antworten');
    expect(await hitTickets('niemand.bekannt@example.org')).toEqual([ticket.id]);
  });
});

describe('older pages', () => {
  test('keep the words in the link', async () => {
    const requester = await customer(t);
    for (let index = 0; index < 26; index += 1) newRequest(t, requester, `Kupplungshaken ${index}`);
    const first = await search('Kupplungshaken');
    const next = moreLink(first.body)!;
    expect(next).toMatch(/^\/agent\/search\?q=Kupplungshaken&before=\d+$/);
    expect(olderLink(first.body)).toBeUndefined();
  });
});
