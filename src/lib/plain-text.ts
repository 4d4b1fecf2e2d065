// Turns text that a person typed into safe HTML: everything escaped, web and mail addresses linked.
import LinkifyIt from 'linkify-it';

const linkify = new LinkifyIt();
const safeSchemes = /^(https?:|mailto:)/i;

const htmlSpecial = /[&<>"']/;

/**
 * What every link linkify-it finds contains: a scheme's colon or "//", an "@", "localhost", "www." or a dot followed by
 * a letter or digit (a top-level domain, an IP address). Text without any of them is left alone before linkify-it's own
 * pretest, whose pattern runs over the whole text and was a tenth of a request page with 100 messages.
 */
const mayHoldLink = /[:@]|\/\/|localhost|www\.|\.[\p{L}\p{N}]/iu;

export function escapeHtml(text: string): string {
  // Most text has nothing to escape: one scan instead of five copies.
  if (!htmlSpecial.test(text)) return text;
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Escaped HTML with links; line breaks stay as they are and are kept by the stylesheet (white-space: pre-wrap). */
export function plainTextToHtml(text: string): string {
  // pretest is linkify-it's quick check that can only err towards yes: most messages hold no address at all.
  const matches = mayHoldLink.test(text) && linkify.pretest(text) ? (linkify.match(text) ?? []) : [];
  let html = '';
  let position = 0;
  for (const match of matches) {
    html += escapeHtml(text.slice(position, match.index));
    if (safeSchemes.test(match.url)) {
      html += `<a href="${escapeHtml(match.url)}" rel="nofollow noopener noreferrer">${escapeHtml(match.text)}</a>`;
    } else {
      html += escapeHtml(match.raw);
    }
    position = match.lastIndex;
  }
  return html + escapeHtml(text.slice(position));
}

// Private-use characters mark search hits in snippets, so escaping the text can never touch the markers.
export const hitStart = '\uE000';
export const hitEnd = '\uE001';

/** A search snippet as HTML: the text escaped, the hits in <mark>. */
export function highlightSnippetHtml(snippet: string): string {
  return escapeHtml(snippet).replaceAll(hitStart, '<mark>').replaceAll(hitEnd, '</mark>');
}
