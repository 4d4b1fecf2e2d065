// Eta templates through @fastify/view; every page gets the settings, the user and a CSRF token on demand.
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../db/schema.js';
import { dateHtml, dateTimeHtml, formatDate, formatDateTime } from '../lib/dates.js';
import { highlightSnippetHtml, plainTextToHtml } from '../lib/plain-text.js';
import type { SettingsService } from '../modules/settings/settings-service.js';
import type { Settings } from '../modules/settings/settings-schema.js';
import { viewsDir } from '../paths.js';

export type PageLocals = {
  settings: Settings;
  supportAddress: string;
  currentUser: User | undefined;
  csrfToken: () => string;
  currentPath: string;
  format: typeof viewHelpers;
};

declare module 'fastify' {
  interface FastifyReply {
    locals: PageLocals;
  }
  interface FastifyInstance {
    /** Fills reply.locals; pages rendered outside the normal hooks (errors) call it themselves. */
    preparePage(request: FastifyRequest, reply: FastifyReply): void;
  }
}

/** The formatting helpers every template gets as `it.format`; the benchmark baseline renders with the same ones. */
export const viewHelpers = { dateTime: formatDateTime, date: formatDate, dateTimeHtml, dateHtml, plainTextToHtml, highlightSnippetHtml };

export function createEta(production: boolean): Eta {
  return new Eta({ views: viewsDir, cache: production, autoEscape: true, autoTrim: [false, 'nl'] });
}

async function viewsPlugin(
  app: FastifyInstance,
  { production, settings, supportAddress }: { production: boolean; settings: SettingsService; supportAddress: string },
) {
  await app.register(fastifyView, {
    engine: { eta: createEta(production) },
    templates: viewsDir,
    production,
  });

  app.decorate('preparePage', (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.locals?.settings) return;
    let token: string | undefined;
    reply.locals = {
      settings: settings.current(),
      supportAddress,
      currentUser: request.user,
      csrfToken: () => (token ??= reply.generateCsrf()),
      currentPath: request.url.split('?')[0] ?? '/',
      format: viewHelpers,
    };
  });
  app.addHook('preHandler', (request, reply, done) => {
    app.preparePage(request, reply);
    done();
  });
}

export default fp(viewsPlugin, { name: 'views', dependencies: ['security', 'auth'] });
