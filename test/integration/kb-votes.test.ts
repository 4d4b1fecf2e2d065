// "War dieser Artikel hilfreich?": one vote per person (account or signed visitor cookie), changeable, counts for the team only.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kbVotes, sessions, type User } from '../../src/db/schema.js';
import { visitorCookieName } from '../../src/modules/kb/kb-routes.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';
import { knowledgeBase, notice, personWithClient } from './kb-pages.js';

let t: TestApp;
let agent: { user: User; client: WebClient };
let kb: ReturnType<typeof knowledgeBase>;

beforeAll(async () => {
  t = await testApp();
  agent = await personWithClient(t, 'agent', 'Anna Berger');
  kb = knowledgeBase(t, agent.user);
});
afterAll(async () => { await t.close(); });

function vote(client: WebClient, article: { id: number; path: string }, helpful: string) {
  return client.submit(article.path, `/kb/articles/${article.id}/vote`, { helpful });
}

function votesOf(articleId: number) {
  return t.db.select().from(kbVotes).where(eq(kbVotes.articleId, articleId)).all().map((row) => ({ voter: row.voterKey, helpful: row.helpful }));
}

const sessionRows = () => t.db.select({ n: count() }).from(sessions).get()!.n;

describe('a logged-in reader', () => {
  test('votes "Ja", is thanked, and sees the vote marked', async () => {
    const article = kb.publish('Hilfreicher Artikel');
    const { user, client } = await personWithClient(t, 'customer');
    const response = await vote(client, article, 'ja');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${article.path}?hinweis=abgestimmt#hilfreich`);
    expect(votesOf(article.id)).toEqual([{ voter: `user:${user.id}`, helpful: true }]);

    const page = await client.get(String(response.headers.location).split('#')[0]!);
    expect(notice(page.body)).toBe('Vielen Dank für Ihre Rückmeldung!');
    expect(page.body).toContain('<button type="submit" name="helpful" value="ja" class="button button-secondary" aria-pressed="true">Ja</button>');
    expect(page.body).toContain('<button type="submit" name="helpful" value="nein" class="button button-secondary" aria-pressed="false">Nein</button>');
    expect(page.body).toContain('Ihre Stimme: „Ja“. Sie können sie jederzeit ändern.');
  });

  test('has one vote: voting again changes it, whatever the browser', async () => {
    const article = kb.publish('Meinung geändert');
    const { user, client } = await personWithClient(t, 'customer');
    await vote(client, article, 'ja');
    await vote(client, article, 'nein');
    const secondBrowser = new WebClient(t.app);
    await secondBrowser.submit('/login', '/login', { email: user.email, password: 'ein langes Kennwort 42' });
    await vote(secondBrowser, article, 'nein');
    expect(votesOf(article.id)).toEqual([{ voter: `user:${user.id}`, helpful: false }]);
  });

  test('only the team sees the counts', async () => {
    const article = kb.publish('Gezählt');
    for (const helpful of ['ja', 'ja', 'nein']) await vote((await personWithClient(t, 'customer')).client, article, helpful);
    const forTeam = await agent.client.get(article.path);
    expect(forTeam.body).toContain('Nur für das Team sichtbar: 2 × „Ja“, 1 × „Nein“');
    expect((await agent.client.get(`/agent/kb/articles/${article.id}`)).body).toContain('<dt>Hilfreich</dt><dd>2 × „Ja“, 1 × „Nein“</dd>');
    const forCustomer = await (await personWithClient(t, 'customer')).client.get(article.path);
    expect(forCustomer.body).not.toContain('Nur für das Team');
    expect(forCustomer.body).not.toMatch(/\d × „Ja“/);
  });

  test('anything but "ja" or "nein" is answered in German (422), and counts nothing', async () => {
    const article = kb.publish('Ungültig');
    const { client } = await personWithClient(t, 'customer');
    const response = await vote(client, article, 'vielleicht');
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('<p class="field-error" role="alert">Bitte wählen Sie „Ja“ oder „Nein“.</p>');
    expect(votesOf(article.id)).toEqual([]);
  });

  test('a draft takes no votes', async () => {
    const draft = kb.draft('Noch ein Entwurf');
    const token = csrfTokenOf((await agent.client.get('/account')).body, '/logout');
    expect((await agent.client.post(`/kb/articles/${draft.id}/vote`, { _csrf: token, helpful: 'ja' })).statusCode).toBe(404);
    expect(votesOf(draft.id)).toEqual([]);
  });
});

describe('a visitor without login', () => {
  test('votes through a signed cookie of their own, and no session row is written', async () => {
    const article = kb.publish('Für Besucher');
    const visitor = new WebClient(t.app);
    const before = sessionRows();
    const response = await vote(visitor, article, 'ja');
    expect(response.statusCode).toBe(303);

    const setCookies = [response.headers['set-cookie']].flat().map(String);
    const cookie = setCookies.find((line) => line.startsWith(`${visitorCookieName}=`))!;
    expect(cookie).toMatch(/; Max-Age=31536000/);
    expect(cookie).toMatch(/; Path=\/kb/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(setCookies.some((line) => line.startsWith('hp_session='))).toBe(false);
    expect(sessionRows()).toBe(before);

    const [row] = votesOf(article.id);
    expect(row!.voter).toMatch(/^anon:[\w-]{16,64}$/);
    expect(visitor.cookies.get(visitorCookieName)).toContain(row!.voter.slice('anon:'.length));
  });

  test('the same browser changes its vote; another browser adds one', async () => {
    const article = kb.publish('Zwei Besucher');
    const first = new WebClient(t.app);
    await vote(first, article, 'ja');
    await vote(first, article, 'nein');
    expect(votesOf(article.id).map((row) => row.helpful)).toEqual([false]);
    expect((await first.get(article.path)).body).toContain('Ihre Stimme: „Nein“.');

    await vote(new WebClient(t.app), article, 'ja');
    expect(votesOf(article.id).map((row) => row.helpful).sort()).toEqual([false, true]);
  });

  test('a forged or tampered cookie counts as none: the vote gets a fresh id', async () => {
    const article = kb.publish('Gefälscht');
    const honest = new WebClient(t.app);
    await vote(honest, article, 'ja');
    const [honestVote] = votesOf(article.id);

    const forger = new WebClient(t.app);
    const stolenId = honestVote!.voter.slice('anon:'.length);
    forger.cookies.set(visitorCookieName, stolenId);
    await vote(forger, article, 'nein');
    forger.cookies.set(visitorCookieName, `${stolenId}.gefaelschteSignatur`);
    await vote(forger, article, 'nein');

    const votes = votesOf(article.id);
    expect(votes.find((row) => row.voter === honestVote!.voter)?.helpful).toBe(true);
    expect(votes).toHaveLength(3);
  });
});
