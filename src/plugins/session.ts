// Sessions in our own table: created only at login, with a 12-hour idle and a 30-day absolute lifetime.
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyInstance, Session } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config.js';
import type { Db } from '../db/client.js';
import type { User } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { prepareSessionQueries } from '../modules/users/sessions-repository.js';
import { createRememberingSigner } from './remembering-signer.js';

export const sessionCookieName = 'hp_session';
export const idleLifetimeMs = 12 * 3600_000;
export const absoluteLifetimeMs = 30 * 24 * 3600_000;

declare module 'fastify' {
  interface Session {
    userId?: number;
  }
}

type Callback = (error?: unknown, session?: Session | null) => void;

export type SessionStore = ReturnType<typeof createSessionStore>;

/** The store @fastify/session talks to; it extends the idle expiry at most once per half lifetime. */
export function createSessionStore(db: Db, clock: Clock) {
  const queries = prepareSessionQueries(db);
  // The account read together with the session, until the auth hook of the same request takes it (see takeUser).
  let loaded: { sid: string; user: User } | undefined;
  return {
    get(sid: string, callback: Callback) {
      try {
        const found = queries.findWithUser(sid);
        const now = clock.now().getTime();
        if (!found) return callback(undefined, null);
        const row = found.session;
        if (row.idleExpiresAt.getTime() <= now || row.absoluteExpiresAt.getTime() <= now) {
          queries.remove(sid);
          return callback(undefined, null);
        }
        loaded = found.user ? { sid, user: found.user } : undefined;
        if (row.idleExpiresAt.getTime() - now < idleLifetimeMs / 2) {
          queries.extendIdle(sid, new Date(Math.min(now + idleLifetimeMs, row.absoluteExpiresAt.getTime())));
        }
        callback(undefined, JSON.parse(row.data) as Session);
      } catch (error) {
        callback(error);
      }
    },
    set(sid: string, session: Session, callback: (error?: unknown) => void) {
      try {
        // Only a login makes a row: the empty session that regenerate() hands out is not stored until a user is in it.
        if (session.userId === undefined) {
          queries.remove(sid);
          return callback();
        }
        const now = clock.now();
        const existing = queries.find(sid);
        // The cookie's expiry is the row's to keep: a stored cookie made @fastify/session rebuild it from its saved form
        // on every request, which cost more than the rest of the session's restoring.
        const { cookie: _cookie, ...data } = session;
        queries.upsert({
          sid,
          userId: session.userId ?? null,
          data: JSON.stringify(data),
          createdAt: existing?.createdAt ?? now,
          idleExpiresAt: new Date(now.getTime() + idleLifetimeMs),
          absoluteExpiresAt: existing?.absoluteExpiresAt ?? new Date(now.getTime() + absoluteLifetimeMs),
        });
        callback();
      } catch (error) {
        callback(error);
      }
    },
    /**
     * The account that get() read with this session. @fastify/session calls get() in its onRequest hook and the auth
     * hook runs right after it, so it is this request's; for any other session id there is none, and the caller reads
     * the account itself.
     */
    takeUser(sid: string): User | undefined {
      const user = loaded?.sid === sid ? loaded.user : undefined;
      loaded = undefined;
      return user;
    },
    destroy(sid: string, callback: (error?: unknown) => void) {
      try {
        queries.remove(sid);
        callback();
      } catch (error) {
        callback(error);
      }
    },
  };
}

async function sessionPlugin(app: FastifyInstance, { db, clock, config }: { db: Db; clock: Clock; config: AppConfig }) {
  const signer = createRememberingSigner(config.appSecret);
  await app.register(fastifyCookie, { secret: signer });
  await app.register(fastifySession, {
    secret: signer,
    cookieName: sessionCookieName,
    store: createSessionStore(db, clock),
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', maxAge: absoluteLifetimeMs },
  });
}

export default fp(sessionPlugin, { name: 'session' });
