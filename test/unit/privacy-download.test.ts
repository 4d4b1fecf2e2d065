// The admin's GDPR download: one JSON document whose embedded files are streamed in base64 pieces that join exactly.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, test } from 'vitest';
import { exportAsDownload } from '../../src/modules/privacy/privacy-service.js';

const folder = mkdtempSync(join(tmpdir(), 'hilfeportal-download-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fileOf(name: string, bytes: Buffer) {
  const source = join(folder, name);
  writeFileSync(source, bytes);
  return { name: `anhaenge/${name}`, source };
}

describe('exportAsDownload', () => {
  test('embeds files of any size, read in many pieces, as exactly their base64', async () => {
    // Sizes around the read stream's 64 KiB pieces and not divisible by three, so pieces split base64 groups.
    const contents = [randomBytes(1), randomBytes(65_536 * 3 + 2), randomBytes(1_000_001), Buffer.alloc(0)];
    const files = contents.map((bytes, index) => fileOf(`datei-${index}.bin`, bytes));
    const json = { konto: { email: 'karla@example.org', name: 'Karla "K" Kundin' }, anfragen: [{ id: 1, betreff: '[] im Betreff' }] };
    const document = JSON.parse(await text(exportAsDownload({ userId: 7, json, files }))) as typeof json & { dateien: Array<{ name: string; base64: string }> };

    expect(document.konto).toEqual(json.konto);
    expect(document.anfragen).toEqual(json.anfragen);
    expect(document.dateien.map((file) => file.name)).toEqual(files.map((file) => file.name));
    document.dateien.forEach((file, index) => expect(Buffer.from(file.base64, 'base64').equals(contents[index]!)).toBe(true));
  });

  test('leaves out files that are no longer on disk and is valid JSON without any', async () => {
    const missing = { name: 'anhaenge/weg.png', source: join(folder, 'gibt-es-nicht.png') };
    const document = JSON.parse(await text(exportAsDownload({ userId: 7, json: { konto: {} }, files: [missing] }))) as { dateien: unknown[] };
    expect(document.dateien).toEqual([]);
  });
});
