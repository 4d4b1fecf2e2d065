// Text people typed, shown as HTML: escaped, web and mail links linked safely, line breaks kept.
import fc from 'fast-check';
import LinkifyIt from 'linkify-it';
import { describe, expect, test } from 'vitest';
import { escapeHtml, plainTextToHtml } from '../../src/lib/plain-text.js';

const rel = 'rel="nofollow noopener noreferrer"';

describe('escaping', () => {
  test('a script tag becomes text', () => {
    const html = plainTextToHtml('<script>alert("x")</script>');
    expect(html).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<');
  });

  test('quotes and ampersands are escaped', () => {
    expect(plainTextToHtml(`Tom & Jerry's "Lok"`)).toBe('Tom &amp; Jerry&#39;s &quot;Lok&quot;');
    expect(escapeHtml(`<a href='x'>&amp;</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  test('an attribute cannot be broken out of by a crafted link', () => {
    const html = plainTextToHtml('https://example.com/"onmouseover="alert(1)');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});

describe('links', () => {
  test('http and https addresses become links with a safe rel', () => {
    expect(plainTextToHtml('Siehe http://example.com/a')).toBe(`Siehe <a href="http://example.com/a" ${rel}>http://example.com/a</a>`);
    expect(plainTextToHtml('https://shop.example.com/artikel?id=5&farbe=rot'))
      .toBe(`<a href="https://shop.example.com/artikel?id=5&amp;farbe=rot" ${rel}>https://shop.example.com/artikel?id=5&amp;farbe=rot</a>`);
  });

  test('mail addresses become mailto links', () => {
    expect(plainTextToHtml('Schreiben Sie an mailto:info@example.com'))
      .toBe(`Schreiben Sie an <a href="mailto:info@example.com" ${rel}>mailto:info@example.com</a>`);
    expect(plainTextToHtml('info@example.com')).toBe(`<a href="mailto:info@example.com" ${rel}>info@example.com</a>`);
  });

  test('every link carries the rel attribute', () => {
    const html = plainTextToHtml('a https://a.example b http://b.example c mailto:c@example.com');
    expect(html.match(/<a /g)).toHaveLength(3);
    expect(html.match(new RegExp(rel, 'g'))).toHaveLength(3);
  });

  test.each([
    'javascript:alert(1)',
    'javascript:alert(document.cookie)//https://example.com',
    'JavaScript://example.com/%0Aalert(1)',
    'klick <a href="javascript:alert(1)">hier</a>',
  ])('javascript: never becomes a link: %j', (text) => {
    const html = plainTextToHtml(text);
    expect(html).not.toMatch(/href="\s*javascript:/i);
    expect(html).not.toContain('<a href="javascript');
    expect(html).not.toMatch(/<a [^>]*href="[^"]*javascript:/i);
  });

  test('every link linkify-it finds in text is linked, whatever the text around it', () => {
    const linkify = new LinkifyIt();
    const pieces = ['http://', 'https://', 'mailto:', '//', 'www.', 'localhost', '@', '.', ':', '/', ' ', '\n', 'shop', 'Müller', 'ä',
      'de', 'com', 'рф', 'xn--p1ai', '127', '0', '.1', 'z.B.', 'Bestellung', ',', '(', ')', '<', '>', '"', '\u00a0', '\u3000', '_', '-'];
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (sample) => {
      const safeLinks = (linkify.match(sample) ?? []).filter((match) => /^(https?:|mailto:)/i.test(match.url));
      expect((plainTextToHtml(sample).match(/<a href=/g) ?? []).length).toBe(safeLinks.length);
    }), { numRuns: 3000 });
  });

  test('only http, https and mailto are linked', () => {
    expect(plainTextToHtml('ftp://files.example.com/x')).not.toContain('<a ');
  });
});

describe('line breaks', () => {
  test('are kept as they are, for white-space: pre-wrap', () => {
    expect(plainTextToHtml('Zeile 1\nZeile 2\n\nAbsatz')).toBe('Zeile 1\nZeile 2\n\nAbsatz');
  });

  test('are kept around links', () => {
    expect(plainTextToHtml('Hallo\nhttps://example.com\nTschüss')).toBe(`Hallo\n<a href="https://example.com" ${rel}>https://example.com</a>\nTschüss`);
  });
});
