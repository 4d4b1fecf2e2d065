// How German text becomes search terms and URL slugs: umlauts and their spellings with e fold together, ß becomes ss.
//
// The folding follows Lucene's GermanNormalizationFilter: ä/ae → a, ö/oe → o, ü/ue → u (ue not after a vowel or q,
// so "Feuer" and "Quelle" keep theirs), ß → ss, other accents dropped. Both spellings meet in one form, so
// "Groesse" finds "Größe" and "geloest" finds "gelöst". Folding ö to o (not to oe) is what lets the prefix
// "Kennwort" find "Kennwörter": kennwort… is a prefix of kennworter, but not of kennwoerter.

const germanLetters = /[^\p{ASCII}äöüß]+/gu;
const marks = /\p{M}+/gu;

/** Lower case without accents except ä, ö, ü, ß, which the folding below needs to see. */
function lowerWithoutAccents(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(germanLetters, (run) => run.normalize('NFD').replace(marks, '').normalize('NFC'));
}

type FoldState = 'other' | 'afterAOrO' | 'afterConsonantU' | 'afterVowel';

/**
 * The folded form that the search index stores and every query is turned into. Each character's output depends only
 * on the characters before it, so the folded form of a word's beginning is the beginning of the word's folded form:
 * prefix search stays correct.
 */
export function foldForSearch(text: string): string {
  let folded = '';
  let state: FoldState = 'other';
  for (const char of lowerWithoutAccents(text)) {
    switch (char) {
      case 'a':
      case 'o':
        folded += char;
        state = 'afterAOrO';
        break;
      case 'u':
        folded += char;
        state = state === 'other' ? 'afterConsonantU' : 'afterVowel';
        break;
      case 'e':
        if (state !== 'afterAOrO' && state !== 'afterConsonantU') folded += char;
        state = 'afterVowel';
        break;
      case 'i':
      case 'q':
      case 'y':
        folded += char;
        state = 'afterVowel';
        break;
      case 'ä':
        folded += 'a';
        state = 'afterVowel';
        break;
      case 'ö':
        folded += 'o';
        state = 'afterVowel';
        break;
      case 'ü':
        folded += 'u';
        state = 'afterVowel';
        break;
      case 'ß':
        folded += 'ss';
        state = 'other';
        break;
      default:
        folded += char;
        state = 'other';
    }
  }
  return folded;
}

const slugMaxLength = 80;

/** "Größe der Decoder: welcher passt?" → "groesse-der-decoder-welcher-passt"; URLs keep the readable German spelling. */
export function slugify(text: string): string {
  const spelled = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFD').replace(marks, '');
  const slug = spelled.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= slugMaxLength) return slug;
  const cut = slug.slice(0, slugMaxLength);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 20 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}
