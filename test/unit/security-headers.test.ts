// The recorded security headers are exactly what helmet's middleware sets on a real response.
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { headersOf } from '../../src/plugins/security.js';

function headersOnRealResponse(middleware: ReturnType<typeof helmet>) {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  middleware(request, response, (error) => {
    if (error) throw error;
  });
  return response.getHeaders();
}

describe('headersOf', () => {
  test.each([
    ['helmet as it comes', helmet()],
    ['a strict CSP with HSTS', helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } }, strictTransportSecurity: { maxAge: 31_536_000 } })],
  ])('%s', (_name, middleware) => {
    const recorded = headersOf(middleware);
    expect(recorded).toEqual(headersOnRealResponse(middleware));
    expect(recorded['x-content-type-options']).toBe('nosniff');
    expect(Object.keys(recorded).length).toBeGreaterThan(10);
  });

  test('a middleware that does not finish at once is refused', () => {
    expect(() => headersOf((_request, _response, next) => void setTimeout(next, 0))).toThrow(/at once/);
  });
});
