// Reads the environment once, validates it with zod and hands out a frozen, typed configuration.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalText = z.preprocess(emptyToUndefined, z.string().optional());

const environmentSchema = z.object({
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  APP_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'APP_SECRET must be at least 32 characters').optional()),
  TRUST_PROXY: optionalText,
  SMTP_URL: optionalText,
  MAIL_FROM: optionalText,
  SUPPORT_ADDRESS: z.preprocess(emptyToUndefined, z.email().default('support@example.com')),
  DKIM_DOMAIN: optionalText,
  DKIM_SELECTOR: optionalText,
  DKIM_KEY_FILE: optionalText,
  IMAP_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^imaps?$/, message: 'IMAP_URL must look like imap://user:password@host or imaps://…' }).optional()),
  SMTP_INBOUND_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  SMTP_INBOUND_HOST: optionalText,
  SMTP_INBOUND_TLS_CERT: optionalText,
  SMTP_INBOUND_TLS_KEY: optionalText,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
});

export type AppConfig = Readonly<{
  host: string;
  port: number;
  dataDir: string;
  databasePath: string;
  mailDir: string;
  production: boolean;
  environment: 'development' | 'production' | 'test';
  publicUrl: string;
  secureCookies: boolean;
  appSecret: string;
  trustProxy: boolean | string | number;
  smtpUrl: string | undefined;
  mailFrom: string;
  supportAddress: string;
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  imapUrl: string | undefined;
  smtpInboundPort: number | undefined;
  /** Where the inbound SMTP listener binds (default HOST): the relay usually connects from another machine. */
  smtpInboundHost: string;
  /** Certificate and key for STARTTLS on the inbound SMTP listener; without them it speaks plain SMTP. */
  smtpInboundTls: { cert: Buffer; key: Buffer } | undefined;
  logLevel: string;
}>;

export class ConfigError extends Error {}

/** Builds the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  const production = vars.NODE_ENV === 'production';
  const dataDir = resolve(vars.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const publicUrl = (vars.PUBLIC_URL ?? `http://${hostForUrl(vars.HOST)}:${vars.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    host: vars.HOST,
    port: vars.PORT,
    dataDir,
    databasePath: join(dataDir, 'hilfeportal.sqlite'),
    mailDir: join(dataDir, 'mail'),
    production,
    environment: vars.NODE_ENV,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    appSecret: vars.APP_SECRET ?? developmentSecret(dataDir, production),
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? vars.SUPPORT_ADDRESS,
    supportAddress: vars.SUPPORT_ADDRESS,
    dkim: dkimOptions(vars.DKIM_DOMAIN, vars.DKIM_SELECTOR, vars.DKIM_KEY_FILE),
    imapUrl: vars.IMAP_URL,
    smtpInboundPort: vars.SMTP_INBOUND_PORT,
    smtpInboundHost: vars.SMTP_INBOUND_HOST ?? vars.HOST,
    smtpInboundTls: inboundTls(vars.SMTP_INBOUND_TLS_CERT, vars.SMTP_INBOUND_TLS_KEY),
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
  });
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

// In development a secret is made once and kept in DATA_DIR, so sessions survive restarts without setup.
function developmentSecret(dataDir: string, production: boolean): string {
  if (production) throw new ConfigError('Invalid configuration:\n  APP_SECRET: required when NODE_ENV=production (at least 32 characters)');
  const file = join(dataDir, 'app-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function parseTrustProxy(value: string | undefined): boolean | string | number {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function inboundTls(certFile?: string, keyFile?: string): AppConfig['smtpInboundTls'] {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError('Invalid configuration:\n  SMTP_INBOUND_TLS_CERT and SMTP_INBOUND_TLS_KEY go together');
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

function dkimOptions(domain?: string, selector?: string, keyFile?: string): AppConfig['dkim'] {
  if (!domain && !selector && !keyFile) return undefined;
  if (!domain || !selector || !keyFile) {
    throw new ConfigError('Invalid configuration:\n  DKIM_DOMAIN, DKIM_SELECTOR and DKIM_KEY_FILE go together');
  }
  return { domainName: domain, keySelector: selector, privateKey: readFileSync(keyFile, 'utf8') };
}
