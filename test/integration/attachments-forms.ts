// Shared steps of the attachment, lifecycle and rating tests: multipart forms as browsers send them, sample files, reading mail files.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { LightMyRequestResponse } from 'fastify';
import type { ReceivedMail } from '../helpers/mailbox.js';
import type { TestApp } from '../helpers/test-app.js';
import { csrfTokenOf, type WebClient } from '../helpers/web-client.js';

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; content: Buffer | string; type?: string };

/** A multipart/form-data body built byte by byte, so a test controls names and order exactly as a hostile client could. */
export function multipartBody(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----hilfeportal${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('filename' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`));
      chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
      chunks.push(Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a multipart form with the client's cookies, the way a browser submits a form with enctype="multipart/form-data". */
export async function postMultipart(t: TestApp, client: WebClient, url: string, parts: FormPart[]): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody(parts);
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      'content-type': contentType,
      ...(client.cookies.size ? { cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
    },
  });
}

/** Opens the page, takes the CSRF token of the form posting to `action`, and sends the token first, then the parts. */
export async function submitMultipart(t: TestApp, client: WebClient, pageUrl: string, action: string, parts: FormPart[]) {
  const page = await client.get(pageUrl);
  return postMultipart(t, client, action, [{ name: '_csrf', value: csrfTokenOf(page.body, action) }, ...parts]);
}

export const samples = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  text: Buffer.from('Bestellnummer 100234\nDie Lok fehlt im Paket.\n'),
  latin1Csv: Buffer.from('Artikel;Menge\nLok Baureihe 218;1\nGröße;H0\n', 'latin1'),
  svgWithScript: Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>\n'),
  svgBare: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'),
  html: Buffer.from('<!DOCTYPE html>\n<html><body><script>fetch("/account")</script></body></html>\n'),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126), Buffer.from('PE\0\0'), Buffer.alloc(256)]),
  empty: Buffer.alloc(0),
};

/** The files under DATA_DIR/attachments: what is stored on disk. */
export function storedFiles(t: TestApp): string[] {
  const dir = join(t.config.dataDir, 'attachments');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A mail's attachments as a mail client sees them. */
export async function mailAttachments(mail: ReceivedMail) {
  const parsed = await simpleParser(readFileSync(mail.file));
  return parsed.attachments.map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, content: attachment.content }));
}

/** The download links listed in a thread, with the names and sizes shown beside them. */
export function listedFiles(html: string) {
  return [...html.matchAll(/<a href="(\/attachments\/\d+)" download><bdi>([^<]*)<\/bdi><\/a> <span class="muted">\(([^)]*)\)<\/span>/g)]
    .map((match) => ({ href: match[1]!, name: match[2]!, size: match[3]! }));
}

/** The kept-file checkboxes of a form that came back with an error: their tokens, to send again. */
export function keptTokens(html: string): string[] {
  return [...html.matchAll(/name="keepAttachment" value="([^"]+)"/g)].map((match) => match[1]!);
}

/** The text of the field error under the file input. */
export function attachmentError(html: string): string | undefined {
  return html.match(/<p class="field-error" id="attachments-fehler"><span class="visually-hidden">Fehler: <\/span>([^<]*)<\/p>/)?.[1];
}
