// Comments under Wissensdatenbank articles: who may write, what readers see, escaping, the rate limit, and the agents' moderation.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kbComments, type User } from '../../src/db/schema.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';
import { fieldError, heading, knowledgeBase, listedComments, notice, personWithClient } from './kb-pages.js';

let t: TestApp;
let agent: { user: User; client: WebClient };
let kb: ReturnType<typeof knowledgeBase>;

beforeAll(async () => {
  t = await testApp();
  agent = await personWithClient(t, 'agent', 'Anna Berger');
  kb = knowledgeBase(t, agent.user);
});
afterAll(async () => { await t.close(); });

const commentsOf = (articleId: number) => t.db.select({ n: count() }).from(kbComments).where(eq(kbComments.articleId, articleId)).get()!.n;

function comment(client: WebClient, article: { path: string; id: number }, text: string) {
  return client.submit(article.path, `/kb/articles/${article.id}/comments`, { comment: text });
}

describe('writing a comment', () => {
  test('an article without comments says "0 Kommentare"; visitors are asked to log in and come back', async () => {
    const article = kb.publish('Ohne Kommentare');
    const page = await new WebClient(t.app).get(article.path);
    expect(page.body).toContain('<h2 id="kommentare-titel">0 Kommentare</h2>');
    expect(page.body).not.toContain('Ihr Kommentar');
    expect(page.body).toContain(`<a href="/login?next=${encodeURIComponent(article.path)}">melden Sie sich bitte an</a>`);
  });

  test('a visitor who posts anyway is sent to the login; without a CSRF token the post is refused', async () => {
    const article = kb.publish('Besucher schreibt');
    const visitor = new WebClient(t.app);
    const token = csrfTokenOf((await visitor.get(article.path)).body, `/kb/articles/${article.id}/vote`);
    const posted = await visitor.post(`/kb/articles/${article.id}/comments`, { _csrf: token, comment: 'Hallo' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/login?next=${encodeURIComponent(article.path)}`);
    const customer = await personWithClient(t, 'customer');
    expect((await customer.client.post(`/kb/articles/${article.id}/comments`, { comment: 'Hallo' })).statusCode).toBe(403);
    expect(commentsOf(article.id)).toBe(0);
  });

  test('a customer comments under "Ihr Kommentar" and readers see it with the first name only', async () => {
    const article = kb.publish('Mit Kommentar');
    const { client } = await personWithClient(t, 'customer', 'Karla Kundin');
    const form = await client.get(article.path);
    expect(form.body).toContain('<label for="comment">Ihr Kommentar</label>');
    expect(form.body).toContain('<button type="submit" class="button">Kommentar senden</button>');

    const posted = await comment(client, article, 'Sehr hilfreich,\ndanke!');
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`${article.path}?hinweis=kommentiert#kommentare`);

    const page = await new WebClient(t.app).get(article.path);
    expect(page.body).toContain('<h2 id="kommentare-titel">1 Kommentar</h2>');
    expect(listedComments(page.body)).toEqual(['Karla: Sehr hilfreich, danke!']);
    expect(page.body).not.toContain('Kundin');
    expect(page.body).not.toContain('@example.org');
    expect(notice((await client.get(String(posted.headers.location))).body)).toBe('Vielen Dank, Ihr Kommentar ist veröffentlicht.');
  });

  test('a comment is plain text: markup is shown, never run', async () => {
    const article = kb.publish('Escaping');
    const { client } = await personWithClient(t, 'customer', 'Eve Böse');
    await comment(client, article, '<script>alert(1)</script> <img src=x onerror=alert(2)> "zitiert" & **fett**');
    const page = await new WebClient(t.app).get(article.path);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &quot;zitiert&quot; &amp; **fett**');
    expect(page.body).not.toMatch(/<script>alert|<img src=x/);
  });

  test('an empty or too long comment is refused in German (422), with the text kept', async () => {
    const article = kb.publish('Fehler');
    const { client } = await personWithClient(t, 'customer');
    const empty = await comment(client, article, '   ');
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'comment')).toBe('Bitte schreiben Sie Ihren Kommentar.');
    expect(empty.body).toContain('<a href="#comment">Bitte schreiben Sie Ihren Kommentar.</a>');

    const long = await comment(client, article, 'x'.repeat(2001));
    expect(long.statusCode).toBe(422);
    expect(fieldError(long.body, 'comment')).toBe('Ein Kommentar darf höchstens 2.000 Zeichen lang sein.');
    expect(long.body).toContain(`>${'x'.repeat(2001)}</textarea>`);
    expect(commentsOf(article.id)).toBe(0);
  });

  test('five comments in ten minutes, then a German 429 with the text kept, and later again', async () => {
    const article = kb.publish('Rate limit');
    const { client } = await personWithClient(t, 'customer');
    for (let index = 1; index <= 5; index += 1) expect((await comment(client, article, `Kommentar ${index}`)).statusCode).toBe(303);
    const sixth = await comment(client, article, 'Der sechste');
    expect(sixth.statusCode).toBe(429);
    expect(fieldError(sixth.body, 'comment')).toBe('Sie haben in den letzten 10 Minuten schon 5 Kommentare geschrieben. Bitte warten Sie einige Minuten und senden Sie Ihren Kommentar dann noch einmal.');
    expect(sixth.body).toContain('>Der sechste</textarea>');
    expect(commentsOf(article.id)).toBe(5);

    t.clock.advance(10 * 60_000);
    expect((await comment(client, article, 'Der sechste')).statusCode).toBe(303);
    expect(commentsOf(article.id)).toBe(6);
  });

  test('a draft takes no comments', async () => {
    const draft = kb.draft('Entwurf ohne Kommentare');
    const { client } = await personWithClient(t, 'customer');
    const token = csrfTokenOf((await client.get('/account')).body, '/logout');
    expect((await client.post(`/kb/articles/${draft.id}/comments`, { _csrf: token, comment: 'Hallo' })).statusCode).toBe(404);
  });
});

describe('moderation in /agent', () => {
  async function commentedArticle(title: string, text = 'Passt der Decoder in die BR 218?') {
    const article = kb.publish(title);
    const customer = await personWithClient(t, 'customer', 'Karl Kunde');
    await comment(customer.client, article, text);
    const row = t.db.select().from(kbComments).where(eq(kbComments.articleId, article.id)).get()!;
    return { article, customer, commentId: row.id };
  }

  test('an agent answers; the answer appears under the comment as "Anna vom Servicecenter"', async () => {
    const { article, commentId } = await commentedArticle('Beantwortet');
    const list = `/agent/kb/comments?artikel=${article.id}`;
    const moderation = await agent.client.get(list);
    expect(moderation.body).toContain('Karl Kunde</strong> (');
    expect(moderation.body).toContain(`<label for="antwort-${commentId}">Antwort an Karl Kunde</label>`);

    const answered = await agent.client.submit(list, `/agent/kb/comments/${commentId}/answer`, { answer: 'Ja, mit PluX22-Schnittstelle.' });
    expect(answered.headers.location).toBe(`/agent/kb/comments?artikel=${article.id}&hinweis=beantwortet`);
    const page = await new WebClient(t.app).get(article.path);
    expect(listedComments(page.body)).toEqual(['Karl: Passt der Decoder in die BR 218?', 'Anna vom Servicecenter: Ja, mit PluX22-Schnittstelle.']);
    expect(page.body).toContain('<h2 id="kommentare-titel">2 Kommentare</h2>');
  });

  test('an empty answer is refused in German on the moderation page (422)', async () => {
    const { article, commentId } = await commentedArticle('Leere Antwort');
    const response = await agent.client.submit(`/agent/kb/comments?artikel=${article.id}`, `/agent/kb/comments/${commentId}/answer`, { answer: ' ' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, `antwort-${commentId}`)).toBe('Bitte schreiben Sie eine Antwort.');
  });

  test('a hidden comment disappears for readers with its answers, and comes back when shown again', async () => {
    const { article, commentId } = await commentedArticle('Ausgeblendet');
    t.services.kb.answerComment(agent.user, commentId, 'Unsere Antwort.');
    const list = `/agent/kb/comments?artikel=${article.id}`;
    const hidden = await agent.client.submit(list, `/agent/kb/comments/${commentId}/hide`, { zurueck: `/agent/kb/comments?artikel=${article.id}&` });
    expect(hidden.headers.location).toBe(`/agent/kb/comments?artikel=${article.id}&hinweis=ausgeblendet`);

    const page = await new WebClient(t.app).get(article.path);
    expect(listedComments(page.body)).toEqual([]);
    expect(page.body).toContain('<h2 id="kommentare-titel">0 Kommentare</h2>');
    expect((await agent.client.get(list)).body).toContain('<span class="marker">Ausgeblendet</span>');

    await agent.client.submit(list, `/agent/kb/comments/${commentId}/show`, {});
    expect(listedComments((await new WebClient(t.app).get(article.path)).body)).toEqual(['Karl: Passt der Decoder in die BR 218?', 'Anna vom Servicecenter: Unsere Antwort.']);
  });

  test('a deleted comment is gone with its answers', async () => {
    const { article, commentId } = await commentedArticle('Gelöscht');
    t.services.kb.answerComment(agent.user, commentId, 'Unsere Antwort.');
    const deleted = await agent.client.submit('/agent/kb/comments', `/agent/kb/comments/${commentId}/delete`, {});
    expect(deleted.headers.location).toBe('/agent/kb/comments?hinweis=kommentar-geloescht');
    expect(commentsOf(article.id)).toBe(0);
  });

  test('customers cannot moderate: 403, and the comment stays', async () => {
    const { article, customer, commentId } = await commentedArticle('Nicht moderierbar');
    const token = csrfTokenOf((await customer.client.get('/account')).body, '/logout');
    for (const action of ['hide', 'delete', 'answer']) {
      const response = await customer.client.post(`/agent/kb/comments/${commentId}/${action}`, { _csrf: token, answer: 'Ich bin kein Agent' });
      expect(response.statusCode).toBe(403);
      expect(heading(response.body)).toBe('Kein Zugriff');
    }
    expect(listedComments((await new WebClient(t.app).get(article.path)).body)).toEqual(['Karl: Passt der Decoder in die BR 218?']);
  });

  test('the moderation list shows the newest first and pages by 20', async () => {
    const article = kb.publish('Viele Kommentare');
    const { user } = await personWithClient(t, 'agent', 'Viel Schreiber');
    for (let index = 1; index <= 22; index += 1) {
      t.clock.advance(1000);
      t.services.kb.addComment(user, article.id, `Nummer ${index}`);
    }
    const first = await agent.client.get(`/agent/kb/comments?artikel=${article.id}`);
    const bodies = [...first.body.matchAll(/<div class="message-body">Nummer (\d+)<\/div>/g)].map((match) => Number(match[1]));
    expect(bodies).toEqual(Array.from({ length: 20 }, (_, index) => 22 - index));
    const older = first.body.match(/<a href="([^"]*)">Ältere Kommentare<\/a>/)![1]!.replaceAll('&amp;', '&');
    const second = await agent.client.get(older);
    expect([...second.body.matchAll(/<div class="message-body">Nummer (\d+)<\/div>/g)].map((match) => Number(match[1]))).toEqual([2, 1]);
  });
});
