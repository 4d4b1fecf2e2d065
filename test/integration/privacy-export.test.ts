// GDPR export: the CLI and the admin's button hand out everything stored about one person (account, requests, messages,
// ratings, comments, files, mails), and nothing of anyone else.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminAuditLog, attachments, inboundMails } from '../../src/db/schema.js';
import { runUsersExportCommand } from '../../src/modules/privacy/privacy-cli.js';
import { testApp, type TestApp } from '../helpers/test-app.js';
import { csrfTokenOf } from '../helpers/web-client.js';
import { filePathOf, karla, karlaWords, otto, privacyShop, type PrivacyShop, rawMailPathOf } from './privacy-people.js';

let t: TestApp;
let shop: PrivacyShop;
let outDir: string;
beforeAll(async () => {
  t = await testApp();
  shop = await privacyShop(t);
  outDir = mkdtempSync(join(tmpdir(), 'hilfeportal-export-'));
});
afterAll(async () => {
  await t.close();
  rmSync(outDir, { recursive: true, force: true });
});

type Exported = {
  konto: { id: number; email: string; name: string; rolle: string };
  anfragen: Array<{ id: number; betreff: string; nachrichten: Array<{ text: string; sichtbarkeit: string; anhaenge: string[] }>; bewertung: { kommentar: string } | null; ereignisse: unknown[] }>;
  kommentare: Array<{ text: string; artikel: string }>;
  artikelBewertungen: Array<{ artikel: string; hilfreich: boolean }>;
  emailsAnSie: Array<{ betreff: string; text: string | null }>;
  emailsVonIhnen: Array<{ datei: string | null }>;
  sitzungen: unknown[];
  dateien?: Array<{ name: string; base64: string }>;
};

describe('npm run cli -- users:export --email E --out folder', () => {
  test('writes person.json with the account, both requests, every message, the rating, the comment and the vote', async () => {
    const folder = join(outDir, 'karla');
    const lines: string[] = [];
    expect(await runUsersExportCommand(t.services.privacy, ['--email', 'Karla@Example.org', '--out', folder], (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toContain(`Exported account ${shop.karlaUser.id} to ${folder}`);
    const exported = JSON.parse(readFileSync(join(folder, 'person.json'), 'utf8')) as Exported;

    expect(exported.konto).toMatchObject({ id: shop.karlaUser.id, email: karla.email, name: karla.name, rolle: 'customer' });
    expect(exported.anfragen.map((request) => request.id)).toEqual([shop.mailTicketId, shop.formTicketId]);
    const formRequest = exported.anfragen.find((request) => request.id === shop.formTicketId)!;
    expect(formRequest.betreff).toContain(karlaWords.subject);
    expect(formRequest.nachrichten.map((message) => message.text)).toEqual([
      `Mein ${karlaWords.body} ist kaputt.`,
      'Welche Bestellnummer hat Ihr Paket, Frau Kundin?',
      'Notiz: Kundin hat schon zweimal angerufen.',
      'Wir schicken Ihnen einen neuen Wagen.',
    ]);
    expect(formRequest.nachrichten[2]!.sichtbarkeit).toBe('intern');
    expect(formRequest.bewertung?.kommentar).toBe(`Schnell wie ein ${karlaWords.rating}`);
    expect(formRequest.ereignisse.length).toBeGreaterThan(0);
    expect(exported.kommentare).toEqual([expect.objectContaining({ text: `Mein ${karlaWords.comment} kam zerdrückt an.`, artikel: 'Beschädigte Pakete melden' })]);
    expect(exported.artikelBewertungen).toEqual([expect.objectContaining({ artikel: 'Beschädigte Pakete melden', hilfreich: true })]);
    expect(exported.emailsAnSie.map((mail) => mail.betreff).join('\n')).toContain(karlaWords.subject);
    expect(exported.emailsAnSie.some((mail) => mail.text?.includes('Wir schicken Ihnen einen neuen Wagen.'))).toBe(true);
    expect(exported.sitzungen.length).toBeGreaterThan(0);
  });

  test('copies every file of her messages and her raw mail, byte for byte, under the names person.json gives', () => {
    const folder = join(outDir, 'karla');
    const exported = JSON.parse(readFileSync(join(folder, 'person.json'), 'utf8')) as Exported;
    const mailRequest = exported.anfragen.find((request) => request.id === shop.mailTicketId)!;
    const named = mailRequest.nachrichten.flatMap((message) => message.anhaenge);
    const stored = t.db.select().from(attachments).all().filter((file) => named.some((name) => name.startsWith(`anhaenge/${file.id}-`)));
    expect(stored.map((file) => file.filename).sort()).toEqual(['Lieferschein März.pdf', 'karton.png']);
    for (const file of stored) {
      const name = named.find((candidate) => candidate.startsWith(`anhaenge/${file.id}-`))!;
      expect(readFileSync(join(folder, name))).toEqual(readFileSync(filePathOf(t, file.storageKey)));
    }
    const raw = t.db.select().from(inboundMails).where(eq(inboundMails.fromAddress, karla.email)).get()!;
    expect(exported.emailsVonIhnen).toEqual([expect.objectContaining({ datei: `emails/${raw.id}.eml` })]);
    expect(readFileSync(join(folder, `emails/${raw.id}.eml`))).toEqual(readFileSync(rawMailPathOf(t, raw.storageKey)));
  });

  test('holds nothing of Otto', () => {
    const text = readFileSync(join(outDir, 'karla', 'person.json'), 'utf8');
    expect(text).not.toContain(otto.email);
    expect(text).not.toContain(otto.word);
    expect(text).not.toContain(otto.name);
  });

  test('writes to ./export-<id> by default, refuses an unknown address, and records each export in the audit log', async () => {
    const cwd = process.cwd();
    process.chdir(outDir);
    try {
      expect(await runUsersExportCommand(t.services.privacy, ['--email', otto.email], () => undefined)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const ottosExport = readFileSync(join(outDir, `export-${shop.ottoUser.id}`, 'person.json'), 'utf8');
    expect(ottosExport).toContain(otto.word);
    expect(ottosExport).not.toContain(karlaWords.body);

    const lines: string[] = [];
    expect(await runUsersExportCommand(t.services.privacy, ['--email', 'niemand@example.org'], (line) => lines.push(line))).toBe(1);
    expect(lines).toEqual(['No account with the address niemand@example.org.']);
    expect(await runUsersExportCommand(t.services.privacy, [], () => undefined)).toBe(2);

    const logged = t.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, 'person_exported')).all();
    expect(logged.map((entry) => [entry.actorId, entry.targetUserId, entry.details.via])).toEqual([
      [null, shop.karlaUser.id, 'cli'], [null, shop.ottoUser.id, 'cli'],
    ]);
  });
});

describe('the admin button "Daten exportieren"', () => {
  test('downloads one JSON file with the same data and the files embedded', async () => {
    const response = await shop.adminClient.submit('/agent/privacy', '/agent/privacy/export', { email: karla.email });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="datenauskunft-${shop.karlaUser.id}.json"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const exported = JSON.parse(response.body) as Exported;
    expect(exported.konto.email).toBe(karla.email);
    expect(exported.kommentare).toHaveLength(1);
    const files = exported.dateien!;
    expect(files.map((file) => file.name.split('/')[0]).sort()).toEqual(['anhaenge', 'anhaenge', 'emails']);
    const png = files.find((file) => file.name.endsWith('karton.png'))!;
    const stored = t.db.select().from(attachments).where(eq(attachments.filename, 'karton.png')).all()
      .map((file) => readFileSync(filePathOf(t, file.storageKey)).toString('base64'));
    expect(stored).toContain(png.base64);
    expect(response.body).not.toContain(otto.word);
    const logged = t.db.select().from(adminAuditLog).where(eq(adminAuditLog.action, 'person_exported')).all().at(-1)!;
    expect(logged).toMatchObject({ actorId: shop.admin.id, targetUserId: shop.karlaUser.id, details: { via: 'agent', files: 3 } });
  });

  test('an unknown or invalid address is answered on the page with 422', async () => {
    const page = await shop.adminClient.get('/agent/privacy');
    const token = csrfTokenOf(page.body, '/agent/privacy/export');
    const unknown = await shop.adminClient.post('/agent/privacy/export', { _csrf: token, email: 'niemand@example.org' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('Zu dieser E-Mail-Adresse gibt es kein Konto.');
    expect(unknown.body).toContain('value="niemand@example.org"');
    const invalid = await shop.adminClient.post('/agent/privacy/export', { _csrf: token, email: 'keine-adresse' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an');
  });
});
