// `npm run cli -- automations:run [--now ISO]`: runs the due automations once, as if the time were --now (for cron and tests).
import { parseArgs } from 'node:util';
import type { Automations } from './automations-service.js';

export const automationsUsage = `  automations:run [--now ISO]
      Runs the due automations once (close solved requests, survey and reminder mails, unsent uploads, retention, ended sessions), as if the time
      were --now (e.g. 2026-12-07T09:00:00+01:00). Mail it queues is due at once; the server's mail worker sends it.`;

/** Parses the options, runs the jobs, and prints one line per job; returns the exit code. */
export async function runAutomationsCommand(automations: Automations, args: string[], print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { now: { type: 'string' } } });
  const asOf = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(asOf.getTime())) {
    print(`Invalid --now: ${values.now} (expected an ISO date and time such as 2026-12-07T09:00:00+01:00)`);
    return 2;
  }
  const run = await automations.runDue(asOf);
  print(`Automations as of ${asOf.toISOString()}:`);
  print(`  closed requests:      ${run.auto_close}`);
  print(`  survey mails queued:  ${run.satisfaction_survey}`);
  print(`  reminders queued:     ${run.pending_reminder}`);
  print(`  unsent uploads swept: ${run.staged_uploads}`);
  print(`  mail texts deleted:   ${run.outbox_retention}`);
  print(`  raw mails deleted:    ${run.inbound_retention}`);
  if (run.skipped.length > 0) print(`  skipped (another process holds the lease): ${run.skipped.join(', ')}`);
  return 0;
}
