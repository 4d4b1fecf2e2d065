// What a stored file really is (from its content, never its name), which kinds we take, and file names made safe to show and send.
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

type AcceptedType = { label: string; extensions: readonly string[]; inline: boolean };

/** Everything customers and agents may exchange; anything else, and anything that is markup, is refused. */
const acceptedTypes: Record<string, AcceptedType> = {
  'image/jpeg': { label: 'JPEG-Bild', extensions: ['jpg', 'jpeg', 'jpe'], inline: true },
  'image/png': { label: 'PNG-Bild', extensions: ['png'], inline: true },
  'image/gif': { label: 'GIF-Bild', extensions: ['gif'], inline: true },
  'image/webp': { label: 'WebP-Bild', extensions: ['webp'], inline: true },
  'image/heic': { label: 'HEIC-Foto', extensions: ['heic'], inline: false },
  'image/heif': { label: 'HEIF-Foto', extensions: ['heif'], inline: false },
  'application/pdf': { label: 'PDF', extensions: ['pdf'], inline: false },
  'application/zip': { label: 'ZIP-Archiv', extensions: ['zip'], inline: false },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word-Dokument', extensions: ['docx'], inline: false },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel-Tabelle', extensions: ['xlsx'], inline: false },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint-Präsentation', extensions: ['pptx'], inline: false },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument-Text', extensions: ['odt'], inline: false },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'OpenDocument-Tabelle', extensions: ['ods'], inline: false },
  'video/mp4': { label: 'MP4-Video', extensions: ['mp4', 'm4v'], inline: false },
  'video/quicktime': { label: 'QuickTime-Video', extensions: ['mov'], inline: false },
  'text/plain': { label: 'Textdatei', extensions: ['txt', 'csv', 'log', 'text', 'md', 'json', 'eml'], inline: false },
};

/** The file dialog's filter: a convenience only, since the content decides. */
export const acceptAttribute = [...new Set(Object.values(acceptedTypes).flatMap((type) => type.extensions))].map((extension) => `.${extension}`).join(',');

export const acceptedKindsText = 'Bilder (JPG, PNG, GIF, WebP, HEIC), PDF, Textdateien, Office-Dokumente, ZIP-Archive und Videos (MP4, MOV)';

export type Sniffed =
  | { ok: true; contentType: string; extensions: readonly string[] }
  | { ok: false; reason: 'markup' | 'type'; detected?: string };

const textSampleBytes = 8192;
// Markup anywhere near the start makes a "text" file something a browser would run; refuse it whatever its name says.
const markupPattern = /<\s*(?:!doctype|\?xml|html|head|body|script|svg|iframe|object|embed|meta|link|style|math|xsl)\b/i;

/** Looks at the stored file's bytes: magic numbers first, then whether it is plain text without markup. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const detected = await fileTypeFromFile(path).catch(() => undefined);
  if (detected) {
    if (acceptedTypes[detected.mime]) return { ok: true, contentType: detected.mime, extensions: acceptedTypes[detected.mime]!.extensions };
    const markup = /xml|html|svg/.test(detected.mime);
    return { ok: false, reason: markup ? 'markup' : 'type', detected: detected.ext };
  }
  const sample = await readStart(path, textSampleBytes);
  const text = textEncodingOf(sample);
  if (!text) return { ok: false, reason: 'type' };
  const decoded = new TextDecoder(text === 'utf-8' ? 'utf-8' : 'windows-1252').decode(sample);
  if (markupPattern.test(decoded)) return { ok: false, reason: 'markup' };
  return { ok: true, contentType: `text/plain; charset=${text}`, extensions: acceptedTypes['text/plain']!.extensions };
}

async function readStart(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** utf-8 or windows-1252 (what German spreadsheets export) for text, undefined for anything binary. */
export function textEncodingOf(sample: Buffer): 'utf-8' | 'windows-1252' | undefined {
  for (const byte of sample) {
    // Tab, line feed, form feed, carriage return and the old end-of-file mark are text; other control bytes are not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1a) return undefined;
    if (byte === 0x7f) return undefined;
  }
  // A sample may end inside a multi-byte character: leave up to three trailing bytes out of the check.
  for (let cut = 0; cut <= Math.min(3, sample.length); cut += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return 'utf-8';
    } catch {
      // try a shorter sample
    }
  }
  return 'windows-1252';
}

export function isInlineType(contentType: string): boolean {
  return acceptedTypes[contentType]?.inline === true;
}

export function typeLabel(contentType: string): string {
  return acceptedTypes[contentType.split(';')[0]!]?.label ?? 'Datei';
}

// Controls (C0, C1), bidirectional overrides and isolates, zero-width characters and line separators.
// eslint-disable-next-line no-control-regex -- these characters are exactly what must go
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const maxNameLength = 150;

/** A file name without path, control or direction-changing characters, leading or trailing dots; "Anhang" if nothing is left. */
export function cleanFilename(original: string): string {
  const name = (original.normalize('NFC').split(/[/\\]/).pop() ?? '')
    .replace(unsafeCharacters, '').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  const characters = Array.from(name);
  return characters.length === 0 ? 'Anhang' : characters.length > maxNameLength ? characters.slice(0, maxNameLength).join('') : name;
}

/**
 * A file name as we store, show and send it: cleaned, of a sane length, and with an extension that says what the
 * content really is ("rechnung.pdf" holding a PNG becomes "rechnung.pdf.png", so no program opens it as something else).
 */
export function safeFilename(original: string, extensions: readonly string[]): string {
  let name = cleanFilename(original);
  const extension = /\.([^.]{1,10})$/.exec(name)?.[1]?.toLowerCase();
  const suffix = extension !== undefined && extensions.includes(extension) ? '' : `.${extensions[0] ?? 'bin'}`;
  const room = maxNameLength - suffix.length;
  const characters = Array.from(name);
  if (characters.length > room) {
    const kept = extension && !suffix ? `.${extension}` : '';
    name = characters.slice(0, room - kept.length).join('') + kept;
  }
  return name + suffix;
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987). */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const sizeFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const kilobyte = 1024;
export const megabyte = 1024 * 1024;

/** "12 Bytes", "340 KB", "1,2 MB", in the binary units that the size limit uses too. */
export function formatFileSize(bytes: number): string {
  if (bytes < kilobyte) return `${bytes} ${bytes === 1 ? 'Byte' : 'Bytes'}`;
  if (bytes < megabyte) return `${sizeFormat.format(Math.ceil((bytes / kilobyte) * 10) / 10)} KB`;
  return `${sizeFormat.format(Math.ceil((bytes / megabyte) * 10) / 10)} MB`;
}
