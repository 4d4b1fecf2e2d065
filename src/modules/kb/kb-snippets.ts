// Search hits as the reader sees them: the title with its hits marked, and a short passage of the text around them.
import { hitEnd, hitStart } from '../../lib/plain-text.js';
import { type SearchTerm, termMatcher } from './kb-query.js';

type Word = { start: number; end: number; hit: boolean };

// A snippet looks at the beginning of long articles only: enough to find a hit, and bounded work per result.
const scannedLength = 20_000;
const markers = new RegExp(`[${hitStart}${hitEnd}]`, 'g');

function wordsOf(text: string, terms: SearchTerm[]): Word[] {
  const isHit = termMatcher(terms);
  return [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    hit: isHit(match[0]),
  }));
}

function marked(text: string, words: Word[], from: number, to: number): string {
  let result = '';
  let position = from;
  for (const word of words) {
    if (word.start < from || word.end > to) continue;
    result += text.slice(position, word.start);
    const original = text.slice(word.start, word.end);
    result += word.hit ? `${hitStart}${original}${hitEnd}` : original;
    position = word.end;
  }
  return result + text.slice(position, to);
}

/** The whole text with every hit between the hit markers (see highlightSnippetHtml). */
export function markHits(text: string, terms: SearchTerm[]): string {
  const clean = text.replace(markers, '');
  return marked(clean, wordsOf(clean, terms), 0, clean.length);
}

/** About `length` words around the place with the most different hits, with "…" where the text goes on. */
export function snippetOf(text: string, terms: SearchTerm[], length = 32): string {
  const clean = text.slice(0, scannedLength).replace(markers, '').replace(/\s+/g, ' ').trim();
  const words = wordsOf(clean, terms);
  if (words.length === 0) return '';
  let best = 0;
  let bestScore = -1;
  for (let index = 0; index < words.length; index += 1) {
    if (!words[index]!.hit) continue;
    const window = words.slice(index, index + length);
    const distinct = new Set(window.filter((word) => word.hit).map((word) => clean.slice(word.start, word.end).toLowerCase())).size;
    if (distinct > bestScore) {
      best = index;
      bestScore = distinct;
    }
  }
  // A few words before the first hit, so the passage does not start in the middle of its thought.
  const first = bestScore < 0 ? 0 : Math.max(0, best - 4);
  const last = Math.min(words.length, first + length) - 1;
  const from = first === 0 ? 0 : words[first]!.start;
  const to = last === words.length - 1 ? clean.length : words[last]!.end;
  const passage = marked(clean, words, from, to);
  return `${first > 0 ? '… ' : ''}${passage}${to < clean.length || text.length > scannedLength ? ' …' : ''}`;
}
