// `npm run bench:mail`: how fast the outbox drains 10,000 mails into an SMTP server on loopback, and what the pages feel meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { createPasswordHasher } from '../src/modules/users/passwords.js';
import { logIn, runSlice } from './load.js';
import { startPortal } from './processes.js';
import { benchPassword, seedDatabase } from './seed.js';

const mailCount = 10_000;
const pageSeconds = 5;

/** An SMTP sink on loopback that only counts what it accepts, and when. */
async function startSink() {
  const arrivals: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        arrivals.push(performance.now());
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { port: (server.server.address() as AddressInfo).port, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Queues mails the way use cases do (rows in the outbox), straight into the running server's database file. */
function queueMails(databaseFile: string, count: number): void {
  const sqlite = new Database(databaseFile);
  sqlite.pragma('busy_timeout = 5000');
  const insert = sqlite.prepare(`insert into outbox (kind, to_address, to_name, subject, text_body, html_body, headers, message_id, status, next_attempt_at, created_at)
    values ('bench', ?, 'Kundin', ?, ?, ?, '{}', ?, 'pending', ?, ?)`);
  const now = Date.now();
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const text = `Guten Tag,\n\nwir haben Ihre Anfrage #${i} beantwortet. Schöne Grüße aus dem Servicecenter.\n`;
      insert.run(`kunde${i}@bench.example`, `[#${i}] Ihre Anfrage`, text, `<p>${text}</p>`, `<bench-${i}@portal.bench>`, now, now);
    }
  })();
  sqlite.close();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'hilfeportal-bench-mail-'));
  const sink = await startSink();
  try {
    const passwordHash = await createPasswordHasher().hash(benchPassword);
    const shop = seedDatabase(join(dataDir, 'hilfeportal.sqlite'), { customers: 1_000, requests: 5_000, messages: 20_000, articles: 50 }, passwordHash);
    const server = await startPortal(dataDir, [], { SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    try {
      const cookie = await logIn(server.url, shop.customerEmail, shop.password);
      const page = { server, path: '/requests', cookie, expectStatus: 200, connections: 10 };
      await runSlice(page, 1);
      const quiet = await runSlice(page, pageSeconds);

      queueMails(join(dataDir, 'hilfeportal.sqlite'), mailCount);
      const queuedAt = performance.now();
      // The worker finds the rows at its next poll; measure the page only once mail is really flowing.
      while (sink.arrivals.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const draining = await runSlice(page, pageSeconds);
      const deliveredDuringSlice = sink.arrivals.length;
      while (sink.arrivals.length < mailCount) await new Promise((resolve) => setTimeout(resolve, 100));
      const drainSeconds = (sink.arrivals.at(-1)! - queuedAt) / 1000;

      const rate = (slice: { answers: number; seconds: number }) => slice.answers / slice.seconds;
      const rows: Array<[string, string]> = [
        ['mails delivered', String(mailCount)],
        ['drain time (from queueing, incl. the worker\'s next poll)', `${drainSeconds.toFixed(1)} s`],
        ['mails per second', (mailCount / drainSeconds).toFixed(0)],
        ['"Meine Aktivitäten" quiet: req/s, p99', `${rate(quiet).toFixed(0)}, ${percentile(quiet.latencies, 99).toFixed(1)} ms`],
        ['"Meine Aktivitäten" while draining: req/s, p99', `${rate(draining).toFixed(0)}, ${percentile(draining.latencies, 99).toFixed(1)} ms`],
        ['throughput while draining / quiet', `${((rate(draining) / rate(quiet)) * 100).toFixed(0)} %`],
        ['mails delivered by the end of that measurement', String(deliveredDuringSlice)],
      ];
      console.log('\nOutbox drain benchmark\n');
      for (const [label, value] of rows) console.log(`${label.padEnd(55)} ${value}`);
      if (quiet.failures || draining.failures) console.log(`failures: quiet ${quiet.failures}, draining ${draining.failures}`);
    } finally {
      await server.stop();
    }
  } finally {
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
