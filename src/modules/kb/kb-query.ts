// Turns whatever someone typed into a search box into a safe FTS5 query over the folded index, and the terms to highlight.
import { foldForSearch } from './kb-fold.js';

/** A folded word; all but one-letter words match as prefixes, so "Kennwort" also finds "Kennwörter". */
export type SearchTerm = { text: string; prefix: boolean };

export type KbSearchQuery = { terms: SearchTerm[] };

export const searchTextMaxLength = 200;
/** More words add little to a help-centre search, but each broad one costs a pass over its index entries. */
export const maxTerms = 6;
const maxTermLength = 40;
/** From this length on a prefix term is looked up as the exact words it starts (see kb_search_terms). */
export const expandFromLength = 4;
/** A prefix that starts more words than this is left to FTS5's own prefix query. */
export const maxExpansions = 12;

// Words that say nothing about the topic ("Wie ändere ich mein Kennwort?"); folded like the index.
const stopwords = new Set([
  'aber', 'alle', 'als', 'am', 'an', 'auch', 'auf', 'aus', 'bei', 'bin', 'bis', 'bitte', 'da', 'damit', 'danke', 'dann',
  'das', 'dass', 'dem', 'den', 'der', 'des', 'die', 'doch', 'du', 'ein', 'eine', 'einem', 'einen', 'einer', 'eines', 'er',
  'es', 'für', 'gibt', 'guten', 'habe', 'haben', 'hallo', 'hat', 'ich', 'ihr', 'im', 'in', 'ist', 'ja', 'kann', 'kein',
  'keine', 'man', 'mein', 'meine', 'meinem', 'meinen', 'meiner', 'mich', 'mir', 'mit', 'nach', 'nicht', 'noch', 'nur',
  'ob', 'oder', 'sich', 'sie', 'sind', 'so', 'tag', 'über', 'um', 'und', 'uns', 'von', 'vom', 'wann', 'war', 'warum',
  'was', 'weil', 'welche', 'wenn', 'werden', 'wie', 'wieso', 'wir', 'wird', 'wo', 'zu', 'zum', 'zur',
].map(foldForSearch));

/** The folded words of a text as the index splits them: letters and digits, everything else separates. */
export function wordsOf(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The terms of a search text, or undefined if it holds no word at all. Only letters and digits survive. */
export function parseSearchText(text: string): KbSearchQuery | undefined {
  const words = wordsOf(foldForSearch(text.slice(0, searchTextMaxLength)));
  const distinct = [...new Set(words.map((word) => word.slice(0, maxTermLength)))];
  if (distinct.length === 0) return undefined;
  const meaningful = distinct.filter((word) => !stopwords.has(word));
  const candidates: SearchTerm[] = (meaningful.length > 0 ? meaningful : distinct).map((word) => ({ text: word, prefix: word.length > 1 }));
  // "art artikel": every article with artikel… has art… too, so the shorter prefix only costs time.
  const terms = candidates
    .filter((term) => !(term.prefix && candidates.some((other) => other !== term && other.text.length > term.text.length && other.text.startsWith(term.text))))
    .slice(0, maxTerms);
  return { terms };
}

/** Whether this term is looked up as exact words (true) or left to an FTS5 prefix query. */
export function isExpanded(term: SearchTerm): boolean {
  return term.prefix && term.text.length >= expandFromLength;
}

/**
 * The FTS5 MATCH expression: every term (`AND`) or any term (`OR`). Each term is quoted, so quotes, operators
 * (AND, OR, NOT, NEAR), `*`, `-`, `^`, column filters and brackets in what someone typed lose their meaning.
 * `expansions` holds the exact indexed words of expanded terms (at most maxExpansions, or undefined for more):
 * "kennwort" becomes ("kennwort" OR "kennworter"). Undefined when nothing can match.
 */
export function matchExpression(terms: SearchTerm[], expansions: Map<string, string[] | undefined>, join: 'AND' | 'OR'): string | undefined {
  const parts: string[] = [];
  for (const term of terms) {
    const words = isExpanded(term) ? expansions.get(term.text) : undefined;
    if (words === undefined) {
      parts.push(`"${term.text}"${term.prefix ? '*' : ''}`);
    } else if (words.length > 0) {
      const quoted = words.map((word) => `"${word.replaceAll('"', '""')}"`);
      parts.push(quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`);
    } else if (join === 'AND') {
      return undefined;
    }
  }
  return parts.length > 0 ? parts.join(` ${join} `) : undefined;
}

/** Whether one word of a text (in any spelling) is a hit for these terms. */
export function matchesTerm(word: string, terms: SearchTerm[]): boolean {
  const folded = foldForSearch(word);
  return terms.some((term) => (term.prefix ? folded.startsWith(term.text) : folded === term.text));
}

/**
 * matchesTerm for many words of one text: a word whose first letter cannot start any term is passed over without
 * folding it whole, which keeps snippets of long articles cheap.
 */
export function termMatcher(terms: SearchTerm[]): (word: string) => boolean {
  const firstLetters = new Set(terms.map((term) => term.text.charAt(0)));
  const foldedFirst = new Map<string, string>();
  return (word) => {
    const first = word.charAt(0);
    let folded = foldedFirst.get(first);
    if (folded === undefined) {
      folded = foldForSearch(first).charAt(0);
      foldedFirst.set(first, folded);
    }
    if (folded !== '' && !firstLetters.has(folded)) return false;
    return matchesTerm(word, terms);
  };
}
