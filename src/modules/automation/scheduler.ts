// Runs the automations inside the server process once a minute; started by src/server.ts, never by buildApp (tests run jobs themselves).
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../lib/clock.js';
import type { Automations } from './automations-service.js';

export type Scheduler = ReturnType<typeof createScheduler>;

export function createScheduler(deps: { automations: Automations; clock: Clock; logger: FastifyBaseLogger }) {
  const { automations, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function tick(): void {
    // A run that takes longer than the interval is not started twice; the leases guard against other processes.
    if (running) return;
    running = automations.runDue(clock.now())
      .then((run) => {
        const { skipped, ...counts } = run;
        if (Object.values(counts).some((count) => count > 0)) logger.info({ ...counts, skipped }, 'automations ran');
      })
      .catch((error) => logger.error({ err: error }, 'automations failed'))
      .finally(() => { running = undefined; });
  }

  return {
    start(intervalMs = 60_000): void {
      timer = setInterval(tick, intervalMs);
      timer.unref();
      tick();
    },
    /** Lets a run in progress finish, so no job is left holding its lease. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
