// Searching the Wissensdatenbank as readers do: umlauts in any spelling, prefixes, ranking, snippets, paging, any input at all.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { WebClient } from '../helpers/web-client.js';
import { heading, knowledgeBase, personWithClient, searchHits, searchTitles } from './kb-pages.js';

let t: TestApp;
let author: User;
let reader: WebClient;
let articles: ReturnType<typeof knowledgeBase>;

beforeAll(async () => {
  t = await testApp();
  author = (await personWithClient(t, 'agent')).user;
  reader = new WebClient(t.app);
  articles = knowledgeBase(t, author);
  articles.publish('Kennwörter vergeben', 'So legen Sie ein Kennwort für das Servicecenter fest.');
  articles.publish('Welche Decoder-Größe passt?', 'Die Größe des Decoders hängt von der Schnittstelle ab: NEM 651, PluX22, Next18.');
  articles.publish('Anfrage als gelöst markieren', 'Ist Ihr Anliegen gelöst, setzen Sie das Häkchen.');
  articles.publish('Rücksendung', 'Artikel innerhalb von 14 Tagen zurücksenden. Rücksendeetikett im Kundenkonto.');
  articles.publish('Abholung', 'Sie holen Ihre Bestellung in der Straße am Bahnhof ab.');
});
afterAll(async () => { await t.close(); });

describe('umlauts and ß in any spelling', () => {
  test.each([
    ['Kennwort', 'Kennwörter vergeben'],
    ['kennwoerter', 'Kennwörter vergeben'],
    ['Groesse', 'Welche Decoder-Größe passt?'],
    ['GRÖSSE', 'Welche Decoder-Größe passt?'],
    ['geloest', 'Anfrage als gelöst markieren'],
    ['Ruecksendung', 'Rücksendung'],
    ['Strasse', 'Abholung'],
  ])('"%s" finds "%s"', async (query, title) => {
    expect(await searchTitles(reader, query)).toEqual([title]);
  });

  test('written with e, the umlaut finds the umlaut spelling too', async () => {
    const other = knowledgeBase(t, author, { category: 'Umlaute', section: 'Schreibweisen' });
    other.publish('Ärger mit der Kupplung', 'Kupplungen klemmen.');
    expect(await searchTitles(reader, 'Aerger')).toEqual(['Ärger mit der Kupplung']);
    expect(await searchTitles(reader, 'Ärger')).toEqual(['Ärger mit der Kupplung']);
  });
});

describe('matching', () => {
  test('each word also finds the words that start with it', async () => {
    expect(await searchTitles(reader, 'Deco')).toEqual(['Welche Decoder-Größe passt?']);
    expect(await searchTitles(reader, 'rücksende')).toEqual(['Rücksendung']);
  });

  test('every word must occur; questions lose their filler words', async () => {
    expect(await searchTitles(reader, 'Kennwort Servicecenter')).toEqual(['Kennwörter vergeben']);
    expect(await searchTitles(reader, 'Wie lege ich mein Kennwort fest?')).toEqual(['Kennwörter vergeben']);
  });

  test('when no article has every word, articles with some of them are shown, and the page says so', async () => {
    const page = await reader.get(`/kb/search?q=${encodeURIComponent('Kennwort Drehscheibe')}`);
    expect(searchHits(page.body).map((hit) => hit.title)).toEqual(['Kennwörter vergeben']);
    expect(page.body).toContain('Kein Artikel enthält alle Ihre Suchwörter.');
  });

  test('a title hit ranks above hits in the text alone, however often the text says it', async () => {
    const ranking = knowledgeBase(t, author, { category: 'Ranking', section: 'Gewichtung' });
    ranking.publish('Drehscheibe einbauen', 'Anleitung zum Einbau.');
    ranking.publish('Gleisplan', 'Drehscheibe hier, Drehscheibe dort, und noch eine Drehscheibe im Bahnbetriebswerk.');
    expect(await searchTitles(reader, 'Drehscheibe')).toEqual(['Drehscheibe einbauen', 'Gleisplan']);
  });
});

describe('what a hit shows', () => {
  test('the title and a passage of the text, with the hits marked in their own spelling', async () => {
    const [hit] = searchHits((await reader.get('/kb/search?q=groesse')).body);
    expect(hit).toMatchObject({ title: 'Welche Decoder-Größe passt?', path: expect.stringMatching(/^\/kb\/articles\/\d+-welche-decoder-groesse-passt$/) });
    expect(hit!.marked).toEqual(['Größe', 'Größe']);
    expect(hit!.snippet).toBe('Die Größe des Decoders hängt von der Schnittstelle ab: NEM 651, PluX22, Next18.');
  });

  test('where the article stands and when it changed', async () => {
    const page = await reader.get('/kb/search?q=Kennwort');
    expect(page.body).toContain('Servicecenter › Ihr Konto · Aktualisiert am <time datetime="2026-11-30 10:00">30.11.2026</time>');
    expect(page.body).toContain('1 Artikel gefunden.');
  });

  test('text from the article is escaped in titles and snippets', async () => {
    const tricky = knowledgeBase(t, author, { category: 'Sonderzeichen', section: 'Zeichen' });
    tricky.publish('Signal <b>Hp0</b> & "Sh1"', 'Das Signal Hp0 zeigt <script>alert(1)</script> Halt.');
    const page = await reader.get('/kb/search?q=Hp0');
    expect(page.body).toContain('Signal &lt;b&gt;<mark>Hp0</mark>&lt;/b&gt; &amp; &quot;Sh1&quot;');
    expect(page.body).toContain('Das Signal <mark>Hp0</mark> zeigt &lt;script&gt;alert(1)&lt;/script&gt; Halt.');
    expect(page.body).not.toContain('<script>alert');
  });
});

describe('paging', () => {
  let paged: ReturnType<typeof knowledgeBase>;
  beforeAll(() => {
    paged = knowledgeBase(t, author, { category: 'Viele', section: 'Weichen' });
    for (let index = 1; index <= 25; index += 1) paged.publish(`Weichenantrieb Modell ${index}`, 'Ersatzteil für die Weiche.');
  });

  test('10 hits a page, each article once, with links back and forth', async () => {
    const pages = [await searchTitles(reader, 'Weichenantrieb'), await searchTitles(reader, 'Weichenantrieb', 2), await searchTitles(reader, 'Weichenantrieb', 3)];
    expect(pages.map((titles) => titles.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flat()).size).toBe(25);

    const first = (await reader.get('/kb/search?q=Weichenantrieb')).body;
    expect(first).toContain('25 Artikel gefunden.');
    expect(first).toContain('Seite 1 von 3.');
    expect(first).toContain('<a href="/kb/search?q=Weichenantrieb&amp;seite=2">Weitere Treffer</a>');
    expect(first).not.toContain('Vorherige Treffer');
    const last = (await reader.get('/kb/search?q=Weichenantrieb&seite=3')).body;
    expect(last).toContain('<a href="/kb/search?q=Weichenantrieb&amp;seite=2">Vorherige Treffer</a>');
    expect(last).not.toContain('Weitere Treffer');
  });

  test('a page past the end shows the last one; a page that is no number, the first', async () => {
    expect(await searchTitles(reader, 'Weichenantrieb', 99)).toEqual(await searchTitles(reader, 'Weichenantrieb', 3));
    expect((await reader.get('/kb/search?q=Weichenantrieb&seite=abc')).body).toContain('Seite 1 von 3.');
  });

  test('a word in very many articles ranks a capped set and says "more than 200"', async () => {
    const many = knowledgeBase(t, author, { category: 'Sehr viele', section: 'Alle' });
    for (let index = 1; index <= 205; index += 1) many.publish(`Schotter Nummer ${index}`, 'Schotter für die Anlage.');
    const page = (await reader.get('/kb/search?q=Schotter')).body;
    expect(page).toContain('Mehr als 200 Artikel passen. Mit einem weiteren Suchwort finden Sie schneller das Richtige.');
    expect(page).toContain('Seite 1 von 20.');
    expect(searchHits(page)).toHaveLength(10);
  });
});

describe('nothing found', () => {
  test('says so, suggests other words and offers the contact form', async () => {
    const page = await reader.get('/kb/search?q=Gibtsnicht');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Zu „Gibtsnicht“ haben wir leider keinen Artikel gefunden.');
    expect(page.body).toContain('<a href="/kb">Übersicht aller Themen</a>');
    expect(page.body).toContain('<a class="button" href="/requests/new">Anfrage einreichen</a>');
    expect(page.body).toContain('id="kb-suchbegriff" name="q" type="search" maxlength="200" value="Gibtsnicht"');
  });

  test('an empty search asks for words', async () => {
    const page = await reader.get('/kb/search?q=');
    expect(heading(page.body)).toBe('Suche in der Wissensdatenbank');
    expect(page.body).toContain('Geben Sie ein oder mehrere Wörter ein');
    expect(searchHits(page.body)).toEqual([]);
  });
});

describe('any text at all', () => {
  const hostile = [
    '"', '""', '"Kennwort', 'Kennwort"', "'", '*', '**', 'Kenn*', '-', '-Kennwort', 'Kennwort -Servicecenter', 'NOT Kennwort',
    'Kennwort AND', 'AND', 'OR', 'Kennwort OR', 'NEAR(', 'NEAR(Kennwort Servicecenter, 2)', 'NEAR', 'title:Kennwort', 'body : x',
    '{title}: Kennwort', '^Kennwort', '(', ')', '(Kennwort', '[', ']', '+', 'Kennwort + Servicecenter', '\\', '%', '_', ';', '--',
    "'; DROP TABLE kb_articles; --", '<script>alert(1)</script>', '\u0000', '\uE000Kennwort\uE001', '🚂🚃🚃', 'Kennwort'.repeat(2000),
    'a '.repeat(3000), 'NEAR('.repeat(500), '"'.repeat(1000),
  ];

  test.each(hostile.map((text) => [text.length > 40 ? `${text.slice(0, 40)}… (${text.length} characters)` : text, text]))(
    'answers with a page, never an error: %j', async (_label, text) => {
      const page = await reader.get(`/kb/search?q=${encodeURIComponent(text)}`);
      expect(page.statusCode).toBe(200);
      expect(heading(page.body)).toBe('Suche in der Wissensdatenbank');
      const suggestions = await reader.get(`/kb/suggest?q=${encodeURIComponent(text)}`);
      expect(suggestions.statusCode).toBe(200);
      expect(Array.isArray(suggestions.json().articles)).toBe(true);
    },
  );

  test('what was typed is shown escaped, never as markup', async () => {
    const page = await reader.get(`/kb/search?q=${encodeURIComponent('<script>alert(1)</script>"><img src=x>')}`);
    expect(page.body).not.toMatch(/<script>alert|<img src=x>/);
    expect(page.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x&gt;"');
  });

  test('a repeated or odd parameter is taken as text', async () => {
    expect((await reader.get('/kb/search?q=Kennwort&q=Decoder')).statusCode).toBe(200);
    expect(await searchTitles(reader, 'Kennwort')).toEqual(['Kennwörter vergeben']);
    expect((await reader.get('/kb/search?q[a]=1&seite[]=2')).statusCode).toBe(200);
    expect((await reader.get('/kb/search')).statusCode).toBe(200);
  });

  test('whatever the text, search and suggestions answer', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
      const page = await reader.get(`/kb/search?q=${encodeURIComponent(text)}`);
      expect(page.statusCode).toBe(200);
      expect((await reader.get(`/kb/suggest?q=${encodeURIComponent(text)}`)).statusCode).toBe(200);
    }), { numRuns: 150 });
  });
});

describe('only published articles are found', () => {
  test('a draft is not found until published, and not after it is withdrawn or deleted', async () => {
    const kb = t.services.kb;
    const lifecycle = knowledgeBase(t, author, { category: 'Lebenslauf', section: 'Artikel' });
    const draft = lifecycle.draft('Oberleitung spannen', 'Fahrdraht richtig spannen.');
    expect(await searchTitles(reader, 'Oberleitung')).toEqual([]);

    kb.publishArticle(author, draft.id);
    expect(await searchTitles(reader, 'Oberleitung')).toEqual(['Oberleitung spannen']);

    kb.updateArticle(author, draft.id, { title: 'Fahrleitung spannen', sectionId: lifecycle.section.id, body: 'Fahrdraht richtig spannen.' });
    expect(await searchTitles(reader, 'Oberleitung')).toEqual([]);
    expect(await searchTitles(reader, 'Fahrleitung')).toEqual(['Fahrleitung spannen']);

    kb.unpublishArticle(author, draft.id);
    expect(await searchTitles(reader, 'Fahrleitung')).toEqual([]);

    kb.publishArticle(author, draft.id);
    kb.deleteArticle(draft.id);
    expect(await searchTitles(reader, 'Fahrleitung')).toEqual([]);
  });
});

describe('suggestions for the contact form (JSON)', () => {
  test('the best few articles, titles and links only, for anyone, without cookies', async () => {
    const response = await new WebClient(t.app).get(`/kb/suggest?q=${encodeURIComponent('Mein Kennwort geht nicht')}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.json()).toEqual({
      articles: [{ title: 'Kennwörter vergeben', url: expect.stringMatching(/^\/kb\/articles\/\d+-kennwoerter-vergeben$/), section: 'Ihr Konto' }],
    });
  });

  test('at most five, and none for text without words', async () => {
    expect((await reader.get('/kb/suggest?q=Weichenantrieb')).json().articles).toHaveLength(5);
    expect((await reader.get('/kb/suggest?q=%20%22')).json()).toEqual({ articles: [] });
    expect((await reader.get('/kb/suggest')).json()).toEqual({ articles: [] });
  });
});

describe('search boxes', () => {
  test.each(['/', '/requests/new', '/login', '/kb'])('the header of %s searches the Wissensdatenbank', async (path) => {
    const page = await reader.get(path);
    expect(page.body).toContain('<form method="get" action="/kb/search" role="search" aria-label="Wissensdatenbank" class="header-search">');
    expect(page.body).toContain('<label for="kopfsuche" class="visually-hidden">Wissensdatenbank durchsuchen</label>');
    expect(page.body).toContain('<input id="kopfsuche" name="q" type="search"');
  });

  test('the Wissensdatenbank pages have a search box of their own', async () => {
    const page = await reader.get('/kb');
    expect(page.body).toContain('<label for="kb-suchbegriff">Wonach suchen Sie?</label>');
    expect(page.body).toContain('<input id="kb-suchbegriff" name="q" type="search"');
  });
});
