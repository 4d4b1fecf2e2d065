// Log settings: JSON lines, with cookies and the password tokens in URLs kept out of the log.
import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config.js';

export function maskSecretsInUrl(url: string): string {
  return url.replace(/(\/password\/reset\/)[^/?#]+/g, '$1[redacted]');
}

export function loggerOptions(config: AppConfig, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: maskSecretsInUrl(request.url), remoteAddress: request.ip }),
    },
  };
}
