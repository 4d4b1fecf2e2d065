// The portal's front page and the health check for monitoring.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';

export default async function homeRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/', async (_request, reply) => reply.view('home', { title: 'Willkommen' }));

  const ping = db.$client.prepare('select 1 as ok');
  app.get('/healthz', async (request, reply) => {
    try {
      ping.get();
      return { status: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
}
