// db:backup: a consistent copy taken while requests are written, which a new server boots from with the same data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { tickets } from '../../src/db/schema.js';
import { backupDataDir } from '../../src/modules/ops/backup.js';
import { createUser, loggedInClient } from '../helpers/fixtures.js';
import { relaxedRateLimits, testApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const scratch = mkdtempSync(join(tmpdir(), 'hilfeportal-backup-'));
beforeAll(async () => { t = await testApp(); });
afterAll(async () => {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('a backup taken during writes passes the integrity check, and a server started on it shows the same requests and files', async () => {
  const customer = await createUser(t, 'sicherung@example.org', { name: 'Sabine Sicherung' });
  for (let i = 0; i < 50; i += 1) {
    t.services.tickets.createRequest({ requester: customer, name: customer.name, email: customer.email, subject: `Anfrage ${i}`, description: 'x'.repeat(500) });
  }
  mkdirSync(join(t.config.dataDir, 'attachments'), { recursive: true });
  writeFileSync(join(t.config.dataDir, 'attachments', 'beleg-key'), 'Rechnung 4711');

  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing) {
      t.services.tickets.createRequest({ requester: customer, name: customer.name, email: customer.email, subject: `Während ${written}`, description: 'y'.repeat(500) });
      written += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const target = join(scratch, 'sicherung');
  const summary = await backupDataDir({ db: t.db, dataDir: t.config.dataDir, databasePath: t.config.databasePath }, target);
  writing = false;
  await writer;

  expect(summary.integrity).toBe('ok');
  expect(written).toBeGreaterThan(0);
  expect(JSON.parse(readFileSync(join(target, 'backup.json'), 'utf8')).integrity).toBe('ok');
  const copy = new Database(summary.databaseFile, { readonly: true });
  const copiedSubjects = copy.prepare('select subject from tickets order by id').all() as Array<{ subject: string }>;
  copy.close();
  expect(copiedSubjects.length).toBeGreaterThanOrEqual(50);

  const restored = await buildApp(loadConfig({ NODE_ENV: 'test', DATA_DIR: target, APP_SECRET: 'test-secret-that-is-long-enough-0123456789', PUBLIC_URL: 'http://portal.example.test' }), { rateLimits: relaxedRateLimits });
  try {
    const rows = restored.services.db.select({ subject: tickets.subject }).from(tickets).orderBy(tickets.id).all();
    expect(rows).toEqual(copiedSubjects);
    expect(readFileSync(join(target, 'attachments', 'beleg-key'), 'utf8')).toBe('Rechnung 4711');
    const client = await loggedInClient({ ...t, app: restored, services: restored.services } as TestApp, 'sicherung@example.org');
    const list = await client.get('/requests');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(copiedSubjects.at(-1)!.subject);
  } finally {
    await restored.close();
  }
});

test('a backup refuses a folder inside DATA_DIR or one that is not empty', async () => {
  await expect(backupDataDir({ db: t.db, dataDir: t.config.dataDir, databasePath: t.config.databasePath }, join(t.config.dataDir, 'innen'))).rejects.toThrow('outside DATA_DIR');
  const full = join(scratch, 'voll');
  mkdirSync(full);
  writeFileSync(join(full, 'datei'), 'x');
  await expect(backupDataDir({ db: t.db, dataDir: t.config.dataDir, databasePath: t.config.databasePath }, full)).rejects.toThrow('not empty');
});
