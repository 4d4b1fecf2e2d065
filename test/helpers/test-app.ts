// Builds the real app on a fresh temporary SQLite file, with a clock the test moves and mail written to files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, defaultRateLimits, type Overrides, type RateLimits } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/lib/clock.js';
import { Mailbox } from './mailbox.js';

export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-30T09:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
}

export const testPublicUrl = 'http://portal.example.test';

/** Rate limits high enough that a test file's own traffic never meets them, unless the test asks for it. */
export const relaxedRateLimits: RateLimits = {
  login: { ...defaultRateLimits.login, max: 1000 },
  passwordReset: { ...defaultRateLimits.passwordReset, max: 1000 },
  contactForm: { ...defaultRateLimits.contactForm, max: 1000 },
};

export async function testApp(options: { env?: Record<string, string>; overrides?: Overrides } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hilfeportal-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET: 'test-secret-that-is-long-enough-0123456789',
    PUBLIC_URL: testPublicUrl,
    SUPPORT_ADDRESS: 'support@shop.example.test',
    ...options.env,
  });
  const clock = new TestClock();
  const app = await buildApp(config, { clock, rateLimits: relaxedRateLimits, ...options.overrides });
  await app.ready();
  const mailbox = new Mailbox(config.mailDir, () => app.services.outboxWorker.deliverDue());
  return {
    app,
    config,
    clock,
    db: app.services.db,
    services: app.services,
    mailbox,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;
