// `npm run cli -- mail:ingest < message.eml` as a Postfix alias runs it: the real command in a child process, judged by its exit code.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { testApp, testPublicUrl, type TestApp } from '../helpers/test-app.js';
import { allTickets, mailFixture, messagesOf } from './inbound-mails.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hilfeportal-pipe-'));
const environment = {
  NODE_ENV: 'test', DATA_DIR: dataDir, APP_SECRET: 'test-secret-that-is-long-enough-0123456789', PUBLIC_URL: testPublicUrl,
  SUPPORT_ADDRESS: 'support@shop.example.test', LOG_LEVEL: 'silent',
};

/** The CLI from source (tsx compiles it as npm run cli would after its build), fed one mail on standard input. */
async function pipe(raw: Buffer, env: Record<string, string> = environment): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'mail:ingest'], {
    cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  // The command may stop reading early (a mail that is too large); that is an answer, not an error.
  child.stdin.on('error', () => undefined);
  child.stdin.end(raw);
  const [code] = await once(child, 'exit') as [number | null];
  return { code, stderr };
}

let t: TestApp;
beforeAll(async () => { t = await testApp({ env: { DATA_DIR: dataDir } }); });
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('mail:ingest', () => {
  test('exits 0 once the mail is stored, and the mail has become a request', async () => {
    const raw = mailFixture('new-request.eml', { FROM: 'pipe@example.org', MESSAGE_ID: 'piped@example.org' });
    const { code, stderr } = await pipe(raw);
    expect(stderr).toContain('mail:ingest: stored as inbound mail 1, new_request #1');
    expect(code).toBe(0);
    expect(allTickets(t)).toHaveLength(1);
    expect(messagesOf(t, 1)[0]!.body).toContain('fehlt die Lok BR 218');

    // Postfix delivers again after a lost answer: still 0, nothing applied twice.
    expect(await pipe(raw)).toEqual({ code: 0, stderr: 'mail:ingest: already stored as inbound mail 1\n' });
    expect(allTickets(t)).toHaveLength(1);
  });

  test('exits 69 for a mail above the size limit, so the mail server bounces it', async () => {
    t.services.settings.update({ inboundMaxMegabytes: 1 });
    const { code } = await pipe(Buffer.concat([mailFixture('new-request.eml'), Buffer.alloc(1024 * 1024, 'a')]));
    t.services.settings.update({ inboundMaxMegabytes: 25 });
    expect(code).toBe(69);
  });

  test('exits 75 when the mail cannot be stored, so the mail server tries again later', async () => {
    const notADirectory = join(dataDir, 'a-file');
    writeFileSync(notADirectory, '');
    const { code, stderr } = await pipe(mailFixture('new-request.eml'), { ...environment, DATA_DIR: join(notADirectory, 'data') });
    expect(stderr).toMatch(/^mail:ingest: /);
    expect(code).toBe(75);
  });
});
