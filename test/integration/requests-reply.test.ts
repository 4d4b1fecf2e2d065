// Answering a request in the portal: replies, the solved checkbox and its confirmation, reopening, follow-ups, the audit trail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { formatDateTime } from '../../src/lib/dates.js';
import { createRequest } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import {
  anyCsrfToken, changeTicket, customerWithClient, eventsOf, fact, formWithButton, messagesOf, reply, statusEventsOf, ticketRow,
} from './request-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const hour = 60 * 60_000;

/** Everything a reply could have changed, to show that it changed nothing. */
function snapshot(ticketId: number) {
  return { ticket: ticketRow(t, ticketId), messages: messagesOf(t, ticketId), events: eventsOf(t, ticketId) };
}

describe('a reply', () => {
  test('adds a message, moves "Letzte Aktivität" and says it was sent', async () => {
    const { user, client } = await customerWithClient(t, 'Karla Kundin');
    const ticket = createRequest(t, user);
    t.clock.advance(3 * hour);
    const repliedAt = t.clock.now();

    const response = await reply(client, ticket.id, { body: 'Die Bestellnummer ist 100234.\nDanke!' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=gesendet`);

    const messages = messagesOf(t, ticket.id);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ authorId: user.id, visibility: 'public', channel: 'web', body: 'Die Bestellnummer ist 100234.\nDanke!' });
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'new', lastActivityAt: repliedAt, lastPublicBy: 'customer', solvedByCustomer: false });
    expect(statusEventsOf(t, ticket.id)).toEqual([]);

    const page = await client.get(response.headers.location as string);
    expect(page.body).toContain('Ihre Antwort wurde gesendet.');
    expect(fact(page.body, 'Letzte Aktivität')).toBe(formatDateTime(repliedAt));
    expect(fact(page.body, 'Erstellt')).not.toBe(formatDateTime(repliedAt));
    expect(page.body).toContain('Die Bestellnummer ist 100234.\nDanke!');
    expect(page.body).toMatch(/<textarea id="body" name="body"[^>]*><\/textarea>/);
  });

  test.each(['', '   \n  '])('that is empty, without the checkbox, is refused with a German message and writes nothing (%j)', async (body) => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const before = snapshot(ticket.id);
    t.clock.advance(hour);

    const response = await reply(client, ticket.id, { body });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('Bitte schreiben Sie eine Antwort, oder markieren Sie die Anfrage als gelöst.');
    expect(response.body).toMatch(/id="body"[^>]*aria-invalid="true"/);
    expect(snapshot(ticket.id)).toEqual(before);
  });

  test('on a request waiting for the customer makes it open again, recorded as an event', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'pending' });
    await reply(client, ticket.id, { body: 'Hier die gewünschte Seriennummer: 12345' });
    expect(ticketRow(t, ticket.id).status).toBe('open');
    expect(statusEventsOf(t, ticket.id)).toEqual([{ actorId: user.id, from: 'pending', to: 'open' }]);
    expect(fact((await client.get(`/requests/${ticket.id}`)).body, 'Status')).toBe('Offen');
  });

  test('on a solved request reopens it, recorded as an event', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'solved', solvedAt: t.clock.now() });
    t.clock.advance(hour);
    const response = await reply(client, ticket.id, { body: 'Leider funktioniert es doch nicht.' });
    expect(response.statusCode).toBe(303);
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'open', lastActivityAt: t.clock.now() });
    const events = eventsOf(t, ticket.id).filter((event) => event.kind === 'status');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, fromValue: 'solved', toValue: 'open', at: t.clock.now() });
  });

  test.each(['new', 'open', 'on_hold'] as const)('on a %s request leaves its status and writes no status event', async (status) => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status });
    await reply(client, ticket.id, { body: 'Noch ein Hinweis.' });
    expect(ticketRow(t, ticket.id).status).toBe(status);
    expect(statusEventsOf(t, ticket.id)).toEqual([]);
    expect(messagesOf(t, ticket.id)).toHaveLength(2);
  });
});

describe('the solved checkbox', () => {
  test('with an empty reply solves the request without a message, marks it customer-solved and records the event', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'pending' });
    t.clock.advance(hour);

    const response = await reply(client, ticket.id, { body: '', markSolved: true });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=geloest`);
    expect(messagesOf(t, ticket.id)).toHaveLength(1);
    expect(ticketRow(t, ticket.id)).toMatchObject({
      status: 'solved', solvedByCustomer: true, solvedAt: t.clock.now(), lastActivityAt: t.clock.now(), reviewedAt: null,
    });
    expect(statusEventsOf(t, ticket.id)).toEqual([{ actorId: user.id, from: 'pending', to: 'solved' }]);

    const page = await client.get(response.headers.location as string);
    expect(page.body).toContain('Die Anfrage ist jetzt als gelöst markiert.');
    expect(fact(page.body, 'Status')).toBe('Gelöst');
  });

  test('with a reply that asks nothing sends it and solves at once', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const response = await reply(client, ticket.id, { body: 'Vielen Dank, das hat geholfen.', markSolved: true });
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=geloest`);
    expect(messagesOf(t, ticket.id).at(-1)!.body).toBe('Vielen Dank, das hat geholfen.');
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'solved', solvedByCustomer: true });
    expect(statusEventsOf(t, ticket.id)).toEqual([{ actorId: user.id, from: 'new', to: 'solved' }]);
  });

  test('with a question asks for confirmation first and writes nothing yet', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const before = snapshot(ticket.id);
    const response = await reply(client, ticket.id, { body: 'Danke. Wann kommt die <Lieferung>?', markSolved: true });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Ihre Nachricht enthält eine Frage');
    expect(response.body).toContain('Danke. Wann kommt die &lt;Lieferung&gt;?');
    expect(response.body).not.toContain('<Lieferung>');
    expect(snapshot(ticket.id)).toEqual(before);
  });

  test('confirming on that page sends the reply and solves the request', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const question = 'Können Sie mir die Rechnung "per Post" schicken.\nDanke & Gruß';
    const confirmation = await reply(client, ticket.id, { body: question, markSolved: true });
    const confirm = formWithButton(confirmation.body, 'Antwort senden und als gelöst markieren');

    const response = await client.post(confirm.action, confirm.fields);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=geloest`);
    expect(messagesOf(t, ticket.id).at(-1)!.body).toBe(question);
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'solved', solvedByCustomer: true });
    expect(statusEventsOf(t, ticket.id)).toEqual([{ actorId: user.id, from: 'new', to: 'solved' }]);
  });

  test('"Nur Antwort senden" on that page sends the reply and leaves the request unsolved', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'pending' });
    const confirmation = await reply(client, ticket.id, { body: 'Welche Farbe hat das Modell', markSolved: true });
    const replyOnly = formWithButton(confirmation.body, 'Nur Antwort senden');

    const response = await client.post(replyOnly.action, replyOnly.fields);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=gesendet`);
    expect(messagesOf(t, ticket.id).at(-1)!.body).toBe('Welche Farbe hat das Modell');
    expect(ticketRow(t, ticket.id)).toMatchObject({ status: 'open', solvedByCustomer: false, solvedAt: null });
    expect(statusEventsOf(t, ticket.id)).toEqual([{ actorId: user.id, from: 'pending', to: 'open' }]);
  });

  test('leaving the confirmation page by its link writes nothing', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    const confirmation = await reply(client, ticket.id, { body: 'Wie lange noch?', markSolved: true });
    expect(confirmation.body).toContain(`<a href="/requests/${ticket.id}">Zurück zur Anfrage, ohne zu senden</a>`);
    expect(messagesOf(t, ticket.id)).toHaveLength(1);
  });
});

describe('a closed request', () => {
  test('offers "Folgeanfrage erstellen" instead of a reply form', async () => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'closed' });
    const page = await client.get(`/requests/${ticket.id}`);
    expect(page.body).toContain(`<a class="button" href="/requests/new?folgeanfrage=${ticket.id}">Folgeanfrage erstellen</a>`);
    expect(page.body).not.toContain(`action="/requests/${ticket.id}/replies"`);
    expect(page.body).not.toContain('Ihre Antwort');
    expect(fact(page.body, 'Status')).toBe('Gelöst');
  });

  test.each<Record<string, string>>([
    { body: 'Doch noch eine Sache.' },
    { body: '', markSolved: '1' },
    { body: 'Wann kommt das?', markSolved: '1', confirmed: '1' },
  ])('takes no reply posted to it anyway: %j', async (fields) => {
    const { user, client } = await customerWithClient(t);
    const ticket = createRequest(t, user);
    changeTicket(t, ticket.id, { status: 'closed' });
    const before = snapshot(ticket.id);
    t.clock.advance(hour);

    const response = await client.post(`/requests/${ticket.id}/replies`, { _csrf: await anyCsrfToken(client), ...fields });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/requests/${ticket.id}?hinweis=geschlossen`);
    expect(snapshot(ticket.id)).toEqual(before);
    expect((await client.get(response.headers.location as string)).body).toContain('Bitte erstellen Sie eine Folgeanfrage.');
  });
});

describe('a follow-up request', () => {
  test('is prefilled from the closed original, links to it, and both pages show the link', async () => {
    const { user, client } = await customerWithClient(t);
    const original = createRequest(t, user, 'Lok BR 218 fehlt');
    changeTicket(t, original.id, { status: 'closed' });

    const form = await client.get(`/requests/new?folgeanfrage=${original.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="Folgeanfrage zu #${original.id}: Lok BR 218 fehlt"`);
    expect(form.body).toContain(`<input type="hidden" name="followUpOf" value="${original.id}">`);
    expect(form.body).toContain(`<a href="/requests/${original.id}">Anfrage #${original.id}</a>`);

    const response = await client.submit(`/requests/new?folgeanfrage=${original.id}`, '/requests/new', {
      subject: `Folgeanfrage zu #${original.id}: Lok BR 218 fehlt`, description: 'Die nachgelieferte Lok fehlt auch.', followUpOf: String(original.id),
    });
    expect(response.statusCode).toBe(303);
    const followUp = t.db.select().from(tickets).orderBy(tickets.id).all().at(-1)!;
    expect(followUp).toMatchObject({ requesterId: user.id, followUpOfId: original.id, status: 'new', subject: `Folgeanfrage zu #${original.id}: Lok BR 218 fehlt` });
    expect(ticketRow(t, original.id).status).toBe('closed');
    expect(eventsOf(t, original.id).at(-1)).toMatchObject({ kind: 'follow_up', actorId: user.id, toValue: String(followUp.id) });

    const followUpPage = await client.get(`/requests/${followUp.id}`);
    expect(fact(followUpPage.body, 'Folgeanfrage zu')).toBe(`#${original.id}`);
    expect(followUpPage.body).toContain(`<a href="/requests/${original.id}">#${original.id}</a>`);
    const originalPage = await client.get(`/requests/${original.id}`);
    expect(fact(originalPage.body, 'Folgeanfragen')).toBe(`#${followUp.id} Folgeanfrage zu #${original.id}: Lok BR 218 fehlt`);
    expect(originalPage.body).toContain(`<a href="/requests/${followUp.id}">`);
  });

  test.each([
    ["someone else's closed request", 'foreign'],
    ['an own request that is not closed', 'solved'],
    ['a missing request', 'missing'],
  ] as const)('of %s is not possible: no prefill, and posting it creates nothing', async (_case, kind) => {
    const owner = await customerWithClient(t);
    const { user, client } = await customerWithClient(t);
    const original = createRequest(t, kind === 'foreign' ? owner.user : user, 'Ursprung');
    changeTicket(t, original.id, { status: kind === 'solved' ? 'solved' : 'closed' });
    const originalId = kind === 'missing' ? 999_999 : original.id;

    const form = await client.get(`/requests/new?folgeanfrage=${originalId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<input type="hidden" name="followUpOf" value="">');
    expect(form.body).not.toContain('Folgeanfrage zu');
    expect(form.body).not.toContain('Ursprung');

    const count = t.db.select().from(tickets).all().length;
    const response = await client.submit('/requests/new', '/requests/new', { subject: 'Nachfrage', description: 'Text', followUpOf: String(originalId) });
    expect(response.statusCode).toBe(404);
    expect(t.db.select().from(tickets).all().length).toBe(count);
    expect(eventsOf(t, original.id).filter((event) => event.kind === 'follow_up')).toEqual([]);
  });
});

test('every status change of a request is written as an event: who, from, to, when', async () => {
  const { user, client } = await customerWithClient(t);
  const ticket = createRequest(t, user);
  expect(eventsOf(t, ticket.id)).toEqual([
    expect.objectContaining({ kind: 'created', actorId: user.id, fromValue: null, toValue: 'new', at: ticket.createdAt }),
  ]);

  t.clock.advance(hour);
  await reply(client, ticket.id, { body: '', markSolved: true });
  const solvedAt = t.clock.now();
  t.clock.advance(hour);
  await reply(client, ticket.id, { body: 'Doch nicht gelöst.' });
  const reopenedAt = t.clock.now();
  changeTicket(t, ticket.id, { status: 'pending' });
  t.clock.advance(hour);
  await reply(client, ticket.id, { body: 'Hier die Information.' });
  const answeredAt = t.clock.now();

  expect(eventsOf(t, ticket.id).filter((event) => event.kind === 'status').map(({ actorId, fromValue, toValue, at }) => ({ actorId, fromValue, toValue, at }))).toEqual([
    { actorId: user.id, fromValue: 'new', toValue: 'solved', at: solvedAt },
    { actorId: user.id, fromValue: 'solved', toValue: 'open', at: reopenedAt },
    { actorId: user.id, fromValue: 'pending', toValue: 'open', at: answeredAt },
  ]);
});
