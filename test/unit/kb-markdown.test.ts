// Articles in Markdown: no raw HTML, nothing unsafe after sanitizing, one <h1> per page, and plain text for search.
import { describe, expect, test } from 'vitest';
import { renderArticle } from '../../src/modules/kb/kb-markdown.js';

describe('rendering', () => {
  test('the usual Markdown becomes HTML', () => {
    const { html } = renderArticle('## Versand\n\n**Fett**, *kursiv* und `CV 1`.\n\n1. Erstens\n2. Zweitens\n\n- Punkt\n\n> Zitat\n\n[Shop](https://shop.example.com/a?b=1&c=2)');
    expect(html).toContain('<h2>Versand</h2>');
    expect(html).toContain('<strong>Fett</strong>, <em>kursiv</em> und <code>CV 1</code>.');
    expect(html).toContain('<ol>\n<li>Erstens</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<a href="https://shop.example.com/a?b=1&amp;c=2">Shop</a>');
  });

  test('bare addresses become links (linkify)', () => {
    expect(renderArticle('Siehe https://example.com/hilfe').html).toContain('<a href="https://example.com/hilfe">https://example.com/hilfe</a>');
  });

  test('a "# Heading" becomes an <h2>: the page title is the only <h1>', () => {
    expect(renderArticle('# Titel').html).toBe('<h2>Titel</h2>\n');
  });

  test('tables keep their cells but no inline style (the CSP allows none)', () => {
    const { html } = renderArticle('| CV | Bedeutung |\n|---:|:---|\n| 1 | Adresse |');
    expect(html).toContain('<th>CV</th>');
    expect(html).toContain('<td>Adresse</td>');
    expect(html).not.toContain('style');
  });
});

describe('nothing unsafe gets through', () => {
  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<a href="javascript:alert(1)">x</a>', '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'],
  ])('raw HTML is shown as text: %s', (source, escaped) => {
    const { html } = renderArticle(source);
    expect(html).toContain(escaped);
    expect(html).not.toMatch(/<(script|img|a )/);
  });

  test.each([
    '[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](vbscript:msgbox)', '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](file:///etc/passwd)', '![x](javascript:alert(1))', '![x](https://tracker.example.com/pixel.png)',
  ])('no dangerous link or remote image: %s', (source) => {
    const { html } = renderArticle(source);
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
    expect(html).not.toContain('<img');
  });

  test('mailto and relative links stay', () => {
    expect(renderArticle('[Mail](mailto:support@example.com) [Hilfe](/login/help)').html)
      .toBe('<p><a href="mailto:support@example.com">Mail</a> <a href="/login/help">Hilfe</a></p>\n');
  });
});

describe('plain text', () => {
  test('keeps the words, one line per block, without markup', () => {
    expect(renderArticle('## Größe\n\nDer **Decoder** passt\nin die Lok.\n\n- NEM 651\n- PluX22\n\n```\nCV8 = 8\n```').text)
      .toBe('Größe\nDer Decoder passt in die Lok.\nNEM 651\nPluX22\nCV8 = 8');
  });

  test('raw HTML counts as the text it shows', () => {
    expect(renderArticle('<b>fett</b>').text).toBe('<b>fett</b>');
  });
});
