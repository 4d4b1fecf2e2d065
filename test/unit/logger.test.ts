// The request log never holds the secret of a password link, nor cookies.
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import type { AppConfig } from '../../src/config.js';
import { loggerOptions, maskSecretsInUrl } from '../../src/logger.js';

describe('maskSecretsInUrl', () => {
  test.each([
    ['/password/reset/abcDEF123-_', '/password/reset/[redacted]'],
    ['/password/reset/abcDEF123-_?x=1', '/password/reset/[redacted]?x=1'],
    ['/password/reset/abc%2Fdef#frag', '/password/reset/[redacted]#frag'],
    ['http://portal.example.test/password/reset/abc', 'http://portal.example.test/password/reset/[redacted]'],
  ])('masks the token in %j', (url, masked) => {
    expect(maskSecretsInUrl(url)).toBe(masked);
  });

  test.each(['/password/forgot', '/login?next=%2Frequests', '/requests/5', 'http://portal.example.test'])('leaves %j as it is', (url) => {
    expect(maskSecretsInUrl(url)).toBe(url);
  });
});

describe('the request log', () => {
  test('a request for a password link logs the path with the token masked, and no cookie', async () => {
    const lines: string[] = [];
    const options = loggerOptions({ logLevel: 'info' } as AppConfig) as Record<string, unknown>;
    const app = Fastify({ logger: { ...options, stream: { write: (line: string) => { lines.push(line); } } } });
    app.get('/password/reset/:token', async () => 'Neues Kennwort festlegen');
    app.post('/password/reset/:token', async () => 'gespeichert');
    await app.ready();

    const token = 'geheimesTokenAusDerMail0123456789abcdefghij';
    await app.inject({ url: `/password/reset/${token}`, headers: { cookie: 'hp_session=sitzung-geheim' } });
    await app.inject({ method: 'POST', url: `/password/reset/${token}?weiter=1`, payload: {} });
    await app.close();

    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('/password/reset/[redacted]');
    expect(log).toContain('/password/reset/[redacted]?weiter=1');
    expect(log).not.toContain(token);
    expect(log).not.toContain('sitzung-geheim');
  });
});
