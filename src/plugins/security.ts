// Security headers (helmet with a strict CSP), CSRF checks on every POST, and the rate limiter.
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { AppConfig } from '../config.js';

export const csrfCookieName = 'hp_csrf';

export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
}

async function securityPlugin(app: FastifyInstance, { config }: { config: AppConfig }) {
  // helmet's middleware built once: @fastify/helmet builds it anew for every request, about 5% of a small page's time.
  const setSecurityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => setSecurityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));

  // The CSRF secret lives in a signed cookie, not the session: anonymous forms must not create session rows.
  await app.register(fastifyCsrf, {
    cookieKey: csrfCookieName,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf,
  });
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    app.csrfProtection(request, reply, done);
  });

  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new TooManyRequestsError('rate limit reached'),
  });
}

export default fp(securityPlugin, { name: 'security', dependencies: ['session'] });
