// Textbausteine: every team member lists, creates, edits and deletes canned replies, and inserts one into a reply.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { cannedReplies, ticketMessages } from '../../src/db/schema.js';
import { createRequest } from '../helpers/fixtures.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import type { WebClient } from '../helpers/web-client.js';
import { anonymous, anyCsrfToken, controlTag, fieldError, notice, outcomes, personWithClient, type Probe, routesUnder } from './admin-pages.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

function stored(id: number) {
  return t.db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).get();
}

function allStored() {
  return t.db.select().from(cannedReplies).orderBy(asc(cannedReplies.id)).all();
}

function newCanned(title = 'Lieferzeit', body = 'Die Lieferung dauert 2–3 Werktage.') {
  const now = t.clock.now();
  return t.db.insert(cannedReplies).values({ title, body, createdById: null, createdAt: now, updatedAt: now }).returning().get();
}

function textareaOf(html: string, id = 'body'): string | undefined {
  const content = html.match(new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`))?.[1];
  return content?.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

async function create(client: WebClient, fields: Record<string, string>) {
  return client.submit('/agent/canned', '/agent/canned', fields);
}

describe('who may use the Textbausteine', () => {
  function probes(id: number): Probe[] {
    return [
      { method: 'GET', url: '/agent/canned', pattern: '/agent/canned' },
      { method: 'POST', url: '/agent/canned', pattern: '/agent/canned' },
      { method: 'GET', url: `/agent/canned/${id}`, pattern: '/agent/canned/:id' },
      { method: 'POST', url: `/agent/canned/${id}`, pattern: '/agent/canned/:id' },
      { method: 'POST', url: `/agent/canned/${id}/delete`, pattern: '/agent/canned/:id/delete' },
    ];
  }

  test('the probes below cover every route of the page', () => {
    expect(routesUnder(t, '/agent/canned')).toEqual(probes(1).map((probe) => `${probe.method} ${probe.pattern}`).sort());
  });

  test('a visitor is sent to the login, and back to the page afterwards', async () => {
    const canned = newCanned();
    const results = await outcomes(anonymous(t), probes(canned.id));
    expect(results).toEqual({
      'GET /agent/canned': `303 /login?next=${encodeURIComponent('/agent/canned')}`,
      'POST /agent/canned': '303 /login?next=%2F',
      'GET /agent/canned/:id': `303 /login?next=${encodeURIComponent(`/agent/canned/${canned.id}`)}`,
      'POST /agent/canned/:id': '303 /login?next=%2F',
      'POST /agent/canned/:id/delete': '303 /login?next=%2F',
    });
    expect(stored(canned.id)).toEqual(canned);
  });

  test('a customer gets 403 on every route, even with a valid CSRF token', async () => {
    const canned = newCanned();
    const { client } = await personWithClient(t, 'customer');
    const results = await outcomes(client, probes(canned.id), await anyCsrfToken(client));
    expect(Object.values(results)).toEqual(probes(canned.id).map(() => '403'));
    expect((await client.get('/agent/canned')).body).toContain('Kein Zugriff');
    expect(stored(canned.id)).toEqual(canned);
  });

  test.each(['agent', 'lead', 'admin'] as const)('a team member with the role %s opens the list, with the view counts in the navigation', async (role) => {
    const { client } = await personWithClient(t, role);
    const { user: requester } = await personWithClient(t, 'customer');
    createRequest(t, requester, 'Nicht zugewiesen gezählt');
    const unassigned = t.services.agentTickets.viewCounts((await personWithClient(t, 'agent')).user)['nicht-zugewiesen'];

    const page = await client.get('/agent/canned');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    expect(page.body).toContain('<h1>Textbausteine</h1>');
    expect(page.body).toContain('<a href="/agent/canned" aria-current="page">Textbausteine</a>');
    expect(page.body).toMatch(new RegExp(`<span>Nicht zugewiesen</span> <span class="count">${unassigned}</span>`));
  });

  test('a form sent without its CSRF token is refused with 403 and changes nothing', async () => {
    const canned = newCanned();
    const { client } = await personWithClient(t, 'agent');
    const before = allStored();
    expect((await client.post('/agent/canned', { title: 'Ohne Token', body: 'Text' })).statusCode).toBe(403);
    expect((await client.post(`/agent/canned/${canned.id}`, { title: 'Ohne Token', body: 'Text' })).statusCode).toBe(403);
    expect((await client.post(`/agent/canned/${canned.id}/delete`, {})).statusCode).toBe(403);
    expect((await client.post('/agent/canned', { _csrf: 'falsch', title: 'Falsches Token', body: 'Text' })).statusCode).toBe(403);
    expect(allStored()).toEqual(before);
  });
});

describe('creating a canned reply', () => {
  test('stores title and text (trimmed), names its author, and lists it with a notice', async () => {
    const { user, client } = await personWithClient(t, 'agent');
    const response = await create(client, { title: '  Rücksendung  ', body: 'Guten Tag,\n\nbitte nutzen Sie das Rücksendeetikett.\n' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/canned?hinweis=angelegt');

    const row = allStored().at(-1)!;
    expect(row).toMatchObject({ title: 'Rücksendung', body: 'Guten Tag,\n\nbitte nutzen Sie das Rücksendeetikett.', createdById: user.id });
    expect(row.createdAt).toEqual(t.clock.now());

    const list = await client.get(response.headers.location as string);
    expect(notice(list.body)).toBe('Der Textbaustein wurde angelegt.');
    expect(list.body).toContain(`<th scope="row"><a href="/agent/canned/${row.id}">Rücksendung</a></th>`);
    expect(list.body).toContain('Guten Tag, bitte nutzen Sie das Rücksendeetikett.');
  });

  test('lists them by title, and escapes what was typed', async () => {
    const { client } = await personWithClient(t, 'lead');
    await create(client, { title: 'Zzz <b>fett</b>', body: '<script>alert(1)</script>' });
    await create(client, { title: 'Aaa Begrüßung', body: 'Hallo' });
    const page = (await client.get('/agent/canned')).body;
    expect(page.indexOf('Aaa Begrüßung')).toBeLessThan(page.indexOf('Zzz &lt;b&gt;fett&lt;/b&gt;'));
    expect(page).not.toContain('<b>fett</b>');
    expect(page).not.toContain('<script>alert');
    expect(page).toMatch(/<th scope="col">Titel<\/th><th scope="col">Text<\/th><th scope="col">Zuletzt geändert<\/th>/);
  });

  test('empty fields are refused with 422 and German messages tied to the fields', async () => {
    const { client } = await personWithClient(t, 'agent');
    const before = allStored().length;
    const response = await create(client, { title: '   ', body: '' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'title')).toBe('Bitte geben Sie einen Titel an.');
    expect(fieldError(response.body, 'body')).toBe('Bitte schreiben Sie den Text des Textbausteins.');
    expect(controlTag(response.body, 'title')).toContain('aria-describedby="title-hinweis title-fehler"');
    expect(controlTag(response.body, 'title')).toContain('aria-invalid="true"');
    expect(controlTag(response.body, 'body')).toContain('aria-describedby="body-fehler"');
    expect(response.body).toContain('<a href="#title">Bitte geben Sie einen Titel an.</a>');
    expect(response.body).toContain('<h1>Textbausteine</h1>');
    expect(allStored()).toHaveLength(before);
  });

  test('a title over 100 and a text over 20,000 characters are refused, with the input kept', async () => {
    const { client } = await personWithClient(t, 'agent');
    const before = allStored().length;
    const response = await create(client, { title: 'T'.repeat(101), body: 'x'.repeat(20_001) });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'title')).toBe('Der Titel darf höchstens 100 Zeichen lang sein.');
    expect(fieldError(response.body, 'body')).toBe('Der Text darf höchstens 20.000 Zeichen lang sein.');
    expect(controlTag(response.body, 'title')).toContain(`value="${'T'.repeat(101)}"`);
    expect(textareaOf(response.body)).toBe('x'.repeat(20_001));
    expect(allStored()).toHaveLength(before);

    const atTheLimit = await create(client, { title: 'T'.repeat(100), body: 'x'.repeat(20_000) });
    expect(atTheLimit.statusCode).toBe(303);
    expect(allStored()).toHaveLength(before + 1);
  });
});

describe('editing and deleting', () => {
  test('the edit page shows the stored values; saving changes them and the time of the change', async () => {
    const canned = newCanned('Alte Fassung', 'Alter Text');
    const { client } = await personWithClient(t, 'agent');
    const page = await client.get(`/agent/canned/${canned.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Textbaustein bearbeiten</h1>');
    expect(controlTag(page.body, 'title')).toContain('value="Alte Fassung"');
    expect(textareaOf(page.body)).toBe('Alter Text');

    t.clock.advance(60_000);
    const response = await client.submit(`/agent/canned/${canned.id}`, `/agent/canned/${canned.id}`, { title: 'Neue Fassung', body: 'Neuer Text' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/canned?hinweis=gespeichert');
    expect(stored(canned.id)).toMatchObject({ title: 'Neue Fassung', body: 'Neuer Text', createdAt: canned.createdAt, updatedAt: t.clock.now() });
    expect(notice((await client.get('/agent/canned?hinweis=gespeichert')).body)).toBe('Der Textbaustein wurde gespeichert.');
  });

  test('invalid changes are refused with 422 on the edit page, input kept, nothing stored', async () => {
    const canned = newCanned('Bleibt so', 'Unverändert');
    const { client } = await personWithClient(t, 'admin');
    const response = await client.submit(`/agent/canned/${canned.id}`, `/agent/canned/${canned.id}`, { title: 'Geändert', body: '  ' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('<h1>Textbaustein bearbeiten</h1>');
    expect(fieldError(response.body, 'body')).toBe('Bitte schreiben Sie den Text des Textbausteins.');
    expect(controlTag(response.body, 'title')).toContain('value="Geändert"');
    expect(stored(canned.id)).toEqual(canned);
  });

  test('deleting removes it from the list and from the request page', async () => {
    const canned = newCanned('Wird gelöscht', 'Weg damit');
    const { client } = await personWithClient(t, 'agent');
    const response = await client.submit(`/agent/canned/${canned.id}`, `/agent/canned/${canned.id}/delete`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/canned?hinweis=geloescht');
    expect(stored(canned.id)).toBeUndefined();
    const list = await client.get('/agent/canned?hinweis=geloescht');
    expect(notice(list.body)).toBe('Der Textbaustein wurde gelöscht.');
    expect(list.body).not.toContain('Wird gelöscht');
    expect((await client.get(`/agent/canned/${canned.id}`)).statusCode).toBe(404);
  });

  test('a missing or malformed id answers 404 on every route', async () => {
    const { client } = await personWithClient(t, 'agent');
    const csrf = await anyCsrfToken(client);
    for (const id of ['999999', 'abc', '1.5']) {
      expect((await client.get(`/agent/canned/${id}`)).statusCode).toBe(404);
      expect((await client.post(`/agent/canned/${id}`, { _csrf: csrf, title: 'x', body: 'y' })).statusCode).toBe(404);
      expect((await client.post(`/agent/canned/${id}/delete`, { _csrf: csrf })).statusCode).toBe(404);
    }
  });
});

describe('"Einfügen" on the request page', () => {
  test('puts the chosen canned reply below what was typed, without sending anything', async () => {
    const { user: requester } = await personWithClient(t, 'customer');
    const ticket = createRequest(t, requester, 'Wo bleibt mein Paket?');
    const canned = newCanned('Sendungsverfolgung <Paket>', 'Ihre Sendungsnummer finden Sie im Kundenkonto.\nViele Grüße');
    const { client } = await personWithClient(t, 'agent');

    const page = await client.get(`/agent/requests/${ticket.id}`);
    expect(page.body).toContain(`<option value="${canned.id}">Sendungsverfolgung &lt;Paket&gt;</option>`);
    const messagesBefore = t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).all();
    await t.mailbox.receive(); // the acknowledgement of the new request

    const inserted = await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, {
      body: 'Guten Tag,', cannedReplyId: String(canned.id), insertCanned: '1', visibility: 'public', status: 'pending',
    });
    expect(inserted.statusCode).toBe(200);
    expect(textareaOf(inserted.body)).toBe('Guten Tag,\n\nIhre Sendungsnummer finden Sie im Kundenkonto.\nViele Grüße');
    expect(t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).all()).toEqual(messagesBefore);
    expect((await t.mailbox.receive()).map((mail) => mail.subject)).toEqual([]);

    const intoEmpty = await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, {
      body: '', cannedReplyId: String(canned.id), insertCanned: '1',
    });
    expect(textareaOf(intoEmpty.body)).toBe('Ihre Sendungsnummer finden Sie im Kundenkonto.\nViele Grüße');
  });

  test('the inserted text is sent as the reply once the agent presses "Senden"', async () => {
    const { user: requester } = await personWithClient(t, 'customer');
    const ticket = createRequest(t, requester, 'Rechnung fehlt');
    const canned = newCanned('Rechnung', 'Die Rechnung liegt Ihrem Kundenkonto bei.');
    const { client } = await personWithClient(t, 'agent');
    const inserted = await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, {
      body: '', cannedReplyId: String(canned.id), insertCanned: '1',
    });
    const body = textareaOf(inserted.body)!;
    const latest = inserted.body.match(/name="lastSeenMessageId" value="(\d+)"/)![1]!;
    const sent = await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, {
      body, visibility: 'public', status: 'pending', lastSeenMessageId: latest,
    });
    expect(sent.statusCode).toBe(303);
    const messages = t.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id)).orderBy(asc(ticketMessages.id)).all();
    expect(messages.at(-1)).toMatchObject({ body: 'Die Rechnung liegt Ihrem Kundenkonto bei.', visibility: 'public' });
  });

  test('a canned reply deleted in the meantime inserts nothing and keeps the text', async () => {
    const { user: requester } = await personWithClient(t, 'customer');
    const ticket = createRequest(t, requester);
    const { client } = await personWithClient(t, 'agent');
    newCanned('Damit die Auswahl erscheint', 'x');
    const inserted = await client.submit(`/agent/requests/${ticket.id}`, `/agent/requests/${ticket.id}/replies`, {
      body: 'Mein Entwurf', cannedReplyId: '999999', insertCanned: '1',
    });
    expect(inserted.statusCode).toBe(200);
    expect(textareaOf(inserted.body)).toBe('Mein Entwurf');
  });
});
