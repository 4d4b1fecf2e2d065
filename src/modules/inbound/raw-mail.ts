// Reads a raw mail's header lines and top-level MIME parts without a full parse: enough to deduplicate and classify it.

export type HeaderLine = { name: string; value: string };

// A header section larger than this is not a mail but an attack; what lies beyond it is treated as body.
const maxHeaderBytes = 256 * 1024;

/** The header section and the body, split at the first empty line (CRLF or LF). */
export function splitHeaderAndBody(raw: string): { header: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw.length > maxHeaderBytes ? raw.slice(0, maxHeaderBytes) : raw);
  if (!match) return { header: raw.slice(0, maxHeaderBytes), body: '' };
  return { header: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

/** Header lines in order, folded lines joined; names as written, values trimmed. */
export function parseHeaderLines(header: string): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (const line of header.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && lines.length > 0) {
      lines.at(-1)!.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lines.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return lines;
}

export function headerValues(headers: HeaderLine[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((header) => header.name.toLowerCase() === wanted).map((header) => header.value);
}

export function headerValue(headers: HeaderLine[], name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** The raw bytes as a string that keeps every byte (latin1): header parsing needs no charset, bodies are decoded elsewhere. */
export function rawAsBinaryString(raw: Buffer): string {
  return raw.toString('latin1');
}

/** The first Message-ID of the header section, with its angle brackets, or undefined. */
export function messageIdOf(headers: HeaderLine[]): string | undefined {
  const value = headerValue(headers, 'Message-ID');
  return value ? normalizeMessageId(value) : undefined;
}

/** "<a@b>" from "  <a@b> (comment)" or "a@b"; undefined for something that is no id at all. */
export function normalizeMessageId(value: string): string | undefined {
  const bracketed = /<([^<>\s]{1,250})>/.exec(value);
  if (bracketed) return `<${bracketed[1]}>`;
  const bare = /^\s*([^<>\s@]{1,200}@[^<>\s@]{1,200})\s*$/.exec(value);
  return bare ? `<${bare[1]}>` : undefined;
}

/** Every id in In-Reply-To or References, in the order written. */
export function messageIdList(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^<>\s]{1,250})>/g)].slice(0, 100).map((match) => `<${match[1]}>`);
}

/** The value of a parameter of a structured header: boundary="x", report-type=delivery-status. */
export function headerParameter(value: string, parameter: string): string | undefined {
  const match = new RegExp(`;\\s*${parameter}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

export type MimePart = { headers: HeaderLine[]; contentType: string; body: string };

/** The parts of a multipart entity, one level down (bodies still transfer-encoded). */
export function multipartParts(headers: HeaderLine[], body: string): MimePart[] {
  const contentType = headerValue(headers, 'Content-Type') ?? '';
  const boundary = headerParameter(contentType, 'boundary');
  if (!/^multipart\//i.test(contentType) || !boundary) return [];
  const parts: MimePart[] = [];
  const delimiter = `--${boundary}`;
  const chunks = body.split(delimiter).slice(1, 51);
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    const { header, body: partBody } = splitHeaderAndBody(chunk.replace(/^[ \t]*\r?\n/, ''));
    const partHeaders = parseHeaderLines(header);
    parts.push({ headers: partHeaders, contentType: (headerValue(partHeaders, 'Content-Type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase(), body: partBody });
  }
  return parts;
}

/** A part's body with its Content-Transfer-Encoding undone, as a latin1 string (the parts read here are ASCII). */
export function decodedBody(part: MimePart): string {
  const encoding = (headerValue(part.headers, 'Content-Transfer-Encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('latin1');
  if (encoding === 'quoted-printable') {
    return part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return part.body;
}
