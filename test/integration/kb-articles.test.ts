// The Wissensdatenbank's pages and the agents' side of it: structure, clean URLs, drafts, Markdown, writing, publishing, guards.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { kbArticles, kbComments, kbVotes, type User } from '../../src/db/schema.js';
import { articlePath } from '../../src/modules/kb/kb-paths.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, WebClient } from '../helpers/web-client.js';
import { fieldError, heading, knowledgeBase, notice, personWithClient, textOf } from './kb-pages.js';

let t: TestApp;
let agent: { user: User; client: WebClient };
let customer: { user: User; client: WebClient };
let visitor: WebClient;

beforeAll(async () => {
  t = await testApp();
  agent = await personWithClient(t, 'agent', 'Anna Berger');
  customer = await personWithClient(t, 'customer', 'Karla Kundin');
  visitor = new WebClient(t.app);
});
afterAll(async () => { await t.close(); });

const articleCount = () => t.db.select({ n: count() }).from(kbArticles).get()!.n;

describe('reading', () => {
  let kb: ReturnType<typeof knowledgeBase>;
  let article: ReturnType<ReturnType<typeof knowledgeBase>['publish']>;
  beforeAll(() => {
    kb = knowledgeBase(t, agent.user, { category: 'Bestellung und Versand', section: 'Rücksendung' });
    article = kb.publish('Artikel zurücksenden', '## Schritte\n\n1. Etikett drucken\n2. Paket packen\n\n**Kostenlos** für Sie. <script>alert(1)</script>');
  });

  test('/kb lists the categories with their sections; sections without published articles stay out', async () => {
    const empty = knowledgeBase(t, agent.user, { category: 'Leere Kategorie', section: 'Nur Entwürfe' });
    empty.draft('Noch nicht fertig');
    const page = await visitor.get('/kb');
    expect(page.statusCode).toBe(200);
    expect(heading(page.body)).toBe('Wissensdatenbank');
    expect(page.body).toContain(`<a href="/kb/categories/${kb.category.id}-bestellung-und-versand">Bestellung und Versand</a>`);
    expect(page.body).toContain(`<a href="/kb/sections/${kb.section.id}-ruecksendung">Rücksendung</a>`);
    expect(page.body).not.toContain('Leere Kategorie');
    expect(page.body).toContain('<a class="button" href="/requests/new">Anfrage einreichen</a>');
  });

  test('a category lists its sections with their articles; a section lists its articles; both with breadcrumbs', async () => {
    const category = await visitor.get(`/kb/categories/${kb.category.id}-bestellung-und-versand`);
    expect(heading(category.body)).toBe('Bestellung und Versand');
    expect(category.body).toContain(`<a href="${article.path}">Artikel zurücksenden</a>`);
    expect(category.body).toContain('<li aria-current="page">Bestellung und Versand</li>');

    const section = await visitor.get(`/kb/sections/${kb.section.id}-ruecksendung`);
    expect(heading(section.body)).toBe('Rücksendung');
    expect(section.body).toContain(`<a href="${article.path}">Artikel zurücksenden</a>`);
    expect(textOf(section.body.split('<nav class="kb-breadcrumbs" aria-label="Brotkrümelnavigation">')[1]!.split('</nav>')[0]!)).toBe('Wissensdatenbank Bestellung und Versand Rücksendung');
  });

  test('an article has breadcrumbs, its rendered text, author and last update, the vote, the contact form and its comments', async () => {
    const page = await visitor.get(article.path);
    expect(page.statusCode).toBe(200);
    expect(heading(page.body)).toBe('Artikel zurücksenden');
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    const crumbs = page.body.split('<nav class="kb-breadcrumbs" aria-label="Brotkrümelnavigation">')[1]!.split('</nav>')[0]!;
    expect(crumbs).toContain('<li><a href="/kb">Wissensdatenbank</a></li>');
    expect(crumbs).toContain(`<li><a href="/kb/categories/${kb.category.id}-bestellung-und-versand">Bestellung und Versand</a></li>`);
    expect(crumbs).toContain(`<li><a href="/kb/sections/${kb.section.id}-ruecksendung">Rücksendung</a></li>`);
    expect(crumbs).toContain('<li aria-current="page">Artikel zurücksenden</li>');
    expect(page.body).toContain('<h2>Schritte</h2>');
    expect(page.body).toContain('<li>Etikett drucken</li>');
    expect(page.body).toContain('<strong>Kostenlos</strong> für Sie. &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('Von Anna vom Servicecenter · Aktualisiert am <time datetime="2026-11-30 10:00">30.11.2026</time>');
    expect(page.body).toContain('<h2 id="hilfreich-titel">War dieser Artikel hilfreich?</h2>');
    expect(page.body).toContain('<a class="button" href="/requests/new">Anfrage einreichen</a>');
    expect(page.body).toContain('<h2 id="kommentare-titel">0 Kommentare</h2>');
  });

  test('the id decides; a missing or changed slug redirects to the current URL', async () => {
    const bare = await visitor.get(`/kb/articles/${article.id}`);
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe(article.path);
    const renamed = await visitor.get(`/kb/articles/${article.id}-alter-titel?hinweis=abgestimmt`);
    expect(renamed.statusCode).toBe(301);
    expect(renamed.headers.location).toBe(`${article.path}?hinweis=abgestimmt`);
    expect((await visitor.get(`/kb/categories/${kb.category.id}`)).headers.location).toBe(`/kb/categories/${kb.category.id}-bestellung-und-versand`);
    expect((await visitor.get(`/kb/sections/${kb.section.id}-x`)).headers.location).toBe(`/kb/sections/${kb.section.id}-ruecksendung`);
  });

  test.each(['/kb/articles/999999-gibt-es-nicht', '/kb/articles/kein-artikel', '/kb/categories/999999', '/kb/sections/abc'])('%s is the German 404 page', async (path) => {
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(404);
    expect(heading(page.body)).toBe('Seite nicht gefunden');
  });

  test('a draft looks missing to visitors and customers, and is shown to the team marked as draft', async () => {
    const draft = kb.draft('Geheimer Entwurf', 'Noch nicht fertig.');
    const path = articlePath(draft);
    const withoutTokens = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
    for (const client of [visitor, customer.client]) {
      const page = await client.get(path);
      const missing = await client.get('/kb/articles/999999-gibt-es-nicht');
      expect(page.statusCode).toBe(404);
      expect(withoutTokens(page.body)).toBe(withoutTokens(missing.body));
    }
    const forTeam = await agent.client.get(path);
    expect(forTeam.statusCode).toBe(200);
    expect(forTeam.body).toContain('<strong>Entwurf:</strong> Dieser Artikel ist noch nicht veröffentlicht. Nur das Team sieht ihn.');
    expect(forTeam.body).not.toContain('War dieser Artikel hilfreich?');
  });

  test('the customer navigation leads to the Wissensdatenbank and marks it as the current page there', async () => {
    const page = await customer.client.get('/kb');
    expect(page.body).toContain('<li><a href="/kb" aria-current="page">Wissensdatenbank</a></li>');
    expect((await customer.client.get('/requests')).body).toContain('<li><a href="/kb">Wissensdatenbank</a></li>');
  });
});

describe('writing articles in /agent', () => {
  let kb: ReturnType<typeof knowledgeBase>;
  beforeAll(() => { kb = knowledgeBase(t, agent.user, { category: 'Technik', section: 'Digitalsteuerung' }); });

  test('the agent navigation has "Wissensdatenbank"', async () => {
    const page = await agent.client.get('/agent/kb');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<li><a href="/agent/kb" aria-current="page">Wissensdatenbank</a></li>');
  });

  test('a new article is saved as a draft, by its author', async () => {
    const before = articleCount();
    const saved = await agent.client.submit('/agent/kb/articles/new', '/agent/kb/articles/new', {
      title: 'Decoder einbauen', sectionId: String(kb.section.id), body: 'Zuerst die **Lok öffnen**.', aktion: 'speichern',
    });
    expect(saved.statusCode).toBe(303);
    expect(articleCount()).toBe(before + 1);
    const id = Number(String(saved.headers.location).match(/^\/agent\/kb\/articles\/(\d+)\?hinweis=angelegt$/)![1]);
    const row = t.db.select().from(kbArticles).where(eq(kbArticles.id, id)).get()!;
    expect(row).toMatchObject({ title: 'Decoder einbauen', status: 'draft', authorId: agent.user.id, bodyHtml: '<p>Zuerst die <strong>Lok öffnen</strong>.</p>\n', bodyText: 'Zuerst die Lok öffnen.' });

    const page = await agent.client.get(String(saved.headers.location));
    expect(notice(page.body)).toBe('Der Artikel wurde als Entwurf angelegt. Veröffentlichen Sie ihn, sobald er fertig ist.');
    expect(page.body).toContain('<span class="kb-status kb-status-draft">Entwurf</span>');
  });

  test('"Vorschau" shows the rendered, sanitized text and keeps the input, without saving anything', async () => {
    const before = articleCount();
    const preview = await agent.client.submit('/agent/kb/articles/new', '/agent/kb/articles/new', {
      title: 'Entwurf mit Vorschau', sectionId: String(kb.section.id), body: '## Zwischentitel\n\n<img src=x onerror=alert(1)> [Link](javascript:alert(1))', aktion: 'vorschau',
    });
    expect(preview.statusCode).toBe(200);
    expect(articleCount()).toBe(before);
    const section = preview.body.split('<section class="kb-preview"')[1]!;
    expect(section).toContain('<h2>Zwischentitel</h2>');
    expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(section).not.toMatch(/<img|href="javascript/);
    expect(preview.body).toContain('value="Entwurf mit Vorschau"');
    expect(preview.body).toContain(`<option value="${kb.section.id}" selected>Digitalsteuerung</option>`);
  });

  test('mistakes are named in German on the page (422), with the input kept', async () => {
    const response = await agent.client.submit('/agent/kb/articles/new', '/agent/kb/articles/new', { title: '  ', sectionId: '', body: 'Nur Text', aktion: 'speichern' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'title')).toBe('Bitte geben Sie einen Titel an.');
    expect(fieldError(response.body, 'sectionId')).toBe('Bitte wählen Sie einen Abschnitt.');
    expect(response.body).toContain('>Nur Text</textarea>');
    expect(response.body).toContain('<div class="error-summary" role="alert"');

    const gone = await agent.client.submit('/agent/kb/articles/new', '/agent/kb/articles/new', { title: 'X', sectionId: '999999', body: 'Text', aktion: 'speichern' });
    expect(gone.statusCode).toBe(422);
    expect(fieldError(gone.body, 'sectionId')).toBe('Diesen Abschnitt gibt es nicht mehr. Bitte wählen Sie einen anderen.');
  });

  test('publish, edit, withdraw: customers see exactly the published state', async () => {
    const draft = kb.draft('Lokadresse ändern', 'CV 1 setzen.');
    const editPage = `/agent/kb/articles/${draft.id}`;
    expect((await customer.client.get(articlePath(draft))).statusCode).toBe(404);

    const published = await agent.client.submit(editPage, `${editPage}/publish`, {});
    expect(published.headers.location).toBe(`${editPage}?hinweis=veroeffentlicht`);
    expect((await customer.client.get(articlePath(draft))).statusCode).toBe(200);

    const edited = await agent.client.submit(editPage, editPage, { title: 'Lokadresse programmieren', sectionId: String(kb.section.id), body: 'CV 1 auf dem Programmiergleis setzen.', aktion: 'speichern' });
    expect(edited.headers.location).toBe(`${editPage}?hinweis=gespeichert`);
    const renamed = { id: draft.id, title: 'Lokadresse programmieren' };
    const page = await customer.client.get(articlePath(renamed));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p>CV 1 auf dem Programmiergleis setzen.</p>');

    const withdrawn = await agent.client.submit(editPage, `${editPage}/unpublish`, {});
    expect(withdrawn.headers.location).toBe(`${editPage}?hinweis=zurueckgezogen`);
    expect((await customer.client.get(articlePath(renamed))).statusCode).toBe(404);
    expect(notice((await agent.client.get(String(withdrawn.headers.location))).body)).toBe('Der Artikel ist wieder ein Entwurf und für Kunden nicht mehr sichtbar.');
  });

  test('deleting an article takes its votes and comments with it', async () => {
    const doomed = kb.publish('Veralteter Artikel');
    t.services.kb.vote(doomed.id, `user:${customer.user.id}`, true);
    t.services.kb.addComment(customer.user, doomed.id, 'Danke!');
    const editPage = `/agent/kb/articles/${doomed.id}`;
    const deleted = await agent.client.submit(editPage, `${editPage}/delete`, {});
    expect(deleted.headers.location).toBe('/agent/kb?hinweis=geloescht');
    expect(t.db.select().from(kbArticles).where(eq(kbArticles.id, doomed.id)).get()).toBeUndefined();
    expect(t.db.select().from(kbVotes).where(eq(kbVotes.articleId, doomed.id)).all()).toEqual([]);
    expect(t.db.select().from(kbComments).where(eq(kbComments.articleId, doomed.id)).all()).toEqual([]);
    expect((await customer.client.get(doomed.path)).statusCode).toBe(404);
  });

  test('the list shows status, place, votes and comments, filters by status and pages by 50', async () => {
    const listing = knowledgeBase(t, agent.user, { category: 'Liste', section: 'Viele' });
    for (let index = 1; index <= 52; index += 1) {
      t.clock.advance(1000);
      if (index % 2) listing.publish(`Listenartikel ${index}`);
      else listing.draft(`Listenartikel ${index}`);
    }
    const first = await agent.client.get('/agent/kb');
    const titles = [...first.body.matchAll(/<th scope="row"><a href="\/agent\/kb\/articles\/\d+">([^<]*)<\/a><\/th>/g)].map((match) => match[1]);
    expect(titles).toHaveLength(50);
    expect(titles[0]).toBe('Listenartikel 52');
    expect(first.body).toContain('<td>Liste › Viele</td>');
    const older = first.body.match(/<a href="([^"]*)">Ältere Artikel<\/a>/)![1]!.replaceAll('&amp;', '&');
    const second = await agent.client.get(older);
    expect(second.body).toContain('Listenartikel 2<');

    const drafts = await agent.client.get('/agent/kb?status=entwurf');
    expect(drafts.body).not.toContain('kb-status-published');
    expect(drafts.body).toContain('<option value="entwurf" selected>Entwürfe</option>');
  });
});

describe('categories and sections in /agent', () => {
  test('create, rename and delete a category and a section; order by "Reihenfolge"', async () => {
    const created = await agent.client.submit('/agent/kb/categories/new', '/agent/kb/categories/new', { name: 'Zubehör', description: 'Alles rund um Zubehör', position: '5' });
    expect(created.headers.location).toBe('/agent/kb/structure?hinweis=kategorie-angelegt');
    const category = t.services.kb.structure().find((entry) => entry.category.name === 'Zubehör')!.category;
    expect(category).toMatchObject({ description: 'Alles rund um Zubehör', position: 5 });

    const section = await agent.client.submit(`/agent/kb/sections/new?kategorie=${category.id}`, '/agent/kb/sections/new', { categoryId: String(category.id), name: 'Gleise', description: '', position: '' });
    expect(section.headers.location).toBe('/agent/kb/structure?hinweis=abschnitt-angelegt');
    const sectionId = t.services.kb.structure().find((entry) => entry.category.id === category.id)!.sections[0]!.id;

    const renamed = await agent.client.submit(`/agent/kb/categories/${category.id}`, `/agent/kb/categories/${category.id}`, { name: 'Zubehör und Gleise', description: '', position: '1' });
    expect(renamed.headers.location).toBe('/agent/kb/structure?hinweis=kategorie-gespeichert');
    const structure = await agent.client.get('/agent/kb/structure?hinweis=kategorie-gespeichert');
    expect(structure.body).toContain(`<a href="/agent/kb/categories/${category.id}">Zubehör und Gleise</a>`);
    expect(structure.body).toContain(`<a href="/agent/kb/sections/${sectionId}">Gleise</a>`);

    const refused = await agent.client.submit(`/agent/kb/categories/${category.id}`, `/agent/kb/categories/${category.id}/delete`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Diese Kategorie enthält noch Abschnitte.');

    t.services.kb.createArticle(agent.user, { title: 'Entwurf im Abschnitt', sectionId, body: 'Text' });
    const sectionRefused = await agent.client.submit(`/agent/kb/sections/${sectionId}`, `/agent/kb/sections/${sectionId}/delete`, {});
    expect(sectionRefused.statusCode).toBe(422);
    expect(sectionRefused.body).toContain('Dieser Abschnitt enthält noch Artikel (auch Entwürfe).');
  });

  test('an empty section and then its empty category can be deleted', async () => {
    const category = t.services.kb.createCategory({ name: 'Kurzlebig', description: '', position: 0 });
    const section = t.services.kb.createSection({ categoryId: category.id, name: 'Leer', description: '', position: 0 })!;
    const page = `/agent/kb/sections/${section.id}`;
    expect((await agent.client.submit(page, `${page}/delete`, {})).headers.location).toBe('/agent/kb/structure?hinweis=abschnitt-geloescht');
    const categoryPage = `/agent/kb/categories/${category.id}`;
    expect((await agent.client.submit(categoryPage, `${categoryPage}/delete`, {})).headers.location).toBe('/agent/kb/structure?hinweis=kategorie-geloescht');
    expect(t.services.kb.findCategory(category.id)).toBeUndefined();
  });

  test('mistakes are named in German (422), with the input kept', async () => {
    const response = await agent.client.submit('/agent/kb/sections/new', '/agent/kb/sections/new', { categoryId: '', name: '', description: 'x'.repeat(501), position: 'zehn' });
    expect(response.statusCode).toBe(422);
    expect(fieldError(response.body, 'categoryId')).toBe('Bitte wählen Sie eine Kategorie.');
    expect(fieldError(response.body, 'name')).toBe('Bitte geben Sie einen Namen an.');
    expect(fieldError(response.body, 'description')).toBe('Die Beschreibung darf höchstens 500 Zeichen lang sein.');
    expect(fieldError(response.body, 'position')).toBe('Bitte geben Sie als Reihenfolge eine Zahl von 0 bis 9.999 an.');
    expect(response.body).toContain('value="zehn"');
  });
});

describe('who may use /agent/kb', () => {
  const kbRoutes = () => [...new Set(t.app.routeTable
    .filter((route) => route.url.startsWith('/agent/kb') && route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url}`))];
  const concrete = (url: string) => url.replace(/:[^/]+/g, '1');

  test('every route sends visitors to the login page', async () => {
    expect(kbRoutes().length).toBeGreaterThanOrEqual(20);
    for (const route of kbRoutes()) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const response = method === 'GET' ? await visitor.get(concrete(url)) : await visitor.post(concrete(url), {});
      expect(response.statusCode, route).toBe(303);
      expect(response.headers.location, route).toBe(method === 'GET' ? `/login?next=${encodeURIComponent(concrete(url))}` : '/login?next=%2F');
    }
  });

  test('every route answers customers with the German 403 page, even with a valid CSRF token', async () => {
    t.services.kb.createCategory({ name: 'Für den Guard', description: '', position: 0 });
    const token = csrfTokenOf((await customer.client.get('/account')).body, '/logout');
    for (const route of kbRoutes()) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const response = method === 'GET' ? await customer.client.get(concrete(url)) : await customer.client.post(concrete(url), { _csrf: token, title: 'x', name: 'x' });
      expect(response.statusCode, route).toBe(403);
      expect(heading(response.body), route).toBe('Kein Zugriff');
    }
  });
});
