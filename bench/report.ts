// Turns the measurements into the Markdown tables that the terminal shows and README.md quotes.
import type { Measurement } from './load.js';
import type { SeedProfile } from './seed.js';

export type ScenarioResult =
  | ({ key: string; label: string; notAvailable?: false; serverRssMb: number; baselineRequestsPerSecond?: number } & Measurement)
  | { key: string; label: string; notAvailable: true };

export type Goal = { goal: string; measured: string; met: boolean };

export function formatReport(input: {
  results: ScenarioResult[]; goals: Goal[]; profileName: string; profile: SeedProfile; timing: { seconds: number; rounds: number };
}): string {
  const { results, goals, profile } = input;
  const baseline = results.find((result) => result.key === 'baseline');
  const overallBaseline = baseline && !baseline.notAvailable ? baseline.requestsPerSecond : 0;
  const count = (value: number) => value.toLocaleString('en');
  const lines = [
    `Profile "${input.profileName}": ${count(profile.customers)} customers, ${count(profile.requests)} requests, ${count(profile.messages)} messages, ${count(profile.articles)} KB articles; `
      + `${input.timing.seconds} s per scenario in ${input.timing.rounds} slices, each page taking turns with the baseline. `
      + '"vs. baseline" compares with the baseline slices beside the page (rows without them: with all baseline slices). '
      + 'Latencies leave out the first answer on each connection, which waits for the server to take the connection.',
    '',
    '| scenario | req/s | p50 ms | p99 ms | vs. baseline | server CPU ms/req | server RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    if (result.notAvailable) {
      lines.push(`| ${result.label} | not available | | | | | |`);
      continue;
    }
    const failures = result.failures ? ` (${result.failures} unexpected answers)` : '';
    const reference = result.baselineRequestsPerSecond ?? overallBaseline;
    const rate = result.requestsPerSecond.toFixed(result.requestsPerSecond < 100 ? 1 : 0);
    const rss = result.serverRssMb ? String(Math.round(result.serverRssMb)) : '';
    lines.push(`| ${result.label}${failures} | ${rate} | ${result.p50Ms} | ${result.p99Ms} | ${Math.round((result.requestsPerSecond / reference) * 100)}% `
      + `| ${result.cpuMsPerRequest.toFixed(2)} | ${rss} |`);
  }
  lines.push('', '| goal | measured | met |', '|---|---:|:---:|');
  for (const goal of goals) lines.push(`| ${goal.goal} | ${goal.measured} | ${goal.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}
