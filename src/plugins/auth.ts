// Who is asking: loads the logged-in user for each request and offers the guards that route scopes use.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { User, UserRole } from '../db/schema.js';
import type { AccountsService } from '../modules/users/accounts-service.js';
import type { SessionStore } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | undefined;
  }
}

async function authPlugin(app: FastifyInstance, { accounts }: { accounts: AccountsService }) {
  app.decorateRequest('user', undefined);

  // Callback hooks, like the others that run on every request: no promise and no turn of the microtask queue each.
  app.addHook('onRequest', (request, _reply, done) => {
    const userId = request.session?.userId;
    if (userId === undefined) return done();
    const loaded = (request.sessionStore as unknown as SessionStore).takeUser(request.session.sessionId);
    const user = loaded?.id === userId ? loaded : accounts.userById(userId);
    if (!user || user.disabledAt) {
      // An empty session, not none: the routes after this hook use request.session (to log in as someone else, to log out).
      request.session.regenerate().then(() => done(), done);
      return;
    }
    request.user = user;
    done();
  });

  // Pages of a logged-in person must not stay in shared caches or the back-forward history of a shared computer.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.user) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}

/** Sends an anonymous visitor to the login page and back to where they wanted to go afterwards. */
export async function requireLogin(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return;
  const next = request.method === 'GET' ? request.url : '/';
  return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
}

export default fp(authPlugin, { name: 'auth', dependencies: ['session'] });

/** Guards a scope to the given roles: visitors go to the login, everyone else without the role gets 403. */
export function requireRole(...roles: UserRole[]) {
  return async function roleGuard(request: FastifyRequest, reply: FastifyReply) {
    if (!request.user) return requireLogin(request, reply);
    if (!roles.includes(request.user.role)) {
      throw Object.assign(new Error(`role ${request.user.role} may not use ${request.method} ${request.url}`), { statusCode: 403 });
    }
  };
}

export const staffRoles: UserRole[] = ['agent', 'lead', 'admin'];
export const leadRoles: UserRole[] = ['lead', 'admin'];
