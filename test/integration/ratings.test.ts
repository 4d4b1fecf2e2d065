// Satisfaction ratings: links in the solved mail that rate one request without login, recorded only by POST, "noch nicht gelöst", the leads' report.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { satisfactionRatings, tickets } from '../../src/db/schema.js';
import { createSigner } from '../../src/lib/tokens.js';
import { linkIn } from '../helpers/mailbox.js';
import { loggedInClient } from '../helpers/fixtures.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { agentFact, answer, customerWithPortal, eventLines, newRequest, staffWithClient } from './agent-pages.js';
import { fact, messagesOf, statusEventsOf, ticketRow, withoutCsrfTokens } from './request-pages.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

const day = 24 * 3600_000;

/** A request an agent solved; the links of the mail that told the customer so. */
async function solvedWithMail(subject = 'Lok fehlt', agentName = 'Anna Agentin') {
  const agent = await staffWithClient(t, 'agent', agentName);
  const { user: requester, client } = await customerWithPortal(t);
  const ticket = newRequest(t, requester, subject);
  t.services.agentTickets.assign(agent.user, ticket.id, agent.user.id);
  await t.mailbox.receive();
  answer(t, agent.user, ticket.id, 'solved', 'Die Lok ist unterwegs.');
  const mail = await t.mailbox.receiveOne(requester.email);
  const good = linkIn(mail, `${testPublicUrl}/ratings/`);
  const page = good.replace(/\?.*$/, '');
  return { agent, requester, client, ticket, mail, links: { good: local(good), bad: local(`${page}?bewertung=schlecht`), page: local(page) } };
}

function local(link: string): string {
  return link.slice(testPublicUrl.length);
}

function ratingRows() {
  return t.db.select().from(satisfactionRatings).all();
}

/** Presses a button of the rating page as an anonymous visitor would (no login, the CSRF secret in a cookie). */
async function submitOnPage(visitor: WebClient, pageUrl: string, action: string, fields: Record<string, string>) {
  return visitor.submit(pageUrl, action, fields);
}

describe('the mail that says a request is solved', () => {
  test('carries the three links, to a page for this request only', async () => {
    const { mail, ticket } = await solvedWithMail();
    const token = t.services.ratingLinks.tokenFor(ticket.id);
    expect(mail.text).toContain(`Gut, ich bin zufrieden:\n${testPublicUrl}/ratings/${token}?bewertung=gut`);
    expect(mail.text).toContain(`Schlecht, ich bin unzufrieden:\n${testPublicUrl}/ratings/${token}?bewertung=schlecht`);
    expect(mail.text).toContain(`Mein Anliegen ist noch nicht gelöst:\n${testPublicUrl}/ratings/${token}#noch-nicht-geloest`);
  });

  test('an answer that does not solve carries no rating links', async () => {
    const agent = await staffWithClient(t, 'agent');
    const { user: requester } = await customerWithPortal(t);
    const ticket = newRequest(t, requester);
    await t.mailbox.receive();
    answer(t, agent.user, ticket.id, 'pending', 'Welche Spur?');
    expect((await t.mailbox.receiveOne(requester.email)).text).not.toContain('/ratings/');
  });
});

describe('the rating page', () => {
  test('opens without login; a GET shows the choice from the link but records nothing, however often a scanner opens it', async () => {
    const { links, ticket } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    for (const link of [links.good, links.bad, links.good]) {
      const page = await visitor.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['x-robots-tag']).toBe('noindex');
    }
    const page = await visitor.get(links.good);
    expect(page.body).toContain(`<h1>Ihre Meinung zu Anfrage #${ticket.id}</h1>`);
    expect(page.body).toContain('<input type="radio" id="rating" name="rating" value="good" checked>');
    expect((await visitor.get(links.bad)).body).toContain('<input type="radio" id="rating-bad" name="rating" value="bad" checked>');
    expect(ratingRows()).toEqual([]);
    expect(ticketRow(t, ticket.id).status).toBe('solved');
  });

  test('a POST records the rating with its comment, for the assigned agent; it can be changed until the request closes', async () => {
    const { agent, links, ticket, requester } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const saved = await submitOnPage(visitor, links.good, links.page, { rating: 'good', comment: 'Schnell und freundlich.' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${links.page}?hinweis=danke`);
    expect(ratingRows()).toMatchObject([{ ticketId: ticket.id, rating: 'good', comment: 'Schnell und freundlich.', agentId: agent.user.id }]);
    const thanks = await visitor.get(saved.headers.location as string);
    expect(thanks.body).toContain('Vielen Dank für Ihre Bewertung!');
    expect(thanks.body).toContain('Ihre Bewertung: <strong>Gut, ich bin zufrieden</strong> – „Schnell und freundlich.“');

    t.clock.advance(3600_000);
    const changed = await submitOnPage(visitor, links.page, links.page, { rating: 'bad', comment: 'Die Lok war doch beschädigt.' });
    expect(changed.statusCode).toBe(303);
    expect(ratingRows()).toMatchObject([{ rating: 'bad', comment: 'Die Lok war doch beschädigt.' }]);

    const agentPage = (await agent.client.get(`/agent/requests/${ticket.id}`)).body;
    expect(agentFact(agentPage, 'Bewertung')).toBe('Schlecht, ich bin unzufrieden„Die Lok war doch beschädigt.“');
    expect(eventLines(agentPage).slice(-2)).toEqual([
      'Karla Kundin: Bewertung: Gut, ich bin zufrieden',
      'Karla Kundin: Bewertung: Schlecht, ich bin unzufrieden (vorher: Gut, ich bin zufrieden)',
    ]);
    const customerPage = (await (await loggedInClient(t, requester.email)).get(`/requests/${ticket.id}`)).body;
    expect(fact(customerPage, 'Ihre Bewertung')).toBe('Schlecht, ich bin unzufrieden„Die Lok war doch beschädigt.“');
    expect(customerPage).toContain(`<a href="${links.page}">Bewertung ändern</a>`);

    t.clock.advance(4 * day);
    await t.services.automations.runDue(t.clock.now());
    const closed = await submitOnPage(visitor, links.page, links.page, { rating: 'good', comment: '' }).catch(() => undefined);
    expect(closed, 'a closed request offers no rating form').toBeUndefined();
    const posted = await visitor.post(links.page, { rating: 'good', comment: '' });
    expect(posted.statusCode).toBe(403);
    expect(ratingRows()).toMatchObject([{ rating: 'bad' }]);
    expect((await visitor.get(links.page)).body).toContain('Diese Anfrage ist abgeschlossen; Ihre Bewertung bleibt so bestehen.');
  });

  test('a closed request refuses a rating posted with a valid token, and says so', async () => {
    const { links, ticket } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const page = await visitor.get(links.page);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    t.db.update(tickets).set({ status: 'closed' }).run();
    const posted = await visitor.post(links.page, { _csrf: token, rating: 'good', comment: '' });
    expect(posted.statusCode).toBe(422);
    expect(posted.body).toContain('Diese Anfrage ist abgeschlossen; ihre Bewertung lässt sich nicht mehr ändern.');
    expect(ratingRows()).toEqual([]);
    expect(ticketRow(t, ticket.id).status).toBe('closed');
  });

  test('without a choice: 422 in German with the comment kept; without a CSRF token: 403', async () => {
    const { links } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const missing = await submitOnPage(visitor, links.page, links.page, { comment: 'Ohne Wahl' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Bitte wählen Sie „Gut, ich bin zufrieden“ oder „Schlecht, ich bin unzufrieden“.');
    expect(missing.body).toContain('Ohne Wahl</textarea>');
    expect((await visitor.post(links.page, { rating: 'good', comment: '' })).statusCode).toBe(403);
    expect(ratingRows()).toEqual([]);
  });

  test('a link works for its own request only: another number, a changed signature or a token of another purpose gets 404', async () => {
    const { links, ticket } = await solvedWithMail('Erste');
    const other = await solvedWithMail('Zweite', 'Bea Agentin');
    const visitor = new WebClient(t.app);
    const signature = links.page.split('-').slice(1).join('-');
    const missing = await visitor.get('/ratings/999999-aaaaaaaaaaaaaaaaaaaaaa');
    expect(missing.statusCode).toBe(404);
    const signer = createSigner('test-secret-that-is-long-enough-0123456789');
    for (const path of [
      `/ratings/${other.ticket.id}-${signature}`,
      `${links.page.slice(0, -1)}${links.page.endsWith('A') ? 'B' : 'A'}`,
      `/ratings/${ticket.id}-${signer.sign('receipt', String(ticket.id))}`,
      `/ratings/${ticket.id}`,
    ]) {
      const response = await visitor.get(path);
      expect(response.statusCode, path).toBe(404);
      expect(withoutCsrfTokens(response.body)).toBe(withoutCsrfTokens(missing.body));
    }
    const page = await visitor.get(links.page);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const forged = await visitor.post(`/ratings/${other.ticket.id}-${signature}`, { _csrf: token, rating: 'bad', comment: '' });
    expect(forged.statusCode).toBe(404);
    expect(ratingRows()).toEqual([]);
    expect((await visitor.get(other.links.page)).statusCode).toBe(200);
  });

  test('a request that is being worked on again cannot be rated until it is solved again', async () => {
    const { links, ticket, agent } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const page = await visitor.get(links.page);
    answer(t, agent.user, ticket.id, 'open', 'Wir schauen noch einmal.');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const posted = await visitor.post(links.page, { _csrf: token, rating: 'good', comment: '' });
    expect(posted.statusCode).toBe(422);
    expect(posted.body).toContain('Diese Anfrage ist wieder in Bearbeitung.');
    expect((await visitor.get(links.page)).body).toContain('Ihre Anfrage ist in Bearbeitung.');
  });
});

describe('"Mein Anliegen ist noch nicht gelöst"', () => {
  test('reopens a solved request with the customer\'s message, without login', async () => {
    const { agent, links, ticket, requester } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const page = await visitor.get(links.page);
    expect(page.body).toContain('<h2 id="offen-titel">Mein Anliegen ist noch nicht gelöst</h2>');
    const sent = await submitOnPage(visitor, links.page, `${links.page}/not-solved`, { message: 'Die Lok ist nicht angekommen.' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${links.page}?hinweis=wieder-offen`);
    expect(ticketRow(t, ticket.id).status).toBe('open');
    expect(statusEventsOf(t, ticket.id).at(-1)).toEqual({ actorId: requester.id, from: 'solved', to: 'open' });
    const last = messagesOf(t, ticket.id).at(-1)!;
    expect(last).toMatchObject({ authorId: requester.id, body: 'Die Lok ist nicht angekommen.', visibility: 'public' });
    expect((await visitor.get(sent.headers.location as string)).body).toContain('Ihre Anfrage ist wieder geöffnet');
    expect(ticketRow(t, ticket.id).replyDueAt).not.toBeNull();
    // The assigned agent hears of it like of any customer reply.
    expect((await t.mailbox.receiveOne(agent.user.email)).subject).toContain('Antwort von Karla Kundin');
  });

  test('on a closed request it creates a follow-up that links the original, and both show the link', async () => {
    const { agent, links, ticket, requester } = await solvedWithMail('Lok fehlt');
    t.clock.advance(4 * day);
    await t.services.automations.runDue(t.clock.now());
    const visitor = new WebClient(t.app);
    const page = await visitor.get(links.page);
    expect(page.body).toContain('Folgeanfrage erstellen</button>');
    const sent = await submitOnPage(visitor, links.page, `${links.page}/not-solved`, { message: 'Der Tender fehlt auch.' });
    expect(sent.statusCode).toBe(303);
    const followUpId = Number(/folgeanfrage=(\d+)/.exec(sent.headers.location as string)![1]);
    expect(ticketRow(t, ticket.id).status).toBe('closed');
    expect(ticketRow(t, followUpId)).toMatchObject({ followUpOfId: ticket.id, requesterId: requester.id, subject: `Folgeanfrage zu #${ticket.id}: Lok fehlt`, status: 'new' });
    expect(messagesOf(t, followUpId)[0]!.body).toBe('Der Tender fehlt auch.');
    expect((await visitor.get(sent.headers.location as string)).body).toContain(`als Folgeanfrage #${followUpId} aufgenommen`);
    const customerClient = await loggedInClient(t, requester.email);
    expect(fact((await customerClient.get(`/requests/${followUpId}`)).body, 'Folgeanfrage zu')).toBe(`#${ticket.id}`);
    expect(fact((await customerClient.get(`/requests/${ticket.id}`)).body, 'Folgeanfragen')).toContain(`#${followUpId}`);
    const agentClient = await loggedInClient(t, agent.user.email);
    expect(agentFact((await agentClient.get(`/agent/requests/${ticket.id}`)).body, 'Folgeanfragen')).toContain(`#${followUpId}`);
  });

  test('an empty message is refused in German', async () => {
    const { links, ticket } = await solvedWithMail();
    const visitor = new WebClient(t.app);
    const sent = await submitOnPage(visitor, links.page, `${links.page}/not-solved`, { message: '  ' });
    expect(sent.statusCode).toBe(422);
    expect(sent.body).toContain('Bitte beschreiben Sie kurz, was noch offen ist.');
    expect(ticketRow(t, ticket.id).status).toBe('solved');
  });
});

describe('the team leads\' report', () => {
  test('shows the share of good ratings by week and by agent, with the comments; agents and customers get 403', async () => {
    t.clock.set(new Date('2026-12-02T10:00:00+01:00'));
    const lead = await staffWithClient(t, 'lead', 'Lena Leiterin');
    const anna = await solvedWithMail('Eins', 'Anna Agentin');
    t.services.ratings.rate(anna.ticket.id, { rating: 'good', comment: 'Super.' });
    const bea = await solvedWithMail('Zwei', 'Bea Agentin');
    t.services.ratings.rate(bea.ticket.id, { rating: 'bad', comment: '' });
    t.clock.set(new Date('2026-12-08T10:00:00+01:00'));
    const anna2 = await solvedWithMail('Drei', 'Anna Zweite');
    t.services.ratings.rate(anna2.ticket.id, { rating: 'good', comment: 'Wieder gut <b>fett</b>.' });

    const report = await (await loggedInClient(t, lead.user.email)).get('/agent/ratings');
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('<h1>Zufriedenheit</h1>');
    expect(report.body).toContain('<tr><th scope="row">KW 50/2026 <span class="muted">(07.12.–13.12.)</span></th><td>1</td><td>1</td><td>100\u00a0%</td></tr>');
    expect(report.body).toContain('<tr><th scope="row">KW 49/2026 <span class="muted">(30.11.–06.12.)</span></th><td>2</td><td>1</td><td>50\u00a0%</td></tr>');
    expect(report.body).toContain('<tr><th scope="row">Bea Agentin</th><td>1</td><td>0</td><td>0\u00a0%</td></tr>');
    expect(report.body).toContain('<tr><th scope="row">Anna Agentin</th><td>1</td><td>1</td><td>100\u00a0%</td></tr>');
    expect(report.body).toContain('<blockquote class="message-body">Super.</blockquote>');
    expect(report.body).toContain('Wieder gut &lt;b&gt;fett&lt;/b&gt;.');
    expect(report.body).toContain('Bewertungen der letzten 12 Wochen: <strong>3</strong>, davon gut: <strong>2</strong> (67\u00a0%).');

    expect((await (await loggedInClient(t, anna.agent.user.email)).get('/agent/ratings')).statusCode).toBe(403);
    expect((await (await loggedInClient(t, anna.requester.email)).get('/agent/ratings')).statusCode).toBe(403);
    const visitor = await new WebClient(t.app).get('/agent/ratings');
    expect(visitor.statusCode).toBe(303);
  });
});
