// Working one request in /agent: the page, answers and notes, what reaches the customer, assignment, priority, spam, collisions, requests for customers.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { outbox, tickets, users } from '../../src/db/schema.js';
import { formatDateTime } from '../../src/lib/dates.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf } from '../helpers/web-client.js';
import {
  agentFact, agentMessages, allViews, answer, assigneeShown, customer, customerWithPortal, eventLines, newRequest, openAndPress, press,
  selectedOption, sendFromAgentPage, staffWithClient, viewsListing,
} from './agent-pages.js';
import { changeTicket, eventsOf, fact, messagesOf, reply, ticketRow } from './request-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });
// Each test reads only the mail its own steps caused.
beforeEach(async () => { await t.mailbox.receive(); });

const hour = 60 * 60_000;
const agentViewsWithoutQueue = allViews.filter((key) => key !== 'zu-pruefen');

function snapshot(ticketId: number) {
  return { ticket: ticketRow(t, ticketId), messages: messagesOf(t, ticketId), events: eventsOf(t, ticketId) };
}

describe('the agent request page', () => {
  test('shows the whole thread with internal notes set apart, the events, the requester and their other requests', async () => {
    const { user: agent, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const requester = await customer(t, 'Karla Kundin');
    const stranger = await customer(t, 'Sven Fremd');
    const earlier = newRequest(t, requester, 'Frühere Bestellung');
    const strangers = newRequest(t, stranger, 'Fremde Anfrage');
    t.clock.advance(hour);
    const ticket = newRequest(t, requester, 'Lok fehlt', 'In meinem Paket fehlt die Lok.');
    t.clock.advance(hour);
    answer(t, agent, ticket.id, 'pending', 'Welche Bestellnummer?');
    t.clock.advance(hour);
    answer(t, agent, ticket.id, 'pending', 'Kunde ist Stammkunde.', 'internal');
    t.clock.advance(hour);
    t.services.tickets.customerReplies(requester, ticket.id, { body: 'Bestellung 100234.', markSolved: false });

    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>#${ticket.id} Lok fehlt</h1>`);
    expect(agentMessages(page.body).map(({ internal, author, body }) => ({ internal, author, body }))).toEqual([
      { internal: false, author: 'Karla Kundin', body: 'In meinem Paket fehlt die Lok.' },
      { internal: false, author: 'Anna Agentin', body: 'Welche Bestellnummer?' },
      { internal: true, author: 'Anna Agentin', body: 'Kunde ist Stammkunde.' },
      { internal: false, author: 'Karla Kundin', body: 'Bestellung 100234.' },
    ]);
    expect(page.body).toMatch(/<li class="message message-internal[^"]*" id="nachricht-\d+">/);
    expect(eventLines(page.body)).toEqual([
      'Karla Kundin: hat die Anfrage angelegt',
      'Anna Agentin: Status: Neu → Wartet auf Kunde',
      'Anna Agentin: zugewiesen an Anna Agentin',
      'Karla Kundin: Status: Wartet auf Kunde → Offen',
    ]);
    expect(agentFact(page.body, 'Status')).toBe('Offen');
    expect(agentFact(page.body, 'Kanal')).toBe('Kontaktformular');
    const customerPanel = page.body.split('<h3>Kunde</h3>')[1]!;
    expect(customerPanel).toContain(`Karla Kundin<br><a href="mailto:${requester.email}">${requester.email}</a>`);
    expect(customerPanel).toContain(`<a href="/agent/requests/${earlier.id}">#${earlier.id} Frühere Bestellung</a> (Neu)`);
    expect(customerPanel).not.toContain(`/agent/requests/${ticket.id}"`);
    expect(customerPanel).not.toContain(`/agent/requests/${strangers.id}"`);
  });

  test.each(['999999', 'abc', '1.5', '-1'])('a missing or impossible request %j answers 404', async (id) => {
    const { client } = await staffWithClient(t, 'agent');
    const response = await client.get(`/agent/requests/${id}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Seite nicht gefunden');
  });

  test('every action on a missing request answers 404 and writes nothing', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const token = csrfTokenOf((await client.get('/agent/views/meine')).body, '/logout');
    const mailsBefore = t.db.select({ n: count() }).from(outbox).get();
    const attempts: Array<[string, Record<string, string>]> = [
      ['replies', { body: 'Hallo', visibility: 'public', status: 'pending', lastSeenMessageId: '999999' }],
      ['replies', { body: 'Notiz', visibility: 'internal', status: 'pending', lastSeenMessageId: '999999' }],
      ['assign', { assignee: 'me' }],
      ['priority', { priority: 'high' }],
      ['spam', { spam: '1' }],
    ];
    for (const [action, fields] of attempts) {
      const response = await client.post(`/agent/requests/999999/${action}`, { _csrf: token, ...fields });
      expect({ action, status: response.statusCode }).toEqual({ action, status: 404 });
    }
    expect(t.db.select({ n: count() }).from(outbox).get()).toEqual(mailsBefore);
  });
});

describe('a public answer', () => {
  test('reaches the customer page and their mailbox, with "Wartet auf Kunde" as the default status', async () => {
    const { user: agent, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester, client: customerClient } = await customerWithPortal(t, 'Karla Kundin');
    const ticket = newRequest(t, requester, 'Lok fehlt');
    await t.mailbox.receive();

    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(page.body).toContain('<label for="status">Status nach dem Senden</label>');
    expect(selectedOption(page.body, 'status')).toBe('Wartet auf Kunde');
    expect(page.body).toContain('<input type="radio" id="visibility-public" name="visibility" value="public" checked>');
    t.clock.advance(hour);
    const sent = await press(client, page.body, 'Senden', { body: 'Wir schicken die Lok heute nach.\nBitte bestätigen Sie den Empfang.', visibility: 'public', status: 'pending' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/agent/requests/${ticket.id}?hinweis=gesendet`);
    const after = await client.get(sent.headers.location as string);
    expect(after.body).toContain('Ihre Antwort wurde gespeichert.');
    expect(agentFact(after.body, 'Status')).toBe('Wartet auf Kunde');
    expect(assigneeShown(after.body)).toBe(agent.name);

    const customerPage = await customerClient.get(`/requests/${ticket.id}`);
    expect(customerPage.body).toContain('Wir schicken die Lok heute nach.\nBitte bestätigen Sie den Empfang.');
    expect(customerPage.body).toContain('<strong>Anna vom Servicecenter</strong>');
    expect(fact(customerPage.body, 'Status')).toBe('Wartet auf Ihre Antwort');
    expect(fact(customerPage.body, 'Letzte Aktivität')).toBe(formatDateTime(t.clock.now()));

    const mail = await t.mailbox.receiveOne(requester.email);
    expect(mail.subject).toBe(`[#${ticket.id}] Lok fehlt`);
    expect(mail.text).toContain('  Wir schicken die Lok heute nach.\n  Bitte bestätigen Sie den Empfang.');
    expect(mail.text).toContain(`${testPublicUrl}/requests/${ticket.id}`);
    expect(mail.text).toContain('In meinem Paket fehlt die Lok.');
  });

  test.each([
    ['open', 'Offen', 'Offen'],
    ['on_hold', 'In Wartestellung', 'Offen'],
    ['solved', 'Gelöst', 'Gelöst'],
  ] as const)('with "Status nach dem Senden" %s leaves the request %s, shown to the customer as %s', async (status, agentLabel, customerLabel) => {
    const { client } = await staffWithClient(t, 'agent');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    await t.mailbox.receive();

    expect((await sendFromAgentPage(client, ticket.id, { body: 'Hier ist unsere Antwort.', status })).statusCode).toBe(303);
    expect(agentFact((await client.get(`/agent/requests/${ticket.id}`)).body, 'Status')).toBe(agentLabel);
    expect(fact((await customerClient.get(`/requests/${ticket.id}`)).body, 'Status')).toBe(customerLabel);
    expect((await t.mailbox.receiveOne(requester.email)).text).toContain('Hier ist unsere Antwort.');
  });

  test.each(['', '  \n '])('that is empty (%j) is refused in German and writes nothing', async (body) => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const before = snapshot(ticket.id);
    const response = await sendFromAgentPage(client, ticket.id, { body });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Bitte schreiben Sie eine Antwort oder Notiz.');
    expect(response.body).toMatch(/id="body"[^>]*aria-invalid="true"/);
    expect(snapshot(ticket.id)).toEqual(before);
  });

  test('to a closed request is refused with a German message, and the page offers no reply form', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    changeTicket(t, ticket.id, { status: 'closed' });
    await t.mailbox.receive();
    const before = snapshot(ticket.id);

    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(page.body).toContain('Diese Anfrage ist geschlossen.');
    expect(page.body).not.toContain(`action="/agent/requests/${ticket.id}/replies"`);
    for (const visibility of ['public', 'internal']) {
      const response = await client.post(`/agent/requests/${ticket.id}/replies`, {
        _csrf: csrfTokenOf(page.body, `/agent/requests/${ticket.id}/priority`), body: 'Noch eine Antwort', visibility, status: 'pending',
        lastSeenMessageId: String(before.messages.at(-1)!.id),
      });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Diese Anfrage ist geschlossen und nimmt keine Antworten mehr an.');
    }
    expect(snapshot(ticket.id)).toEqual(before);
    expect((await t.mailbox.receive()).filter((mail) => mail.to === requester.email)).toEqual([]);
  });
});

describe('an internal note', () => {
  test('shows to agents only: never on the customer page, never in any mail', async () => {
    const { client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester, 'Rücksendung');
    const notes = ['GEHEIM-1: Kunde hat schon dreimal reklamiert.', 'GEHEIM-2: Kulanz bis 50 Euro ist freigegeben.'];

    expect((await sendFromAgentPage(client, ticket.id, { body: notes[0]!, visibility: 'internal', status: 'solved' })).statusCode).toBe(303);
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'new', lastPublicBy: 'customer', assigneeId: null });
    expect((await sendFromAgentPage(client, ticket.id, { body: 'Wir holen das Paket ab.', status: 'pending' })).statusCode).toBe(303);
    expect((await sendFromAgentPage(client, ticket.id, { body: notes[1]!, visibility: 'internal' })).statusCode).toBe(303);
    t.services.tickets.customerReplies(requester, ticket.id, { body: 'Wann kommt der Fahrer?', markSolved: false });
    expect((await sendFromAgentPage(client, ticket.id, { body: 'Morgen zwischen 8 und 12 Uhr.', status: 'pending' })).statusCode).toBe(303);

    const agentPage = await client.get(`/agent/requests/${ticket.id}`);
    expect(agentMessages(agentPage.body).filter((message) => message.internal).map((message) => message.body)).toEqual(notes);

    const customerPage = await customerClient.get(`/requests/${ticket.id}`);
    expect(customerPage.body).toContain('Morgen zwischen 8 und 12 Uhr.');
    expect(customerPage.body).not.toContain('GEHEIM');
    expect(customerPage.body).not.toContain('Interne Notiz');

    const mails = await t.mailbox.receive();
    const toCustomer = mails.filter((mail) => mail.to === requester.email);
    expect(toCustomer.map((mail) => mail.subject)).toEqual([`[#${ticket.id}] Ihre Anfrage ist eingegangen`, `[#${ticket.id}] Rücksendung`, `[#${ticket.id}] Rücksendung`]);
    expect(toCustomer[1]!.text).toContain('Wir holen das Paket ab.');
    expect(toCustomer[2]!.text).toContain('Morgen zwischen 8 und 12 Uhr.');
    for (const mail of mails) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('GEHEIM');
    }
    // Also whatever is still queued or failed: every mail the app ever wrote for this request.
    for (const row of t.db.select().from(outbox).where(eq(outbox.ticketId, ticket.id)).all()) {
      expect(`${row.subject}\n${row.textBody}\n${row.htmlBody ?? ''}`).not.toContain('GEHEIM');
    }
  });
});

describe('every agent action moves the customer\'s "Letzte Aktivität", and only that shows', () => {
  test('note, assignment, priority change, answer', async () => {
    const { client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const colleague = await staffWithClient(t, 'agent', 'Bernd Bearbeiter');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    const lastActivity = async () => fact((await customerClient.get(`/requests/${ticket.id}`)).body, 'Letzte Aktivität');
    expect(await lastActivity()).toBe(formatDateTime(t.clock.now()));

    const steps: Array<[string, () => Promise<{ statusCode: number }>]> = [
      ['note', () => sendFromAgentPage(client, ticket.id, { body: 'Intern: beim Lager nachfragen.', visibility: 'internal' })],
      ['Mir zuweisen', () => openAndPress(client, `/agent/requests/${ticket.id}`, 'Mir zuweisen')],
      ['Zuweisen', () => openAndPress(client, `/agent/requests/${ticket.id}`, 'Zuweisen', { assignee: String(colleague.user.id) })],
      ['Priorität', () => openAndPress(client, `/agent/requests/${ticket.id}`, 'Priorität setzen', { priority: 'urgent' })],
      ['answer', () => sendFromAgentPage(client, ticket.id, { body: 'Wir sind dran.', status: 'open' })],
    ];
    for (const [step, act] of steps) {
      t.clock.advance(3 * hour);
      expect({ step, status: (await act()).statusCode }).toEqual({ step, status: 303 });
      expect({ step, shown: await lastActivity() }).toEqual({ step, shown: formatDateTime(t.clock.now()) });
    }
    const customerPage = (await customerClient.get(`/requests/${ticket.id}`)).body;
    expect(customerPage).not.toMatch(/beim Lager|Dringend|Priorität/);
    expect(fact(customerPage, 'Bearbeitet von')).toBe('Bernd');
  });
});

describe('assignment', () => {
  test('"Mir zuweisen" makes a new request open and shows the assignee, to agents and to the customer', async () => {
    const { user: agent, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(assigneeShown(page.body)).toBe('niemandem');
    expect(agentFact(page.body, 'Status')).toBe('Neu');

    const response = await press(client, page.body, 'Mir zuweisen');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/agent/requests/${ticket.id}?hinweis=zugewiesen`);
    const after = (await client.get(response.headers.location as string)).body;
    expect(after).toContain('Die Zuweisung wurde geändert.');
    expect(assigneeShown(after)).toBe('Anna Agentin');
    expect(agentFact(after, 'Status')).toBe('Offen');
    expect(selectedOption(after, 'assignee')).toBe('Anna Agentin');
    expect(eventLines(after).slice(-2)).toEqual(['Anna Agentin: zugewiesen an Anna Agentin', 'Anna Agentin: Status: Neu → Offen']);
    expect(ticketRow(t, ticket.id)).toMatchObject({ assigneeId: agent.id, status: 'open' });
    expect(fact((await customerClient.get(`/requests/${ticket.id}`)).body, 'Bearbeitet von')).toBe('Anna');
    expect(fact((await customerClient.get(`/requests/${ticket.id}`)).body, 'Status')).toBe('Offen');
  });

  test('the select offers the active team, never customers; taking the assignment away keeps the request open', async () => {
    const { client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const colleague = await staffWithClient(t, 'lead', 'Bernd Bearbeiter');
    const requester = await customer(t, 'Karla Kundin');
    const ticket = newRequest(t, requester);
    const page = await client.get(`/agent/requests/${ticket.id}`);
    const select = page.body.split('<select id="assignee"')[1]!.split('</select>')[0]!;
    expect(select).toContain(`<option value="${colleague.user.id}">Bernd Bearbeiter</option>`);
    expect(select).toContain('<option value="none">niemandem</option>');
    expect(select).not.toContain('Karla Kundin');

    const assigned = await press(client, page.body, 'Zuweisen', { assignee: String(colleague.user.id) });
    expect(assigned.statusCode).toBe(303);
    let after = (await client.get(`/agent/requests/${ticket.id}`)).body;
    expect(assigneeShown(after)).toBe('Bernd Bearbeiter');
    expect(agentFact(after, 'Status')).toBe('Offen');

    const taken = await press(client, after, 'Zuweisen', { assignee: 'none' });
    expect(taken.statusCode).toBe(303);
    after = (await client.get(`/agent/requests/${ticket.id}`)).body;
    expect(assigneeShown(after)).toBe('niemandem');
    expect(agentFact(after, 'Status')).toBe('Offen');
    expect(eventLines(after)).toContain('Anna Agentin: Zuweisung entfernt (vorher Bernd Bearbeiter)');
  });

  test.each([
    ['a customer', 'customer', 'Diese Person kann keine Anfragen bearbeiten.'],
    ['nobody known', '999999', 'Diese Person kann keine Anfragen bearbeiten.'],
    ['garbage', 'alle', 'Bitte wählen Sie, wem die Anfrage zugewiesen wird.'],
    ['nothing', '', 'Bitte wählen Sie, wem die Anfrage zugewiesen wird.'],
  ])('to %s is refused in German and changes nothing', async (_what, choice, message) => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const before = snapshot(ticket.id);
    const assignee = choice === 'customer' ? String(requester.id) : choice;
    const response = await openAndPress(client, `/agent/requests/${ticket.id}`, 'Zuweisen', { assignee });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(snapshot(ticket.id)).toEqual(before);
  });
});

describe('priority', () => {
  test('offers Niedrig, Normal, Hoch, Dringend and records the change', async () => {
    const { client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const page = await client.get(`/agent/requests/${ticket.id}`);
    const options = [...page.body.split('<select id="priority"')[1]!.split('</select>')[0]!.matchAll(/<option value="([^"]+)"[^>]*>([^<]+)<\/option>/g)];
    expect(options.map((option) => [option[1], option[2]])).toEqual([['low', 'Niedrig'], ['normal', 'Normal'], ['high', 'Hoch'], ['urgent', 'Dringend']]);
    expect(selectedOption(page.body, 'priority')).toBe('Normal');

    const response = await press(client, page.body, 'Priorität setzen', { priority: 'high' });
    expect(response.statusCode).toBe(303);
    const after = (await client.get(response.headers.location as string)).body;
    expect(after).toContain('Die Priorität wurde geändert.');
    expect(selectedOption(after, 'priority')).toBe('Hoch');
    expect(eventLines(after)).toContain('Anna Agentin: Priorität: Normal → Hoch');
  });

  test('an unknown priority is refused in German', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const before = snapshot(ticket.id);
    const response = await openAndPress(client, `/agent/requests/${ticket.id}`, 'Priorität setzen', { priority: 'sofort' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Bitte wählen Sie eine Priorität.');
    expect(snapshot(ticket.id)).toEqual(before);
  });
});

describe('spam', () => {
  test('hides the request from every view but "Spam"; undoing brings it back where its status puts it', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester, 'Günstige Uhren');
    expect(await viewsListing(client, ticket.id, agentViewsWithoutQueue)).toEqual(['nicht-zugewiesen', 'alle-offenen']);

    const marked = await openAndPress(client, `/agent/requests/${ticket.id}`, 'Spam');
    expect(marked.statusCode).toBe(303);
    const page = (await client.get(marked.headers.location as string)).body;
    expect(page).toContain('Die Anfrage ist als Spam markiert und erscheint in keiner Ansicht mehr.');
    expect(page).toContain('Diese Anfrage ist als Spam markiert und erscheint in keiner Ansicht.');
    expect(await viewsListing(client, ticket.id, agentViewsWithoutQueue)).toEqual(['spam']);

    const undone = await press(client, page, 'Kein Spam');
    expect(undone.statusCode).toBe(303);
    expect((await client.get(undone.headers.location as string)).body).toContain('Die Anfrage ist nicht mehr als Spam markiert.');
    expect(await viewsListing(client, ticket.id, agentViewsWithoutQueue)).toEqual(['nicht-zugewiesen', 'alle-offenen']);
  });
});

describe('the collision guard', () => {
  test('refuses a submit when the customer wrote in between, marks the new message, keeps the text; the next submit goes through', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    await t.mailbox.receive();
    const loaded = await client.get(`/agent/requests/${ticket.id}`);
    const firstMessage = messagesOf(t, ticket.id)[0]!;
    expect(loaded.body).toContain(`<input type="hidden" name="lastSeenMessageId" value="${firstMessage.id}">`);

    expect((await reply(customerClient, ticket.id, { body: 'Ach, und die Waggons fehlen auch.' })).statusCode).toBe(303);
    const customerMessage = messagesOf(t, ticket.id).at(-1)!;
    const before = snapshot(ticket.id);
    const typed = 'Wir schicken die Lok <sofort> nach.';

    const refused = await press(client, loaded.body, 'Senden', { body: typed, visibility: 'public', status: 'solved' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Inzwischen ist eine neue Nachricht eingegangen (unten markiert).');
    expect(agentMessages(refused.body).filter((message) => message.isNew).map((message) => message.id)).toEqual([customerMessage.id]);
    expect(refused.body).toContain('>Wir schicken die Lok &lt;sofort&gt; nach.</textarea>');
    expect(selectedOption(refused.body, 'status')).toBe('Gelöst');
    expect(snapshot(ticket.id)).toEqual(before);
    expect((await t.mailbox.receive()).filter((mail) => mail.to === requester.email)).toEqual([]);

    const sent = await press(client, refused.body, 'Senden', { body: typed, visibility: 'public', status: 'solved' });
    expect(sent.statusCode).toBe(303);
    expect(messagesOf(t, ticket.id).at(-1)).toMatchObject({ body: typed, visibility: 'public' });
    expect(ticketRow(t, ticket.id).status).toBe('solved');
    expect((await t.mailbox.receiveOne(requester.email)).text).toContain(typed);
  });

  test("another agent's note counts as news too; the agent's own messages do not", async () => {
    const { client } = await staffWithClient(t, 'agent');
    const colleague = await staffWithClient(t, 'agent', 'Bernd Bearbeiter');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);

    const ownTab = await client.get(`/agent/requests/${ticket.id}`);
    expect((await sendFromAgentPage(client, ticket.id, { body: 'Eigene Notiz aus dem anderen Tab.', visibility: 'internal' })).statusCode).toBe(303);
    expect((await press(client, ownTab.body, 'Senden', { body: 'Noch eine eigene Notiz.', visibility: 'internal', status: 'pending' })).statusCode).toBe(303);

    const loaded = await client.get(`/agent/requests/${ticket.id}`);
    expect((await sendFromAgentPage(colleague.client, ticket.id, { body: 'Bernd: Ich rufe die Kundin an.', visibility: 'internal' })).statusCode).toBe(303);
    const refused = await press(client, loaded.body, 'Senden', { body: 'Antwort', visibility: 'public', status: 'pending' });
    expect(refused.statusCode).toBe(409);
    expect(agentMessages(refused.body).filter((message) => message.isNew).map((message) => message.body)).toEqual(['Bernd: Ich rufe die Kundin an.']);
  });
});

describe('"Anfrage für Kunden anlegen"', () => {
  const form = (fields: Record<string, string>) => ({
    email: '', name: '', subject: '', description: '', channel: 'phone', answer: '', status: 'pending', ...fields,
  });

  test('offers the fields with German labels, Telefon and "Wartet auf Kunde" chosen', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const page = await client.get('/agent/requests/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Anfrage für Kunden anlegen</h1>');
    for (const label of ['E-Mail-Adresse', 'Name', 'Betreff', 'Telefon', 'Brief', 'Status nach dem Senden']) {
      expect(page.body).toMatch(new RegExp(`<label for="[^"]+">${label}</label>`));
    }
    expect(page.body).toContain('<input type="radio" id="channel-phone" name="channel" value="phone" checked>');
    expect(selectedOption(page.body, 'status')).toBe('Wartet auf Kunde');
  });

  test('for an existing customer by phone, without an answer: a new request in their name, acknowledged by mail', async () => {
    const { user: agent, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const { user: requester, client: customerClient } = await customerWithPortal(t, 'Karla Kundin');
    const response = await client.submit('/agent/requests/new', '/agent/requests/new', form({
      email: requester.email.toUpperCase(), name: 'Anderer Name', subject: 'Anruf: Lieferadresse ändern', description: 'Neue Adresse: Hauptstr. 1', channel: 'phone',
    }));
    expect(response.statusCode).toBe(303);
    const id = Number((response.headers.location as string).match(/^\/agent\/requests\/(\d+)\?hinweis=angelegt$/)?.[1]);
    const page = (await client.get(response.headers.location as string)).body;
    expect(page).toContain('Die Anfrage wurde angelegt.');
    expect(agentFact(page, 'Kanal')).toBe('Telefon');
    expect(agentFact(page, 'Status')).toBe('Neu');
    expect(agentMessages(page).map(({ author, body }) => ({ author, body }))).toEqual([{ author: 'Karla Kundin', body: 'Neue Adresse: Hauptstr. 1' }]);
    expect(eventLines(page)).toEqual(['Anna Agentin: hat die Anfrage angelegt']);
    expect(ticketRow(t, id)).toMatchObject({ requesterId: requester.id, channel: 'phone', status: 'new', assigneeId: null });
    expect(t.db.select().from(users).where(eq(users.id, requester.id)).get()!.name).toBe('Karla Kundin');
    expect(agent.id).not.toBe(requester.id);

    const customerPage = (await customerClient.get(`/requests/${id}`)).body;
    expect(fact(customerPage, 'Kanal')).toBe('Telefon');
    expect(customerPage).toContain('Neue Adresse: Hauptstr. 1');
    expect((await t.mailbox.receiveOne(requester.email)).subject).toBe(`[#${id}] Ihre Anfrage ist eingegangen`);
  });

  test('for a new customer by letter, with an answer: the customer is created without a password, the answer mailed, the status as chosen', async () => {
    const { user: agent, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const response = await client.submit('/agent/requests/new', '/agent/requests/new', form({
      email: 'Brief.Schreiber@Example.org', name: 'Berta Brief', subject: 'Brief: Garantie', description: 'Frau Brief fragt nach der Garantie.',
      channel: 'letter', answer: 'Die Garantie beträgt zwei Jahre.', status: 'solved',
    }));
    expect(response.statusCode).toBe(303);
    const id = Number((response.headers.location as string).match(/^\/agent\/requests\/(\d+)/)?.[1]);
    const created = t.db.select().from(users).where(eq(users.email, 'brief.schreiber@example.org')).get()!;
    expect(created).toMatchObject({ name: 'Berta Brief', role: 'customer', passwordHash: null });
    expect(ticketRow(t, id)).toMatchObject({ requesterId: created.id, channel: 'letter', status: 'solved', assigneeId: agent.id, lastPublicBy: 'agent' });

    const page = (await client.get(`/agent/requests/${id}`)).body;
    expect(agentFact(page, 'Kanal')).toBe('Brief');
    expect(agentFact(page, 'Status')).toBe('Gelöst');
    expect(agentMessages(page).map(({ author, body }) => ({ author, body }))).toEqual([
      { author: 'Berta Brief', body: 'Frau Brief fragt nach der Garantie.' },
      { author: 'Anna Agentin', body: 'Die Garantie beträgt zwei Jahre.' },
    ]);

    const mail = await t.mailbox.receiveOne('brief.schreiber@example.org');
    expect(mail.subject).toBe(`[#${id}] Brief: Garantie`);
    expect(mail.text).toContain('Die Garantie beträgt zwei Jahre.');
    expect(mail.text).toContain(`${testPublicUrl}/requests/${id}`);
  });

  test('with an answer and the default status, the request waits for the customer', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const response = await client.submit('/agent/requests/new', '/agent/requests/new', form({
      email: requester.email, name: requester.name, subject: 'Rückruf', description: 'Bitte um Rückruf.', answer: 'Welche Nummer dürfen wir anrufen?',
    }));
    expect(response.statusCode).toBe(303);
    const id = Number((response.headers.location as string).match(/^\/agent\/requests\/(\d+)/)?.[1]);
    expect(ticketRow(t, id).status).toBe('pending');
    expect((await t.mailbox.receiveOne(requester.email)).text).toContain('Welche Nummer dürfen wir anrufen?');
  });

  test.each([
    ['everything missing', {}, ['Bitte geben Sie Ihre E-Mail-Adresse an.', 'Bitte geben Sie den Namen der Kundin oder des Kunden an.', 'Bitte geben Sie einen Betreff an.', 'Bitte halten Sie fest, was die Kundin oder der Kunde möchte.']],
    ['an invalid address', { email: 'keine-adresse', name: 'Karl', subject: 'Betreff', description: 'Text' }, ['Bitte geben Sie eine gültige E-Mail-Adresse an']],
    ['the web channel', { email: 'karl@example.org', name: 'Karl', subject: 'Betreff', description: 'Text', channel: 'web' }, ['Bitte wählen Sie Telefon oder Brief.']],
    ['an overlong subject', { email: 'karl@example.org', name: 'Karl', subject: 'x'.repeat(500), description: 'Text' }, ['Der Betreff darf höchstens']],
  ])('with %s is refused with German messages (422), keeps the input and creates nothing', async (_what, fields, messages) => {
    const { client } = await staffWithClient(t, 'agent');
    const ticketsBefore = t.db.select({ n: count() }).from(tickets).get();
    const usersBefore = t.db.select({ n: count() }).from(users).get();
    const response = await client.submit('/agent/requests/new', '/agent/requests/new', form({ ...fields, answer: 'Schon getippte Antwort' }));
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('text/html');
    for (const message of messages) expect(response.body).toContain(message);
    expect(response.body).toContain('>Schon getippte Antwort</textarea>');
    expect(t.db.select({ n: count() }).from(tickets).get()).toEqual(ticketsBefore);
    expect(t.db.select({ n: count() }).from(users).get()).toEqual(usersBefore);
  });
});
