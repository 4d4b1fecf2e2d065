// How typed text becomes a Wissensdatenbank query: German folding, safe FTS5 syntax for any input, snippets and slugs.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { hitEnd, hitStart } from '../../src/lib/plain-text.js';
import { foldForSearch, slugify } from '../../src/modules/kb/kb-fold.js';
import { idOfPathSegment } from '../../src/modules/kb/kb-paths.js';
import { isExpanded, matchesTerm, matchExpression, maxTerms, parseSearchText, termMatcher, wordsOf } from '../../src/modules/kb/kb-query.js';
import { markHits, snippetOf } from '../../src/modules/kb/kb-snippets.js';

/** The snippet with its hit markers as [brackets], to read the expectations. */
const shown = (text: string) => text.replaceAll(hitStart, '[').replaceAll(hitEnd, ']');

describe('folding German spellings', () => {
  test.each([
    ['Kennwörter', 'kennworter'], ['Kennwoerter', 'kennworter'],
    ['Größe', 'grosse'], ['Groesse', 'grosse'], ['GRÖSSE', 'grosse'],
    ['gelöst', 'gelost'], ['geloest', 'gelost'],
    ['Rücksendung', 'rucksendung'], ['Ruecksendung', 'rucksendung'], ['übel', 'ubel'], ['Uebel', 'ubel'],
    ['Ärger', 'arger'], ['Aerger', 'arger'], ['Straße', 'strasse'], ['Strasse', 'strasse'], ['ẞ', 'ss'],
    ['Café', 'cafe'], ['Crème brûlée', 'creme brulee'],
  ])('%s folds to %s', (word, folded) => {
    expect(foldForSearch(word)).toBe(folded);
  });

  test.each([['Feuer'], ['neue'], ['Quelle'], ['Bauer'], ['Steuer']])('"ue" after a vowel or q stays: %s', (word) => {
    expect(foldForSearch(word)).toBe(word.toLowerCase());
  });

  test('the folded beginning of a word is the beginning of the folded word, so prefixes keep matching', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-zäöüßeqAÄOÖUÜE ]{0,20}$/), fc.nat(20), (word, cut) => {
      expect(foldForSearch(word).startsWith(foldForSearch(word.slice(0, cut)))).toBe(true);
    }));
  });

  test('"Kennwort" is a prefix of "Kennwörter" once both are folded', () => {
    expect(foldForSearch('Kennwörter').startsWith(foldForSearch('Kennwort'))).toBe(true);
  });
});

describe('search text → terms', () => {
  const texts = (text: string) => parseSearchText(text)?.terms.map((term) => term.text);

  test('each word is folded; all but one-letter words match as prefixes', () => {
    expect(parseSearchText('Kennwort ändern H 0')?.terms).toEqual([
      { text: 'kennwort', prefix: true }, { text: 'andern', prefix: true }, { text: 'h', prefix: false }, { text: '0', prefix: false },
    ]);
  });

  test('words that say nothing about the topic are left out, unless nothing else is left', () => {
    expect(texts('Wie ändere ich mein Kennwort?')).toEqual(['andere', 'kennwort']);
    expect(texts('die')).toEqual(['die']);
  });

  test('a word whose prefix another word already covers, and repeated words, are asked once', () => {
    expect(texts('art Artikel artikel ARTIKEL')).toEqual(['artikel']);
  });

  test('at most six terms, each at most 40 characters, from the first 200 characters', () => {
    const words = Array.from({ length: 20 }, (_, index) => `wort${String.fromCharCode(97 + index)}`);
    expect(texts(words.join(' '))).toEqual(words.slice(0, maxTerms));
    expect(texts('x'.repeat(500))).toEqual(['x'.repeat(40)]);
    expect(parseSearchText(`${' '.repeat(200)}kennwort`)).toBeUndefined();
  });

  test.each(['', '   ', '"', '***', '- + ^ : ( )', '„“‚‘'])('no word, no query: %j', (text) => {
    expect(parseSearchText(text)).toBeUndefined();
  });
});

describe('terms → FTS5 MATCH expression', () => {
  const terms = (text: string) => parseSearchText(text)!.terms;

  test('short words are prefix queries; longer ones become the exact words they start', () => {
    const expansions = new Map([['kennwort', ['kennwort', 'kennworter']], ['decoder', ['decoder']]]);
    expect(matchExpression(terms('Lok Kennwort Decoder H'), expansions, 'AND')).toBe('"lok"* AND ("kennwort" OR "kennworter") AND "decoder" AND "h"');
    expect(matchExpression(terms('Lok Kennwort'), expansions, 'OR')).toBe('"lok"* OR ("kennwort" OR "kennworter")');
  });

  test('a prefix of too many words stays a prefix query', () => {
    expect(matchExpression(terms('Bahnhof'), new Map([['bahnhof', undefined]]), 'AND')).toBe('"bahnhof"*');
  });

  test('a word that starts no indexed word: nothing for "all words", left out of "any word"', () => {
    const expansions = new Map([['kennwort', ['kennwort']], ['xylophon', []]]);
    expect(matchExpression(terms('Kennwort Xylophon'), expansions, 'AND')).toBeUndefined();
    expect(matchExpression(terms('Kennwort Xylophon'), expansions, 'OR')).toBe('"kennwort"');
    expect(matchExpression(terms('Xylophon'), expansions, 'OR')).toBeUndefined();
  });

  describe('against a real FTS5 table and word list like kb_search', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec("CREATE VIRTUAL TABLE kb_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', content = '', contentless_delete = 1)");
    sqlite.exec('CREATE TABLE kb_search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID');
    const title = foldForSearch('Kennwörter ändern');
    const body = foldForSearch('Die Größe „NEAR“ ist gelöst – AND/OR * -x');
    sqlite.prepare('INSERT INTO kb_search (rowid, title, body) VALUES (1, ?, ?)').run(title, body);
    const insertTerm = sqlite.prepare('INSERT OR IGNORE INTO kb_search_terms (term) VALUES (?)');
    for (const word of [...wordsOf(title), ...wordsOf(body)]) insertTerm.run(word);
    const search = sqlite.prepare<[string], { id: number }>('SELECT rowid AS id, bm25(kb_search, 10.0, 1.0) AS score FROM kb_search WHERE kb_search MATCH ? ORDER BY rowid DESC LIMIT 200');
    const starting = sqlite.prepare<[string, string], string>('SELECT term FROM kb_search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT 13').pluck();
    afterAll(() => sqlite.close());

    /** As the service does it: expansions from the word list, then "all words", then "any word". */
    const ids = (text: string, expand = true): number[] => {
      const query = parseSearchText(text);
      if (!query) return [];
      const expansions = new Map<string, string[] | undefined>();
      for (const term of query.terms) if (expand && isExpanded(term)) expansions.set(term.text, starting.all(term.text, `${term.text}\u{10FFFF}`));
      const found: number[] = [];
      for (const join of ['AND', 'OR'] as const) {
        const match = matchExpression(query.terms, expansions, join);
        if (match) found.push(...search.all(match).map((row) => row.id));
      }
      return found;
    };

    test.each([
      '"', '""', '"unclosed', 'a"b', "'", '*', 'kenn*', '-kennwort', 'NOT kennwort', 'kennwort AND', 'OR OR', 'NEAR(', 'NEAR(a b, 3)',
      'title:kennwort', '{title body}: x', '^kennwort', '(', ')', '[x]', 'x + y', '\\', '%', '_', '\u0000', '\uE000kenn\uE001',
      '🚂 Lok', 'ﬁ ligatur', 'x'.repeat(10_000), 'a '.repeat(5_000), '"'.repeat(300), 'NEAR('.repeat(100),
    ])('never an FTS5 syntax error: %j', (text) => {
      expect(() => ids(text)).not.toThrow();
      expect(() => ids(text, false)).not.toThrow();
    });

    test('never an FTS5 syntax error, whatever the text', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (text, expand) => {
        ids(text, expand);
      }), { numRuns: 500 });
    });

    test.each([['Kennwort'], ['kennwoerter'], ['Groesse'], ['geloest'], ['NEAR'], ['aender'], ['and']])('%s finds the article, with and without expansion', (text) => {
      expect(ids(text)[0]).toBe(1);
      expect(ids(text, false)[0]).toBe(1);
    });
  });
});

describe('marked hits and snippets', () => {
  const terms = parseSearchText('Kennwort Groesse')!.terms;

  test('marks every word that a term matches, in its own spelling', () => {
    expect(shown(markHits('Kennwörter und Größe, nicht Kenntnis', terms))).toBe('[Kennwörter] und [Größe], nicht Kenntnis');
  });

  test('the quick first-letter check never changes what counts as a hit', () => {
    // Letters as people type them, and a combining accent that folding must drop.
    const word = fc.array(fc.constantFrom(...'aeoqusäöüßÄÖÜéÉ09', '\u0301'), { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.array(word, { maxLength: 30 }), (queryWords, textWords) => {
      const query = parseSearchText(queryWords.join(' '));
      if (!query) return;
      const isHit = termMatcher(query.terms);
      for (const textWord of textWords) expect(isHit(textWord)).toBe(matchesTerm(textWord, query.terms));
    }), { numRuns: 300 });
  });

  test('text that looks like a marker cannot open or close a mark', () => {
    expect(shown(markHits(`Kennwort ${hitEnd}${hitStart}`, terms))).toBe('[Kennwort] ');
  });

  test('a snippet is the passage around the hits, with "…" where the text goes on', () => {
    const text = `${'Einleitung ohne Treffer. '.repeat(20)}Hier steht, wie Sie Ihr Kennwort ändern. ${'Weiterer Text. '.repeat(30)}`;
    const snippet = shown(snippetOf(text, terms, 12));
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet).toContain('wie Sie Ihr [Kennwort] ändern');
    expect(snippet.split(' ').filter((word) => /\p{L}/u.test(word)).length).toBeLessThanOrEqual(12);
  });

  test('prefers the passage with the most different terms', () => {
    const text = `Kennwort am Anfang. ${'Füllwort '.repeat(40)}Kennwort und Größe beisammen. ${'Ende '.repeat(40)}`;
    expect(shown(snippetOf(text, terms, 10))).toContain('[Kennwort] und [Größe] beisammen');
  });

  test('a text without hits starts at its beginning', () => {
    expect(shown(snippetOf('Nur der Titel passt. Der Text nicht.', terms))).toBe('Nur der Titel passt. Der Text nicht.');
  });
});

describe('slugs and ids in paths', () => {
  test.each([
    ['Größe der Decoder: welcher passt?', 'groesse-der-decoder-welcher-passt'],
    ['Kennwort für das Servicecenter vergeben', 'kennwort-fuer-das-servicecenter-vergeben'],
    ['Crème & Café!', 'creme-cafe'],
    ['???', ''],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  test('a long title is cut at a word boundary to at most 80 characters', () => {
    const slug = slugify('Sehr langer Titel über Ersatzteile '.repeat(6));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
  });

  test.each([['12-kennwort', 12], ['12', 12], ['12-', 12], ['x12', undefined], ['-12', undefined], ['1234567890123', undefined], ['12abc', undefined]])(
    'the id of %s is %s', (segment, id) => {
      expect(idOfPathSegment(segment)).toBe(id);
    },
  );
});
