// Separates what a customer typed in a mail from what their client quoted: our marker line, quote headers, signatures.
import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';
import { replyAboveMarker } from '../tickets/agent-mails.js';

export type ReplyText = {
  /** What the sender wrote themselves; '' when they only quoted (e.g. sent nothing but an attachment). */
  reply: string;
  /** The whole text, quotes included: shown behind "Zitierten Text anzeigen". */
  full: string;
};

/**
 * Marks, in text converted from HTML, where the client's quote container began (a Gmail or Outlook quote block).
 * Plain ASCII, since the converter drops private-use characters; a sender who types it only cuts their own text.
 */
export const quoteStartSentinel = '##hilfeportal-quote-start##';

// Clients re-wrap and re-space the marker; the words themselves survive.
const markerPattern = new RegExp(replyAboveMarker.replace(/^##-\s*/, '').replace(/\s*-##$/, '').split(/\s+/).join('\\s+'));

// Every pattern below is anchored and length-bounded: inbound text is written by strangers, so no pattern may backtrack
// over a whole line of unbounded length.
const maxHeaderLine = 400;

/** One-line (or re-joined) quote headers: "Am … schrieb …:", "On … wrote:", and their relatives in other clients. */
const quoteHeaderPatterns: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird, iOS, WEB.DE/GMX apps: "Am 30.11.2026 um 10:15 schrieb Servicecenter <support@…>:"
  /^Am\s.{3,200}?\sschrieb\s.{0,200}:$/,
  // Gmail on Android and Google Inbox: "Servicecenter <support@…> schrieb am Mo., 30. Nov. 2026, 10:15:"
  /^.{1,200}?\sschrieb am\s.{3,120}:$/,
  // Yahoo: "Am Montag, 30. November 2026, 10:15:03 MEZ hat Servicecenter <…> Folgendes geschrieben:"
  /^Am\s.{3,200}?\shat\s.{1,200}?\s(?:Folgendes\s)?geschrieben:$/,
  // Lotus Notes and some webmailers: "Servicecenter <…> hat am 30.11.2026 10:15 geschrieben:"
  /^.{1,200}?\shat am\s.{3,120}?\sgeschrieben:$/,
  // Horde: "Zitat von Servicecenter <support@…>:"
  /^Zitat von\s.{1,200}:$/,
  // English clients: "On Mon, Nov 30, 2026 at 10:15 AM Servicecenter <…> wrote:", "On 30 Nov 2026, at 10:15, … wrote:"
  /^On\s.{3,250}?\swrote:?$/,
  // French, Spanish, Italian, Portuguese, Dutch, Scandinavian, Polish: the same header shape.
  /^Le\s.{3,250}?\sa\s[ée]crit\s?:$/,
  /^El\s.{3,250}?\sescribi[óo]:$/,
  /^Il (?:giorno\s)?.{3,250}?\sha scritto:$/,
  /^Em\s.{3,250}?\sescreveu:$/,
  /^Op\s.{3,250}?\sschreef.{0,200}:$/,
  /^Den\s.{3,250}?\sskrev.{0,200}:$/,
  /^(?:W dniu|Dnia)\s.{3,250}?\s(?:pisze|napisał(?:\(a\))?):$/,
  // Older Gmail: "2016-03-03 17:21 GMT+01:00 Some One <…>:" and "2013/7/20 sam <info@…>"
  /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2} GMT[+-]\d{2}:\d{2}\s.{1,200}$/,
  /^\d{4}\/\d{1,2}\/\d{1,2}\s.{1,200}<[^<>\s]{1,100}@[^<>\s]{1,100}>:?$/,
];

/** "Name <address> schrieb:" or "… wrote:" without a date: a header only when it names an address or a quote follows. */
const bareHeaderPattern = /^.{1,200}?\s(?:schrieb|wrote|a écrit|escribió|ha scritto|schreef|skrev|napisał(?:\(a\))?|написала?|написав|kirjoitti)\s?:$/u;
/** Any line that names an address in angle brackets and ends in a colon, when quoted lines follow it. */
const addressHeaderPattern = /^.{0,200}<(?:mailto:)?[^<>\s]{1,100}@[^<>\s]{1,100}>.{0,80}:$/;
/** The start of a header that some clients break over several lines with blank lines between: "On <date> <time> …". */
const headerOpeningPattern = /^(?:On|Am|Le|El|Il|Em|Op|Den)\s.{0,150}\d{1,2}:\d{2}/;

/** Separator lines that Outlook, Samsung, T-Online, Gmail and Apple put above a quoted or forwarded mail. */
const separatorPatterns: RegExp[] = [
  /^-{2,}\s*(?:Ursprüngliche Nachricht|Original-?Nachricht|Original Message|Weitergeleitete Nachricht|Forwarded message|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht)\s*-{2,}$/i,
  /^(?:Anfang der weitergeleiteten Nachricht|Begin forwarded message):$/,
];

/** Outlook-style header blocks: "Von:/Gesendet:/An:/Betreff:" and their English and Outlook-for-Mac variants. */
const headerFieldPattern = new RegExp(`^(${[
  'Von', 'From', 'Gesendet', 'Sent', 'Datum', 'Date', 'An', 'To', 'Cc', 'Betreff', 'Subject',
  // What the same Outlook block says in the other languages of the European shops' customers.
  'De', 'Envoyé', 'À', 'Objet', 'Para', 'Assunto', 'Enviado', 'Asunto', 'Da', 'Data', 'A', 'Oggetto', 'Inviato',
  'Van', 'Verzonden', 'Aan', 'Onderwerp', 'Från', 'Skickat', 'Till', 'Ämne', 'Od', 'Wysłane', 'Do', 'Temat',
].join('|')})\\s?:\\*?(?:\\s|$)`, 'i');
const senderFields = new Set(['von', 'from', 'de', 'da', 'van', 'från', 'od']);

/** Lines that mobile apps and webmailers append below what was typed. */
const deviceSignaturePatterns: RegExp[] = [
  /^(?:Gesendet|Sent)\s(?:von|from|mit|with|über|via)\s.{1,80}$/i,
  /^Von meine[mn]\s.{1,60}\sgesendet\.?$/i,
  /^Diese (?:Nachricht|E-Mail) wurde (?:von|mit) meinem\s.{1,80}\sgesendet\.?$/i,
  /^(?:Get|Download) Outlook for\s.{1,60}$/i,
  /^Outlook für\s.{1,60}\s(?:beziehen|herunterladen)$/i,
  /^(?:Sendt|Skickat|Verzonden|Verstuurd|Envoyé|Enviado|Inviato) (?:fra|från|vanaf|depuis|de|desde|da)\s.{1,60}$/i,
];

function normalizeLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '').split('\n').map((line) => line.replace(/[ \t\u00a0\u200b\uFEFF]+$/, ''));
}

/** A line with its quote prefix ("> > ") and invisible leading characters (iOS puts a BOM before quotes) removed. */
function unquoted(line: string): string {
  return line.replace(/^[\s\uFEFF\u200b]*(?:>[ \t]?)*/, '').replace(/^[\s\uFEFF\u200b]+/, '');
}

/** The line as header patterns see it: unquoted, without the bold stars and dashes that converters and Zoho add. */
function headerText(line: string): string {
  return unquoted(line).trim().replace(/^\*+|\*+$/g, '').replace(/^-{2,}\s*(.{1,400}?)\s*-{2,}$/, '$1').trim();
}

function isQuoted(line: string): boolean {
  return /^[\s\uFEFF\u200b]*>/.test(line);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The header starting at line i, possibly wrapped over up to three lines; returns how many lines it spans, or 0. */
function quoteHeaderAt(lines: string[], i: number): number {
  const first = headerText(lines[i]!);
  if (first === '') return 0;
  const maySpanBlankLines = headerOpeningPattern.test(first);
  // A sentence that ends on this line is the sender's text, not the start of a wrapped header.
  const mayBeWrappedHeader = !/(?:[!?]|\p{L}{2,}\.+|\.{3})$/u.test(first);
  let joined = '';
  for (let span = 1; span <= (maySpanBlankLines ? 6 : 3) && i + span - 1 < lines.length; span++) {
    if (lines[i + span - 1]!.includes(quoteStartSentinel)) break;
    const next = headerText(lines[i + span - 1]!);
    if (next === '') {
      if (maySpanBlankLines) continue;
      break;
    }
    if (joined !== '' && !mayBeWrappedHeader) break;
    joined = joined === '' ? next : `${joined} ${next}`;
    if (joined.length > maxHeaderLine) break;
    if (quoteHeaderPatterns.some((pattern) => pattern.test(joined))) return span;
    if (bareHeaderPattern.test(joined) && (joined.includes('@') || followedByQuote(lines, i + span))) return span;
    if (addressHeaderPattern.test(joined) && followedByQuote(lines, i + span)) return span;
  }
  return 0;
}

function followedByQuote(lines: string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) {
    if (isBlank(lines[j]!)) continue;
    return isQuoted(lines[j]!);
  }
  return false;
}

/** "Von: …" followed by at least one more header field within a few lines (GMX puts "Gesendet:" first). */
function headerBlockAt(lines: string[], i: number): boolean {
  const first = headerFieldPattern.exec(headerText(lines[i]!));
  if (!first) return false;
  const fields = new Set([first[1]!.toLowerCase()]);
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    const field = headerFieldPattern.exec(headerText(lines[j]!));
    if (!field) {
      if (isBlank(lines[j]!) && fields.size >= 2) break;
      continue;
    }
    fields.add(field[1]!.toLowerCase());
  }
  const hasSender = [...fields].some((field) => senderFields.has(field));
  return hasSender && fields.size >= 3;
}

function isSeparatorAt(lines: string[], i: number): boolean {
  const line = unquoted(lines[i]!).trim().replace(/^\*+|\*+$/g, '');
  if (separatorPatterns.some((pattern) => pattern.test(line))) return true;
  // Outlook's underscore rule, when the header block follows it.
  return /^_{10,}$/.test(line) && i + 1 < lines.length && headerBlockAt(lines, i + 1);
}

/** The index of the first line of quoted history, or -1 when the text has none. */
function quoteStart(lines: string[]): number {
  // Found once: a quoted line after the last typed line starts a block that runs to the end.
  let lastTyped = -1;
  lines.forEach((line, index) => {
    if (!isBlank(line) && !isQuoted(line)) lastTyped = index;
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes(quoteStartSentinel)) return i;
    if (line.length > maxHeaderLine * 3) continue;
    if (isSeparatorAt(lines, i) || quoteHeaderAt(lines, i) > 0 || headerBlockAt(lines, i)) return i;
    // A quoted block that runs to the end (blank and quoted lines only) is history even without a header.
    if (isQuoted(line) && i > lastTyped) return i;
  }
  return -1;
}

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start]!)) start++;
  while (end > start && isBlank(lines[end - 1]!)) end--;
  return lines.slice(start, end);
}

/** Rules, dashes and Gmail's tracking mark "ᐧ" left at the end once the quote below them is gone. */
function trimTrailingRules(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (isBlank(lines[end - 1]!) || /^[\s\-_=*~#+—–\u1427|]+$/u.test(lines[end - 1]!))) end--;
  return lines.slice(0, end);
}

/** Cuts a "-- " signature and the device lines of phones and webmailers from the end of what was typed. */
function stripSignature(lines: string[]): string[] {
  let result = trimTrailingRules(lines);
  const delimiter = result.findIndex((line, index) => index > 0 && (line === '--' || line === '-- '));
  if (delimiter > 0) result = result.slice(0, delimiter);
  result = trimBlankEdges(result);
  while (result.length > 1 && deviceSignaturePatterns.some((pattern) => pattern.test(result.at(-1)!.trim()))) {
    result = trimBlankEdges(result.slice(0, -1));
  }
  if (result.length === 1 && deviceSignaturePatterns.some((pattern) => pattern.test(result[0]!.trim()))) return [];
  return result;
}

/** What was typed below or between quotes (bottom-posting, inline answers): the unquoted lines that are not headers. */
function unquotedRemainder(lines: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes(quoteStartSentinel)) continue;
    const headerSpan = quoteHeaderAt(lines, i);
    if (headerSpan > 0) {
      i += headerSpan - 1;
      continue;
    }
    if (isQuoted(line)) {
      // Two quoted passages with an answer between them keep one blank line apart, not the quote's blank lines.
      if (kept.length > 0 && !isBlank(kept.at(-1)!)) kept.push('');
      continue;
    }
    if (isBlank(line) && kept.length > 0 && isBlank(kept.at(-1)!)) continue;
    kept.push(line);
  }
  return stripSignature(trimBlankEdges(kept));
}

/** Our own rules: the marker, quote headers and blocks of the clients our customers use, signatures. */
export function trimWithOwnRules(text: string): string {
  return applyOwnRules(text).text;
}

/** Our rules, and whether they recognised any quote at all (our marker, a header, a quoted block). */
export function applyOwnRules(text: string): { text: string; foundQuote: boolean } {
  const lines = normalizeLines(text);
  const marker = lines.findIndex((line) => markerPattern.test(line));
  const above = marker >= 0 ? lines.slice(0, marker) : lines;
  const start = quoteStart(above);
  const foundQuote = marker >= 0 || start >= 0;
  const typed = stripSignature(trimBlankEdges(start >= 0 ? above.slice(0, start) : above));
  if (typed.length > 0) return { text: typed.join('\n'), foundQuote };
  // Nothing above the quote: the answer may sit below or between the quoted lines.
  return { text: unquotedRemainder(lines.filter((line) => !markerPattern.test(unquoted(line)))).join('\n'), foundQuote };
}

/** Everything above our marker line: the first step of every trimming order, ours or a library's. */
export function cutAtMarker(text: string): string {
  const lines = normalizeLines(text);
  const marker = lines.findIndex((line) => markerPattern.test(line));
  return (marker >= 0 ? lines.slice(0, marker) : lines).join('\n');
}

/**
 * What the customer typed and the whole text. Our rules alone: measured against email-reply-parser and planer in every
 * order (test/unit/reply-text-measure.test.ts, README "Inbound mail"), each library pass only lost cases (sign-offs cut,
 * German headers missed) and none gained one.
 */
export function extractReply(text: string): ReplyText {
  const full = trimBlankEdges(normalizeLines(text).filter((line) => !line.includes(quoteStartSentinel))).join('\n');
  return { reply: trimWithOwnRules(text), full };
}

// Containers in which the big clients put the quoted mail; the sentinel makes the quote start unmistakable in the text.
const quoteContainers = [
  'div.gmail_quote', 'div.moz-cite-prefix', 'div#divRplyFwdMsg', 'div#appendonsend', 'div.yahoo_quoted',
  'blockquote[type="cite"]', 'div.protonmail_quote',
];

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
  // Only what the conversion needs: classes and ids find the quote containers, type finds Apple's and Thunderbird's.
  allowedAttributes: { '*': ['class', 'id', 'type', 'href', 'alt'] },
  allowedSchemes: ['http', 'https', 'mailto'],
};

/** HTML-only mail as plain text: sanitized first (no script, style or foreign markup survives), quotes as "> " lines. */
export function htmlToPlainText(html: string): string {
  const clean = sanitizeHtml(html, sanitizeOptions);
  const text = convert(clean, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      // Outlook writes one margin-less paragraph per line; other paragraphs are paragraphs.
      { selector: 'p.MsoNormal', format: 'paragraph', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'hr', format: 'skip' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      ...quoteContainers.map((selector) => ({ selector, format: 'quoteContainer' })),
    ],
    formatters: {
      quoteContainer(element, walk, builder) {
        builder.openBlock({ leadingLineBreaks: 1 });
        builder.addLiteral(quoteStartSentinel);
        builder.closeBlock({ trailingLineBreaks: 1 });
        const isBlockquote = element.name === 'blockquote';
        if (isBlockquote) builder.openBlock({ leadingLineBreaks: 1, reservedLineLength: 2 });
        walk(element.children, builder);
        if (isBlockquote) builder.closeBlock({ trailingLineBreaks: 1, blockTransform: (block) => block.split('\n').map((line) => `> ${line}`).join('\n') });
      },
    },
  });
  // Outlook writes a paragraph per line and empty paragraphs for spacing: at most one blank line in a row.
  return text.replace(/[ \t\u00a0]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}
