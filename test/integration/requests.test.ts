// "Meine Aktivitäten" and the request page as customers see them: columns, filters, search, paging, conversation, privacy.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatDateTime } from '../../src/lib/dates.js';
import { createRequest } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import {
  addMessage, anyCsrfToken, changeTicket, createAgent, customerWithClient, eventsOf, fact, listedIds, listedRows, messagesOf,
  olderLink, ticketRow, withoutCsrfTokens,
} from './request-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const minute = 60_000;

describe('Meine Aktivitäten', () => {
  test('lists every request with Betreff, ID, Erstellt, Letzte Aktivität and the customer status label', async () => {
    const { user, client } = await customerWithClient(t);
    const created = t.clock.now();
    const fresh = createRequest(t, user, 'Neu eingegangen');
    const working = createRequest(t, user, 'In Bearbeitung');
    const waiting = createRequest(t, user, 'Rückfrage');
    const parked = createRequest(t, user, 'Warten auf Hersteller');
    const solved = createRequest(t, user, 'Erledigt');
    const closed = createRequest(t, user, 'Abgeschlossen');
    changeTicket(t, working.id, { status: 'open' });
    changeTicket(t, waiting.id, { status: 'pending' });
    changeTicket(t, parked.id, { status: 'on_hold' });
    changeTicket(t, solved.id, { status: 'solved' });
    changeTicket(t, closed.id, { status: 'closed' });
    const lastActivity = new Date(created.getTime() + 90 * minute);
    changeTicket(t, working.id, { lastActivityAt: lastActivity });

    const page = await client.get('/requests');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<th scope="col">Betreff<\/th><th scope="col">ID<\/th><th scope="col">Erstellt<\/th><th scope="col">Letzte Aktivität<\/th><th scope="col">Status<\/th>/);
    const rows = listedRows(page.body);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(fresh.id)).toMatchObject({ subject: 'Neu eingegangen', status: 'Offen' });
    expect(byId.get(working.id)).toMatchObject({ status: 'Offen', times: [formatDateTime(created), formatDateTime(lastActivity)] });
    expect(byId.get(waiting.id)).toMatchObject({ status: 'Wartet auf Ihre Antwort' });
    expect(byId.get(parked.id)).toMatchObject({ status: 'Offen' });
    expect(byId.get(solved.id)).toMatchObject({ status: 'Gelöst' });
    expect(byId.get(closed.id)).toMatchObject({ status: 'Gelöst' });
    expect(page.body).toContain(`<a href="/requests/${fresh.id}">Neu eingegangen</a>`);
    expect(page.body).not.toMatch(/on_hold|pending|Wartestellung|Geschlossen/);
  });

  test('shows the newest activity first, whenever the request was created', async () => {
    const { user, client } = await customerWithClient(t);
    const oldest = createRequest(t, user, 'Älteste');
    t.clock.advance(minute);
    const middle = createRequest(t, user, 'Mittlere');
    t.clock.advance(minute);
    const newest = createRequest(t, user, 'Neueste');
    t.clock.advance(minute);
    expect(listedIds((await client.get('/requests')).body)).toEqual([newest.id, middle.id, oldest.id]);

    const replied = await client.submit(`/requests/${oldest.id}`, `/requests/${oldest.id}/replies`, { body: 'Noch eine Frage' });
    expect(replied.statusCode).toBe(303);
    expect(listedIds((await client.get('/requests')).body)).toEqual([oldest.id, newest.id, middle.id]);
  });

  test('filters by the status the customer sees', async () => {
    const { user, client } = await customerWithClient(t);
    const statuses = ['new', 'open', 'on_hold', 'pending', 'solved', 'closed'] as const;
    const ids = Object.fromEntries(statuses.map((status) => {
      const ticket = createRequest(t, user, `Status ${status}`);
      changeTicket(t, ticket.id, { status });
      return [status, ticket.id];
    })) as Record<(typeof statuses)[number], number>;

    const listed = async (query: string) => (listedIds((await client.get(`/requests${query}`)).body)).sort((a, b) => a - b);
    expect(await listed('?status=offen')).toEqual([ids.new, ids.open, ids.on_hold].sort((a, b) => a - b));
    expect(await listed('?status=wartet')).toEqual([ids.pending]);
    expect(await listed('?status=geloest')).toEqual([ids.solved, ids.closed].sort((a, b) => a - b));
    expect(await listed('')).toEqual(Object.values(ids).sort((a, b) => a - b));
    expect(await listed('?status=unbekannt')).toEqual(Object.values(ids).sort((a, b) => a - b));

    const filtered = await client.get('/requests?status=wartet');
    expect(filtered.body).toContain('<option value="wartet" selected>Wartet auf Ihre Antwort</option>');
  });

  test('searches the subjects, case-insensitively, taking % and _ literally', async () => {
    const { user, client } = await customerWithClient(t);
    const rechnung = createRequest(t, user, 'Rechnung 4711 fehlt');
    const rabatt = createRequest(t, user, '100% Rabatt nicht abgezogen');
    const hundred = createRequest(t, user, '100 Euro zu viel');
    const underscore = createRequest(t, user, 'Artikel_5 defekt');
    const spaced = createRequest(t, user, 'Artikel 5 defekt');
    const backslash = createRequest(t, user, 'Pfad C:\\Lok');

    const search = async (q: string) => listedIds((await client.get(`/requests?q=${encodeURIComponent(q)}`)).body).sort((a, b) => a - b);
    expect(await search('rechnung')).toEqual([rechnung.id]);
    expect(await search('%')).toEqual([rabatt.id]);
    expect(await search('100%')).toEqual([rabatt.id]);
    expect(await search('100')).toEqual([rabatt.id, hundred.id].sort((a, b) => a - b));
    expect(await search('_')).toEqual([underscore.id]);
    expect(await search('Artikel_5')).toEqual([underscore.id]);
    expect(await search('Artikel')).toEqual([underscore.id, spaced.id].sort((a, b) => a - b));
    expect(await search('\\')).toEqual([backslash.id]);

    const none = await client.get('/requests?q=Gibtsnicht');
    expect(listedIds(none.body)).toEqual([]);
    expect(none.body).toContain('Keine Anfragen gefunden');
    expect(none.body).toContain('value="Gibtsnicht"');
  });

  test('pages by 25 with "Ältere Anfragen": 30 requests give 25 + 5, without duplicates or gaps, even with equal times', async () => {
    const { user, client } = await customerWithClient(t);
    const start = t.clock.now().getTime();
    const created = Array.from({ length: 30 }, (_, index) => {
      const ticket = createRequest(t, user, `Anfrage ${index + 1}`);
      // Three requests share each activity time, so that one group straddles the page boundary.
      changeTicket(t, ticket.id, { lastActivityAt: new Date(start + Math.floor(index / 3) * minute) });
      return ticket;
    });
    const expectedOrder = [...created]
      .sort((a, b) => ticketRow(t, b.id).lastActivityAt.getTime() - ticketRow(t, a.id).lastActivityAt.getTime() || b.id - a.id)
      .map((ticket) => ticket.id);

    const first = await client.get('/requests');
    const firstIds = listedIds(first.body);
    expect(firstIds).toHaveLength(25);
    const older = olderLink(first.body);
    expect(older).toBeDefined();
    expect(first.body).not.toContain('Neueste Anfragen');

    const second = await client.get(older!);
    const secondIds = listedIds(second.body);
    expect(secondIds).toHaveLength(5);
    expect(olderLink(second.body)).toBeUndefined();
    expect(second.body).toContain('<a href="/requests">Neueste Anfragen</a>');
    expect([...firstIds, ...secondIds]).toEqual(expectedOrder);
  });

  test('paging keeps the filter and the search', async () => {
    const { user, client } = await customerWithClient(t);
    for (let index = 0; index < 27; index += 1) {
      const ticket = createRequest(t, user, `Lieferung ${index}`);
      changeTicket(t, ticket.id, { status: 'pending' });
      createRequest(t, user, `Lieferung offen ${index}`);
      t.clock.advance(minute);
    }
    const first = await client.get('/requests?status=wartet&q=Lieferung');
    const older = olderLink(first.body)!;
    expect(older).toMatch(/status=wartet/);
    expect(older).toMatch(/q=Lieferung/);
    const second = await client.get(older);
    const ids = [...listedIds(first.body), ...listedIds(second.body)];
    expect(ids).toHaveLength(27);
    expect(new Set(ids).size).toBe(27);
    for (const id of ids) expect(ticketRow(t, id).status).toBe('pending');
  });

  test('an empty list points to the contact form', async () => {
    const { client } = await customerWithClient(t);
    const page = await client.get('/requests');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sie haben noch keine Anfragen gestellt.');
    expect(page.body).toContain('<a class="button" href="/requests/new">Anfrage einreichen</a>');
    expect(page.body).not.toContain('<table');
  });

  test("another customer's requests are never listed, not even by search or filter", async () => {
    const anna = await customerWithClient(t, 'Anna Andere');
    const ben = await customerWithClient(t, 'Ben Beispiel');
    const annas = createRequest(t, anna.user, 'Geheime Bestellung');
    const bens = createRequest(t, ben.user, 'Bens Bestellung');
    for (const query of ['', '?q=Geheime', '?q=Bestellung', '?status=offen']) {
      const ids = listedIds((await ben.client.get(`/requests${query}`)).body);
      expect(ids).not.toContain(annas.id);
    }
    expect(listedIds((await ben.client.get('/requests')).body)).toEqual([bens.id]);
    expect((await ben.client.get('/requests?q=Geheime')).body).not.toContain('Geheime Bestellung');
  });

  test('anonymous visitors are sent to the login page and back', async () => {
    const response = await new WebClient(t.app).get('/requests?status=offen');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent('/requests?status=offen')}`);
  });
});

describe('the request page', () => {
  test('shows the whole public conversation oldest first, agents as "<Vorname> vom Servicecenter", never internal notes', async () => {
    const { user, client } = await customerWithClient(t, 'Karla Kundin');
    const agent = await createAgent(t, 'Anna Agentin');
    const ticket = createRequest(t, user, 'Lok fehlt', 'In meinem Paket fehlt die Lok.');
    t.clock.advance(10 * minute);
    addMessage(t, ticket.id, agent.id, 'INTERN: Kunde hat schon zweimal reklamiert.', 'internal');
    t.clock.advance(10 * minute);
    addMessage(t, ticket.id, agent.id, 'Wir schicken die Lok nach.');
    t.clock.advance(10 * minute);
    await client.submit(`/requests/${ticket.id}`, `/requests/${ticket.id}/replies`, { body: 'Danke, bis wann etwa' });

    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.statusCode).toBe(200);
    const order = ['In meinem Paket fehlt die Lok.', 'Wir schicken die Lok nach.', 'Danke, bis wann etwa'].map((text) => page.body.indexOf(text));
    expect(order.every((position) => position > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page.body).toContain('<strong>Anna vom Servicecenter</strong>');
    expect(page.body).not.toContain('Anna Agentin');
    expect(page.body.match(/<strong>Karla Kundin<\/strong>/g)).toHaveLength(2);
    expect(page.body).not.toContain('INTERN');
    expect(page.body).not.toContain('zweimal reklamiert');
    expect(page.body.match(/class="message[ "]/g)).toHaveLength(3);
  });

  test('the side panel shows ID, status, Erstellt, Letzte Aktivität, Kanal and the first name of the assignee', async () => {
    const { user, client } = await customerWithClient(t);
    const agent = await createAgent(t, 'Bernd Bearbeiter');
    const created = t.clock.now();
    const ticket = createRequest(t, user, 'Rechnung fehlt');
    const lastActivity = new Date(created.getTime() + 3 * 60 * minute);
    changeTicket(t, ticket.id, { status: 'pending', assigneeId: agent.id, lastActivityAt: lastActivity });

    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.body).toContain('<h1>Rechnung fehlt</h1>');
    expect(fact(page.body, 'ID')).toBe(`#${ticket.id}`);
    expect(fact(page.body, 'Status')).toBe('Wartet auf Ihre Antwort');
    expect(fact(page.body, 'Erstellt')).toBe(formatDateTime(created));
    expect(fact(page.body, 'Letzte Aktivität')).toBe(formatDateTime(lastActivity));
    expect(fact(page.body, 'Kanal')).toBe('Kontaktformular');
    expect(fact(page.body, 'Bearbeitet von')).toBe('Bernd');
    expect(page.body).not.toContain('Bearbeiter');
  });

  test('an unassigned request says so', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    expect(fact((await client.get(`/requests/${ticket.id}`)).body, 'Bearbeitet von')).toBe('noch niemandem zugewiesen');
  });

  test('message text is escaped, keeps its line breaks, and links are linked', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user, '<b>Betreff</b>', '<script>alert("x")</script>\nZweite Zeile\nSiehe https://shop.example.com/a?b=1&c=2');
    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<b>Betreff</b>');
    expect(page.body).toContain('&lt;b&gt;Betreff&lt;/b&gt;');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nZweite Zeile\nSiehe ');
    expect(page.body).toContain('<a href="https://shop.example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">https://shop.example.com/a?b=1&amp;c=2</a>');
  });

  test('an open request ends with the empty reply form and the solved checkbox', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.body).toContain(`action="/requests/${ticket.id}/replies"`);
    expect(page.body).toContain('<label for="body">Ihre Antwort</label>');
    expect(page.body).toMatch(/<textarea id="body" name="body"[^>]*><\/textarea>/);
    expect(page.body).toContain('<label for="markSolved">Bitte betrachten Sie diese Anfrage als gelöst</label>');
    expect(page.body).not.toContain('Folgeanfrage erstellen');
  });
});

describe("someone else's request", () => {
  test('answers 404 with exactly the page of a missing request', async () => {
    const anna = await customerWithClient(t);
    const ben = await customerWithClient(t);
    const annas = createRequest(t, anna.user, 'Annas Geheimnis');
    const foreign = await ben.client.get(`/requests/${annas.id}`);
    const missing = await ben.client.get('/requests/999999');
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    // Only the CSRF token of the logout form differs between two renders of any page.
    expect(withoutCsrfTokens(foreign.body)).toBe(withoutCsrfTokens(missing.body));
    expect(foreign.body).not.toContain('Annas Geheimnis');
    expect(foreign.headers['content-type']).toBe(missing.headers['content-type']);
  });

  test.each(['abc', '1abc', '-1', '1.5', '0x1', '%20', '99999999999999999999'])('a non-numeric or impossible id %j answers 404', async (id) => {
    const { user, client } = await customerWithClient(t);
    createRequest(t, user);
    const response = await client.get(`/requests/${id}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Seite nicht gefunden');
  });

  test('a reply to it answers 404 and writes nothing', async () => {
    const anna = await customerWithClient(t);
    const ben = await customerWithClient(t);
    const annas = createRequest(t, anna.user);
    changeTicket(t, annas.id, { status: 'pending' });
    const before = { ticket: ticketRow(t, annas.id), messages: messagesOf(t, annas.id), events: eventsOf(t, annas.id) };
    const token = await anyCsrfToken(ben.client);
    t.clock.advance(minute);

    const attempts: Array<Record<string, string>> = [{ body: 'Ich übernehme das.' }, { body: '', markSolved: '1' }, { body: 'Fertig?', markSolved: '1', confirmed: '1' }];
    for (const fields of attempts) {
      const response = await ben.client.post(`/requests/${annas.id}/replies`, { _csrf: token, ...fields });
      expect(response.statusCode).toBe(404);
    }
    expect(ticketRow(t, annas.id)).toEqual(before.ticket);
    expect(messagesOf(t, annas.id)).toEqual(before.messages);
    expect(eventsOf(t, annas.id)).toEqual(before.events);
  });

  test('a reply to a missing request answers 404', async () => {
    const { client } = await customerWithClient(t);
    const response = await client.post('/requests/999999/replies', { _csrf: await anyCsrfToken(client), body: 'Hallo' });
    expect(response.statusCode).toBe(404);
  });
});
