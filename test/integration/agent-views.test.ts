// The agents' views in /agent: which requests each holds, the counts in the navigation, order, paging and row markers.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { answer, customer, navCounts, newRequest, sendFromAgentPage, staffWithClient, viewIds, viewPages, viewRows } from './agent-pages.js';
import { changeTicket, ticketRow } from './request-pages.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

const minute = 60_000;
const byId = (a: number, b: number) => a - b;

describe('what each view holds', () => {
  test('every view lists exactly the requests of its status and assignee, and the navigation counts them', async () => {
    const { user: me, client } = await staffWithClient(t, 'lead', 'Lena Leiterin');
    const other = await createUser(t, 'otto@shop.example.test', { name: 'Otto Anders', role: 'agent' });
    const agentTickets = t.services.agentTickets;
    const requester = await customer(t, 'Karla Kundin');
    const request = (subject: string) => newRequest(t, requester, subject).id;

    const fresh = request('Neu und offen');
    const mineOpen = request('Mir zugewiesen');
    agentTickets.assign(me, mineOpen, me.id);
    const othersOpen = request('Otto zugewiesen');
    agentTickets.assign(me, othersOpen, other.id);
    const waitingUnassigned = request('Wartet, niemandem zugewiesen');
    answer(t, other, waitingUnassigned, 'pending');
    agentTickets.assign(other, waitingUnassigned, null);
    const mineWaiting = request('Wartet, mir zugewiesen');
    answer(t, me, mineWaiting, 'pending');
    const othersOnHold = request('Wartestellung bei Otto');
    answer(t, other, othersOnHold, 'on_hold');
    const onHoldUnassigned = request('Wartestellung, niemandem zugewiesen');
    answer(t, other, onHoldUnassigned, 'on_hold');
    agentTickets.assign(other, onHoldUnassigned, null);
    const agentSolved = request('Von uns gelöst');
    answer(t, other, agentSolved, 'solved');
    const closed = request('Geschlossen');
    answer(t, other, closed, 'solved');
    // No use case closes a request yet: that comes with the automations.
    changeTicket(t, closed, { status: 'closed' });
    const customerSolved = request('Vom Kunden gelöst');
    t.services.tickets.customerReplies(requester, customerSolved, { body: 'Danke, passt.', markSolved: true });
    const customerSolvedReviewed = request('Vom Kunden gelöst und geprüft');
    t.services.tickets.customerReplies(requester, customerSolvedReviewed, { body: 'Danke, passt.', markSolved: true });
    agentTickets.markReviewed(me, customerSolvedReviewed);
    const customerSolvedThenReplied = request('Gelöst, dann doch eine Frage');
    t.services.tickets.customerReplies(requester, customerSolvedThenReplied, { body: '', markSolved: true });
    t.services.tickets.customerReplies(requester, customerSolvedThenReplied, { body: 'Doch noch nicht angekommen.', markSolved: false });
    const spam = request('Billige Uhren');
    agentTickets.markSpam(me, spam, true);
    const spamOfMine = request('Gewinnspiel');
    answer(t, me, spamOfMine, 'pending');
    agentTickets.markSpam(me, spamOfMine, true);

    const expected: Record<string, { label: string; ids: number[] }> = {
      'nicht-zugewiesen': { label: 'Nicht zugewiesen', ids: [fresh, waitingUnassigned, onHoldUnassigned, customerSolvedThenReplied] },
      meine: { label: 'Meine offenen Anfragen', ids: [mineOpen, mineWaiting] },
      'alle-offenen': { label: 'Alle offenen', ids: [fresh, mineOpen, othersOpen, customerSolvedThenReplied] },
      wartet: { label: 'Wartet auf Kunde', ids: [waitingUnassigned, mineWaiting] },
      wartestellung: { label: 'In Wartestellung', ids: [othersOnHold, onHoldUnassigned] },
      'kuerzlich-geloest': { label: 'Kürzlich gelöst', ids: [agentSolved, customerSolved, customerSolvedReviewed] },
      'zu-pruefen': { label: 'Vom Kunden gelöst – zu prüfen', ids: [customerSolved, customerSolvedThenReplied] },
      spam: { label: 'Spam', ids: [spam, spamOfMine] },
    };
    const page = await client.get('/agent/views/nicht-zugewiesen');
    expect(navCounts(page.body)).toEqual(Object.fromEntries(Object.values(expected).map((view) => [view.label, String(view.ids.length)])));
    for (const [key, view] of Object.entries(expected)) {
      expect({ key, ids: (await viewIds(client, key)).sort(byId) }).toEqual({ key, ids: view.ids.sort(byId) });
    }
    const everywhere = (await Promise.all(Object.keys(expected).map((key) => viewIds(client, key)))).flat();
    expect(everywhere).not.toContain(closed);

    // "Meine offenen Anfragen" belongs to whoever looks.
    const otto = await loggedInClient(t, other.email);
    expect((await viewIds(otto, 'meine')).sort(byId)).toEqual([othersOpen, othersOnHold].sort(byId));
    expect((await otto.get('/agent/views/zu-pruefen')).statusCode).toBe(404);
  });

  test('a row shows subject, customer, agent status, priority and assignee', async () => {
    const { user: me, client } = await staffWithClient(t, 'agent', 'Anna Agentin');
    const requester = await customer(t, 'Karla Kundin');
    const ticket = newRequest(t, requester, 'Rechnung <doppelt>');
    t.services.agentTickets.assign(me, ticket.id, me.id);
    t.services.agentTickets.setPriority(me, ticket.id, 'urgent');

    const page = await client.get('/agent/views/meine');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Meine offenen Anfragen</h1>');
    expect(page.body).toContain('aria-current="page"><span>Meine offenen Anfragen</span>');
    expect(viewRows(page.body)).toEqual([{
      id: ticket.id, subject: 'Rechnung &lt;doppelt&gt;', customerWroteLast: true, containedQuestion: false,
      status: 'Offen', priority: 'Dringend', assignee: 'Anna Agentin',
    }]);
    expect(page.body).toContain(requester.email);
  });

  test('an empty view says so', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const page = await client.get('/agent/views/spam');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('In dieser Ansicht liegen keine Anfragen.');
    expect(page.body).not.toContain('<table');
  });

  test('/agent opens "Nicht zugewiesen"; an unknown view answers 404', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const start = await client.get('/agent');
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe('/agent/views/nicht-zugewiesen');
    for (const key of ['gibts-nicht', 'SPAM', 'constructor', '__proto__']) {
      const response = await client.get(`/agent/views/${key}`);
      expect({ key, status: response.statusCode }).toEqual({ key, status: 404 });
    }
  });
});

describe('the review queue is for team leads and admins', () => {
  test('an agent does not see it in the navigation and gets 404 for its address', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const page = await client.get('/agent/views/nicht-zugewiesen');
    expect(Object.keys(navCounts(page.body))).toEqual([
      'Nicht zugewiesen', 'Meine offenen Anfragen', 'Alle offenen', 'Wartet auf Kunde', 'In Wartestellung', 'Kürzlich gelöst', 'Spam',
    ]);
    expect(page.body).not.toContain('zu prüfen');
    const queue = await client.get('/agent/views/zu-pruefen');
    expect(queue.statusCode).toBe(404);
    expect(queue.body).toContain('Seite nicht gefunden');
  });

  test.each(['lead', 'admin'] as const)('a %s sees it, with its count', async (role) => {
    const { client } = await staffWithClient(t, role);
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    t.services.tickets.customerReplies(requester, ticket.id, { body: 'Erledigt, danke.', markSolved: true });
    const page = await client.get('/agent/views/zu-pruefen');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Vom Kunden gelöst – zu prüfen</h1>');
    expect(navCounts(page.body)['Vom Kunden gelöst – zu prüfen']).toBe('1');
    expect(viewRows(page.body).map((row) => row.id)).toEqual([ticket.id]);
  });
});

describe('counts', () => {
  test('are exact up to 99 and "99+" from 100 on', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    for (let index = 0; index < 99; index += 1) newRequest(t, requester, `Anfrage ${index}`);
    const at99 = navCounts((await client.get('/agent/views/meine')).body);
    expect(at99).toMatchObject({ 'Nicht zugewiesen': '99', 'Alle offenen': '99', 'Meine offenen Anfragen': '0', 'Wartet auf Kunde': '0', Spam: '0' });

    newRequest(t, requester, 'Die hundertste');
    const at100 = navCounts((await client.get('/agent/views/meine')).body);
    expect(at100).toMatchObject({ 'Nicht zugewiesen': '99+', 'Alle offenen': '99+', 'Meine offenen Anfragen': '0' });

    for (let index = 0; index < 30; index += 1) newRequest(t, requester, `Noch eine ${index}`);
    expect(navCounts((await client.get('/agent/views/meine')).body)['Nicht zugewiesen']).toBe('99+');
  });

  test('follow every change at once', async () => {
    const { user: me, client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const counts = async () => navCounts((await client.get('/agent/views/spam')).body);
    expect(await counts()).toMatchObject({ 'Nicht zugewiesen': '1', 'Meine offenen Anfragen': '0', 'Alle offenen': '1', Spam: '0' });

    expect((await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/assign`, { assignee: 'me' })).statusCode).toBe(303);
    expect(await counts()).toMatchObject({ 'Nicht zugewiesen': '0', 'Meine offenen Anfragen': '1', 'Alle offenen': '1' });

    answer(t, me, ticket.id, 'pending');
    expect(await counts()).toMatchObject({ 'Meine offenen Anfragen': '1', 'Alle offenen': '0', 'Wartet auf Kunde': '1' });

    t.services.agentTickets.markSpam(me, ticket.id, true);
    expect(await counts()).toMatchObject({ 'Meine offenen Anfragen': '0', 'Wartet auf Kunde': '0', Spam: '1' });
  });

  test('follow a change that another process writes to the database file', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const ticket = newRequest(t, await customer(t));
    expect(navCounts((await client.get('/agent/views/spam')).body)).toMatchObject({ 'Nicht zugewiesen': '1', Spam: '0' });

    // The CLI or a second server: its own connection to the same file.
    const other = new Database(t.services.db.$client.name);
    other.prepare('update tickets set spam_at = ? where id = ?').run(Date.now(), ticket.id);
    other.close();
    expect(navCounts((await client.get('/agent/views/spam')).body)).toMatchObject({ 'Nicht zugewiesen': '0', Spam: '1' });
  });

  test('"Meine offenen Anfragen" counts each agent\'s own requests', async () => {
    const anna = await staffWithClient(t, 'agent');
    const ben = await staffWithClient(t, 'agent');
    const ticket = newRequest(t, await customer(t));
    expect((await anna.client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/assign`, { assignee: 'me' })).statusCode).toBe(303);
    expect(navCounts((await anna.client.get('/agent/views/meine')).body)['Meine offenen Anfragen']).toBe('1');
    expect(navCounts((await ben.client.get('/agent/views/meine')).body)['Meine offenen Anfragen']).toBe('0');
  });
});

describe('order and paging', () => {
  test('newest activity first: a customer reply or an agent note moves a request to the top', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const first = newRequest(t, requester, 'Erste').id;
    t.clock.advance(minute);
    const second = newRequest(t, requester, 'Zweite').id;
    t.clock.advance(minute);
    const third = newRequest(t, requester, 'Dritte').id;
    t.clock.advance(minute);
    expect(await viewIds(client, 'alle-offenen')).toEqual([third, second, first]);

    t.services.tickets.customerReplies(requester, first, { body: 'Gibt es schon etwas Neues?', markSolved: false });
    t.clock.advance(minute);
    expect(await viewIds(client, 'alle-offenen')).toEqual([first, third, second]);

    expect((await sendFromAgentPage(client, second, { body: 'Lager fragt nach.', visibility: 'internal' })).statusCode).toBe(303);
    expect(await viewIds(client, 'alle-offenen')).toEqual([second, first, third]);
  });

  test('pages by 25 with "Ältere Anfragen", without duplicates or gaps, even where many share one time', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const created: number[] = [];
    for (let index = 0; index < 103; index += 1) {
      created.push(newRequest(t, requester, `Anfrage ${index}`).id);
      // Seven requests share each time, so equal times straddle every page boundary.
      if (index % 7 === 6) t.clock.advance(minute);
    }
    const expectedOrder = [...created].sort((a, b) =>
      ticketRow(t, b).lastActivityAt.getTime() - ticketRow(t, a).lastActivityAt.getTime() || b - a);

    const { ids, pageSizes } = await viewPages(client, 'nicht-zugewiesen');
    expect(pageSizes).toEqual([25, 25, 25, 25, 3]);
    expect(ids).toEqual(expectedOrder);

    const first = await client.get('/agent/views/nicht-zugewiesen');
    expect(first.body).not.toContain('>Neueste</a>');
    const older = first.body.match(/<a href="([^"]*)">Ältere Anfragen<\/a>/)![1]!;
    const second = await client.get(older.replaceAll('&amp;', '&'));
    expect(second.body).toContain('<a href="/agent/views/nicht-zugewiesen">Neueste</a>');
  });

  test.each(['kaputt', '1_2_3_4', '-5_1', ''])('a damaged page link %j shows the first page', async (after) => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const page = await client.get(`/agent/views/alle-offenen?after=${encodeURIComponent(after)}`);
    expect(page.statusCode).toBe(200);
    expect(viewRows(page.body).map((row) => row.id)).toEqual([ticket.id]);
  });
});

describe('"Kunde hat zuletzt geschrieben"', () => {
  test('marks requests whose last public message came from the customer; notes do not count', async () => {
    const { client } = await staffWithClient(t, 'agent');
    const requester = await customer(t);
    const ticket = newRequest(t, requester);
    const marked = async () => viewRows((await client.get('/agent/views/alle-offenen')).body).find((row) => row.id === ticket.id)?.customerWroteLast;
    expect(await marked()).toBe(true);

    expect((await sendFromAgentPage(client, ticket.id, { body: 'Wir prüfen das.', status: 'open' })).statusCode).toBe(303);
    expect(await marked()).toBe(false);

    expect((await sendFromAgentPage(client, ticket.id, { body: 'Intern: Lager anrufen.', visibility: 'internal' })).statusCode).toBe(303);
    expect(await marked()).toBe(false);

    t.services.tickets.customerReplies(requester, ticket.id, { body: 'Danke, ich warte.', markSolved: false });
    expect(await marked()).toBe(true);
  });
});
