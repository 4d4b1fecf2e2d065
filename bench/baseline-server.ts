// The benchmark's 100%: a bare Fastify rendering the "Meine Aktivitäten" template from constant rows, no session, no database.
import fastifyView from '@fastify/view';
import Fastify from 'fastify';
import { createEta, viewHelpers, type PageLocals } from '../src/plugins/views.js';
import { viewsDir } from '../src/paths.js';
import { defaultSettings } from '../src/modules/settings/settings-schema.js';
import type { User } from '../src/db/schema.js';
import { customerStatusFilters, customerStatusLabel, customerStatusFilterOf } from '../src/modules/tickets/ticket-labels.js';

const statuses = ['new', 'open', 'pending', 'solved', 'closed'] as const;
const start = Date.parse('2026-11-01T08:00:00Z');

// The same model the real route builds: 25 rows, the filters, a next-page link.
const rows = Array.from({ length: 25 }, (_, index) => {
  const status = statuses[index % statuses.length]!;
  return {
    id: 990_000 - index,
    subject: `Lieferung unvollständig ${100_000 + index}`,
    status,
    createdAt: new Date(start - index * 86_400_000),
    lastActivityAt: new Date(start - index * 3_600_000),
    statusKey: customerStatusFilterOf(status),
    statusLabel: customerStatusLabel(status),
  };
});
const model = {
  title: 'Meine Aktivitäten',
  rows,
  filters: Object.entries(customerStatusFilters).map(([key, filter]) => ({ key, label: filter.label })),
  status: undefined,
  q: '',
  isFirstPage: true,
  nextHref: '/requests?after=1761984000000_989975',
  firstHref: '/requests',
};
// Only what the layout reads; cast, so that new account columns need no change here.
const currentUser = { id: 9, email: 'kundin@bench.example', name: 'Karla Kundin', role: 'customer', createdAt: new Date(start) } as User;

async function main() {
  const app = Fastify({ logger: false });
  await app.register(fastifyView, { engine: { eta: createEta(true) }, templates: viewsDir, production: true });
  app.get('/requests', async (_request, reply) => {
    const locals: PageLocals = {
      settings: defaultSettings,
      supportAddress: 'support@example.com',
      currentUser,
      csrfToken: () => 'constant-csrf-token-of-the-baseline',
      currentPath: '/requests',
      format: viewHelpers,
    };
    reply.locals = locals;
    return reply.view('requests/index', model);
  });
  const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  // The parent reads this line to learn the port.
  console.log(JSON.stringify({ listening: address }));
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
