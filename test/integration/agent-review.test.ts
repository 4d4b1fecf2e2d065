// The team leads' review of requests that customers marked solved themselves: the queue, "Geprüft", "Wieder öffnen", who may do it.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf } from '../helpers/web-client.js';
import {
  agentFact, agentMessages, answer, customer, customerWithPortal, eventLines, navCounts, newRequest, openAndPress, press, staffWithClient,
  todoViews, viewPages, viewRows, viewsListing,
} from './agent-pages.js';
import { eventsOf, fact, formWithButton, messagesOf, reply, ticketRow } from './request-pages.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

const minute = 60_000;

function snapshot(ticketId: number) {
  return { ticket: ticketRow(t, ticketId), messages: messagesOf(t, ticketId), events: eventsOf(t, ticketId) };
}

/** A request that a lead is working on and that the customer then marks solved in the portal. */
async function solvedByCustomer() {
  const lead = await staffWithClient(t, 'lead', 'Lena Leiterin');
  const { user: requester, client: customerClient } = await customerWithPortal(t, 'Karla Kundin');
  const ticket = newRequest(t, requester, 'Lok fehlt');
  answer(t, lead.user, ticket.id, 'pending', 'Wir haben die Lok nachgeschickt.');
  t.clock.advance(minute);
  const solved = await reply(customerClient, ticket.id, { body: 'Lok ist angekommen, danke.', markSolved: true });
  if (solved.statusCode !== 303) throw new Error(`solving answered ${solved.statusCode}`);
  return { lead, requester, customerClient, ticket };
}

describe('a request the customer solved', () => {
  test('leaves every to-do view at once and waits in the review queue', async () => {
    const lead = await staffWithClient(t, 'lead', 'Lena Leiterin');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    answer(t, lead.user, ticket.id, 'pending');
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['meine', 'wartet']);

    expect((await reply(customerClient, ticket.id, { body: 'Alles angekommen.', markSolved: true })).statusCode).toBe(303);
    expect(await viewsListing(lead.client, ticket.id, todoViews)).toEqual([]);
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['kuerzlich-geloest', 'zu-pruefen']);
    const queue = await lead.client.get('/agent/views/zu-pruefen');
    expect(navCounts(queue.body)).toMatchObject({ 'Meine offenen Anfragen': '0', 'Wartet auf Kunde': '0', 'Vom Kunden gelöst – zu prüfen': '1' });
  });

  test('stays in the queue when the customer writes again, and is back in the to-do views', async () => {
    const { lead, customerClient, ticket } = await solvedByCustomer();
    expect((await reply(customerClient, ticket.id, { body: 'Ach nein, der Tender fehlt noch.' })).statusCode).toBe(303);
    expect(ticketRow(t, ticket.id).status).toBe('open');
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['meine', 'alle-offenen', 'zu-pruefen']);
  });

  test('marked as spam, it leaves the queue too; undoing brings it back', async () => {
    const { lead, ticket } = await solvedByCustomer();
    t.services.agentTickets.markSpam(lead.user, ticket.id, true);
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['spam']);
    expect(navCounts((await lead.client.get('/agent/views/spam')).body)['Vom Kunden gelöst – zu prüfen']).toBe('0');
    t.services.agentTickets.markSpam(lead.user, ticket.id, false);
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['kuerzlich-geloest', 'zu-pruefen']);
  });
});

describe('"Geprüft"', () => {
  test('takes the request out of the queue; it stays solved', async () => {
    const { lead, ticket } = await solvedByCustomer();
    const page = await lead.client.get(`/agent/requests/${ticket.id}`);
    expect(page.body).toContain('<h2 id="pruefung-titel">Vom Kunden gelöst – zu prüfen</h2>');
    expect(page.body).not.toContain('enthielt eine Frage');

    t.clock.advance(minute);
    const response = await press(lead.client, page.body, 'Geprüft');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/agent/requests/${ticket.id}?hinweis=geprueft`);
    const after = (await lead.client.get(response.headers.location as string)).body;
    expect(after).toContain('Die Anfrage ist als geprüft markiert.');
    expect(after).not.toContain('>Geprüft</button>');
    expect(agentFact(after, 'Status')).toBe('Gelöst');
    expect(eventLines(after).at(-1)).toBe('Lena Leiterin: als geprüft markiert');
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['kuerzlich-geloest']);
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'solved', reviewedAt: t.clock.now(), reviewedById: lead.user.id });
  });
  test('a decision posted again, or for a request no customer solved, changes nothing and says why', async () => {
    const { lead, ticket } = await solvedByCustomer();
    const page = await lead.client.get(`/agent/requests/${ticket.id}`);
    expect((await press(lead.client, page.body, 'Geprüft')).statusCode).toBe(303);
    const before = snapshot(ticket.id);
    const again = await press(lead.client, page.body, 'Geprüft');
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Diese Anfrage wartet auf keine Prüfung');
    expect(snapshot(ticket.id)).toEqual(before);

    const other = newRequest(t, await customer(t), 'Nie gelöst');
    const token = csrfTokenOf(page.body, `/agent/requests/${ticket.id}/review`);
    const notSolved = await lead.client.post(`/agent/requests/${other.id}/review`, { _csrf: token, decision: 'reviewed' });
    expect(notSolved.statusCode).toBe(422);
    expect(ticketRow(t, other.id).reviewedAt).toBeNull();
  });
});

describe('"Wieder öffnen"', () => {
  test('needs an internal note saying why; without one nothing changes', async () => {
    const { lead, ticket } = await solvedByCustomer();
    const before = snapshot(ticket.id);
    for (const reason of ['', '   ']) {
      const response = await openAndPress(lead.client, `/agent/requests/${ticket.id}`, 'Wieder öffnen', { reason });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Bitte schreiben Sie als interne Notiz, warum die Anfrage wieder geöffnet wird.');
      expect(response.body).toMatch(/id="reason"[^>]*aria-invalid="true"/);
    }
    expect(snapshot(ticket.id)).toEqual(before);
  });

  test('reopens the request with the note, which agents see and the customer never does', async () => {
    const { lead, customerClient, ticket } = await solvedByCustomer();
    await t.mailbox.receive();
    const reason = 'PRÜFUNG: Kundin klang unsicher, bitte Lieferung nachverfolgen.';
    t.clock.advance(minute);
    const response = await openAndPress(lead.client, `/agent/requests/${ticket.id}`, 'Wieder öffnen', { reason });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/agent/requests/${ticket.id}?hinweis=wieder-geoeffnet`);

    const page = (await lead.client.get(response.headers.location as string)).body;
    expect(page).toContain('Die Anfrage wurde wieder geöffnet.');
    expect(agentFact(page, 'Status')).toBe('Offen');
    expect(agentMessages(page).at(-1)).toMatchObject({ internal: true, author: 'Lena Leiterin', body: reason });
    expect(eventLines(page).slice(-2)).toEqual(['Lena Leiterin: nach Prüfung wieder geöffnet', 'Lena Leiterin: Status: Gelöst → Offen']);
    expect(page).not.toContain('>Wieder öffnen</button>');
    expect(await viewsListing(lead.client, ticket.id)).toEqual(['meine', 'alle-offenen']);

    const customerPage = (await customerClient.get(`/requests/${ticket.id}`)).body;
    expect(customerPage).not.toContain('PRÜFUNG');
    expect(fact(customerPage, 'Status')).toBe('Offen');
    for (const mail of await t.mailbox.receive()) expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('PRÜFUNG');
    for (const row of t.db.select().from(outbox).all()) expect(`${row.subject}\n${row.textBody}\n${row.htmlBody ?? ''}`).not.toContain('PRÜFUNG');
  });
});

describe('the queue order', () => {
  test('shows first those whose last customer message reads like a question, each group newest first', async () => {
    const lead = await staffWithClient(t, 'lead');
    const { user: requester, client: customerClient } = await customerWithPortal(t);
    const solve = (subject: string, body: string) => {
      const ticket = newRequest(t, requester, subject);
      t.services.tickets.customerReplies(requester, ticket.id, { body, markSolved: true });
      t.clock.advance(minute);
      return ticket.id;
    };
    const oldThanks = solve('Alt, Dank', 'Danke, hat geklappt.');
    const oldQuestion = solve('Alt, Frage', 'Wann kommt die Gutschrift?');
    const newThanks = solve('Neu, Dank', 'Passt alles.');
    // Through the portal, with its "wirklich als gelöst markieren?" confirmation.
    const newQuestion = newRequest(t, requester, 'Neu, Frage').id;
    const asked = await reply(customerClient, newQuestion, { body: 'Können Sie mir noch die Rechnung schicken', markSolved: true });
    expect(asked.statusCode).toBe(200);
    const confirm = formWithButton(asked.body, 'Antwort senden und als gelöst markieren');
    expect((await customerClient.post(confirm.action, confirm.fields)).statusCode).toBe(303);

    const page = await lead.client.get('/agent/views/zu-pruefen');
    expect(viewRows(page.body).map(({ id, containedQuestion }) => ({ id, containedQuestion }))).toEqual([
      { id: newQuestion, containedQuestion: true },
      { id: oldQuestion, containedQuestion: true },
      { id: newThanks, containedQuestion: false },
      { id: oldThanks, containedQuestion: false },
    ]);
    const flagged = (await lead.client.get(`/agent/requests/${newQuestion}`)).body;
    expect(flagged).toContain('Die letzte Nachricht der Kundin oder des Kunden enthielt eine Frage.');
  });

  test('pages by 25 across the two groups without duplicates or gaps', async () => {
    const lead = await staffWithClient(t, 'lead');
    const requester = await customer(t);
    const expected = { questions: [] as number[], thanks: [] as number[] };
    for (let index = 0; index < 32; index += 1) {
      const ticket = newRequest(t, requester, `Anfrage ${index}`);
      const question = index % 3 === 0;
      t.services.tickets.customerReplies(requester, ticket.id, { body: question ? 'Wo ist mein Paket?' : 'Danke.', markSolved: true });
      (question ? expected.questions : expected.thanks).unshift(ticket.id);
      // Four requests share each time, so equal times meet the page boundary.
      if (index % 4 === 3) t.clock.advance(minute);
    }
    const { ids, pageSizes } = await viewPages(lead.client, 'zu-pruefen');
    expect(pageSizes).toEqual([25, 7]);
    expect(ids).toEqual([...expected.questions, ...expected.thanks]);
  });
});

describe('only team leads and admins review', () => {
  test('an agent sees no review box and gets 403 when posting a decision; nothing changes', async () => {
    const { ticket } = await solvedByCustomer();
    const agent = await staffWithClient(t, 'agent', 'Anna Agentin');
    const page = await agent.client.get(`/agent/requests/${ticket.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('action="/agent/requests/' + ticket.id + '/review"');
    const token = formWithButton(page.body, 'Mir zuweisen').fields._csrf!;
    const before = snapshot(ticket.id);
    for (const decision of [{ decision: 'reviewed' }, { decision: 'reopen', reason: 'Ich will das wieder öffnen.' }] as Array<Record<string, string>>) {
      const response = await agent.client.post(`/agent/requests/${ticket.id}/review`, { _csrf: token, ...decision });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Kein Zugriff');
    }
    expect(snapshot(ticket.id)).toEqual(before);
  });

  test('an admin may review like a lead', async () => {
    const { ticket } = await solvedByCustomer();
    const admin = await staffWithClient(t, 'admin', 'Adam Admin');
    const response = await openAndPress(admin.client, `/agent/requests/${ticket.id}`, 'Geprüft');
    expect(response.statusCode).toBe(303);
    expect(ticketRow(t, ticket.id).reviewedById).toBe(admin.user.id);
  });
});
