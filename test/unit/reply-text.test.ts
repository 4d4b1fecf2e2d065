// What a customer typed, told apart from what their mail client quoted: every client our customers use, and the traps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractReply, htmlToPlainText, quoteStartSentinel } from '../../src/modules/inbound/reply-text.js';
import { replyAboveMarker } from '../../src/modules/tickets/agent-mails.js';

const fixtures = join(import.meta.dirname, '../fixtures/mail/replies');

function reply(name: string): { got: string; want: string } {
  const file = ['txt', 'html'].map((ext) => join(fixtures, `${name}.${ext}`)).find((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) throw new Error(`no fixture ${name}`);
  const raw = readFileSync(file, 'utf8');
  const text = file.endsWith('.html') ? htmlToPlainText(raw) : raw;
  return { got: extractReply(text).reply, want: readFileSync(join(fixtures, `${name}.expected.txt`), 'utf8').trim() };
}

describe('a German answer to one of our mails, from each client', () => {
  test.each([
    'gmail-de-web', 'gmail-de-android', 'gmail-de-ios-app', 'gmail-de-long-name-wrapped',
    'outlook-de-desktop', 'outlook-de-2010-original-message', 'outlook-com-web-de', 'outlook-ios-de', 'outlook-android-de', 'outlook-mac-de',
    'apple-mail-de-macos', 'apple-mail-de-unquoted-header', 'iphone-de', 'ipad-de',
    'thunderbird-de', 'thunderbird-de-signature', 'samsung-email-de', 'gmx-webmail-de', 'webde-app', 't-online-webmail',
    'yahoo-de', 'windows-mail-de', 'k9-mail-de', 'proton-de', 'horde-de',
  ])('%s', (name) => {
    const { got, want } = reply(name);
    expect(got).toBe(want);
  });
});

describe('HTML-only answers', () => {
  test.each(['html-gmail-de', 'html-outlook-de', 'html-outlook-web-de', 'html-thunderbird-de', 'html-apple-mail-de', 'html-new-mail-webmailer'])('%s', (name) => {
    const { got, want } = reply(name);
    expect(got).toBe(want);
  });

  test('script, style and markup never reach the text', () => {
    const text = htmlToPlainText('<p>Hallo<script>alert(1)</script><style>p{}</style> <img src="x" onerror="alert(2)">Welt</p><iframe src="https://x"></iframe>');
    expect(text).toBe('Hallo Welt');
  });

  test('entities are decoded once: what looks like a tag stays text', () => {
    expect(htmlToPlainText('<p>&lt;b&gt;fett&lt;/b&gt; &amp; &quot;gut&quot;</p>')).toBe('<b>fett</b> & "gut"');
  });

  test('the full text keeps the quote but not the marks of where it began', () => {
    const text = htmlToPlainText('<div dir="ltr">Ja.</div><div class="gmail_quote"><div class="gmail_attr">Am Mo. schrieb A &lt;a@b.de&gt;:</div><blockquote class="gmail_quote">Frage?</blockquote></div>');
    const { reply: typed, full } = extractReply(text);
    expect(typed).toBe('Ja.');
    expect(full).toContain('> Frage?');
    expect(full).not.toContain(quoteStartSentinel);
  });
});

describe('posting styles and traps', () => {
  test.each([
    'bottom-post-de', 'inline-answers-de', 'false-positive-schrieb', 'false-positive-von-nach', 'signature-dashes', 'emoji-and-umlauts',
    'list-and-numbers', 'gmail-de-reply-to-acknowledgement', 'outlook-de-reply-to-acknowledgement', 'apple-mail-de-reply-to-acknowledgement',
    'new-mail-plain', 'new-mail-signature', 'forward-gmail-de', 'forward-apple-de', 'gmail-fr-swiss', 'gmail-it-swiss', 'outlook-en-kind-regards',
  ])('%s', (name) => {
    const { got, want } = reply(name);
    expect(got).toBe(want);
  });

  test('a mail that only quotes has no typed text, and the whole text stays available', () => {
    const { got } = reply('only-quote');
    expect(got).toBe('');
    const raw = readFileSync(join(fixtures, 'only-quote.txt'), 'utf8');
    expect(extractReply(raw).full).toContain(replyAboveMarker);
  });

  test('everything from our marker line down is cut, even re-wrapped by the client', () => {
    const text = `Danke!\n\n> ##- Bitte geben Sie Ihre Antwort\n> über dieser Zeile ein -##\n> Guten Tag`;
    expect(extractReply(`Danke!\n\n${replyAboveMarker}\n\nGuten Tag,\nwir haben …`).reply).toBe('Danke!');
    expect(extractReply(text.replace('Antwort\n> über', 'Antwort über')).reply).toBe('Danke!');
  });

  test('line endings and trailing spaces are normalised, leading indentation kept', () => {
    expect(extractReply('Hallo  \r\n\r\n  eingerückt\r\n').reply).toBe('Hallo\n\n  eingerückt');
  });

  test('text written by strangers cannot make the trimmer crawl: a megabyte on one line, and many header-like lines', () => {
    const oneLine = `Am ${'x '.repeat(500_000)}`;
    expect(extractReply(oneLine).reply.length).toBeGreaterThan(0);
    const manyHeaders = 'Von: a\nGesendet: b\nAn: c\n'.repeat(20_000);
    expect(extractReply(`Hallo\n${manyHeaders}`).reply).toBe('Hallo');
    const longQuoteThenText = `${'> zitiert\n'.repeat(50_000)}Meine Antwort`;
    expect(extractReply(longQuoteThenText).reply.endsWith('\nMeine Antwort')).toBe(true);
    expect(extractReply(`Am 30.11.2026 um 10:15 schrieb A <a@example.org>:\n${longQuoteThenText}`).reply).toBe('Meine Antwort');
  });
});
