// Articles are written in Markdown: rendered without raw HTML, then sanitized, and reduced to plain text for search.
import MarkdownIt, { type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { hitEnd, hitStart } from '../../lib/plain-text.js';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'a',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // The page's title is its only <h1>; a "# Heading" in the text becomes a second-level one.
  transformTags: { h1: 'h2' },
  disallowedTagsMode: 'discard',
};

type Tokens = Token[];

export type RenderedArticle = { html: string; text: string };

/** The article's HTML (safe to output as it is) and its plain text. */
export function renderArticle(source: string): RenderedArticle {
  const tokens = markdown.parse(source, {});
  const html = sanitizeHtml(markdown.renderer.render(tokens, markdown.options, {}), sanitizeOptions);
  return { html, text: plainTextOf(tokens) };
}

const hitMarkers = new RegExp(`[${hitStart}${hitEnd}]`, 'g');

function plainTextOf(tokens: Tokens): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
        else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
      }
    } else if (token.type === 'fence' || token.type === 'code_block') {
      parts.push(token.content);
    }
    if (token.block && token.nesting !== 1) parts.push('\n');
  }
  return parts.join('')
    .replace(hitMarkers, '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
