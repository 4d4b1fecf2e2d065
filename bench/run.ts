// `npm run bench`: seeds databases at scale, starts the real server in production mode and measures its pages against a bare baseline.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPasswordHasher } from '../src/modules/users/passwords.js';
import { projectRoot } from '../src/paths.js';
import { formToken, interleave, type Load, logIn, type Measurement, runSlice, runTogether, Tally } from './load.js';
import { type ServerProcess, sampleRss, startBaseline, startPortal } from './processes.js';
import { formatReport, type Goal, type ScenarioResult } from './report.js';
import { benchPassword, type SeededShop, type SeedProfile, seedDatabase } from './seed.js';

const { values: args } = parseArgs({
  options: {
    small: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const profiles = {
  default: { customers: 100_000, requests: 1_000_000, messages: 5_000_000, articles: 2_000 },
  small: { customers: 5_000, requests: 50_000, messages: 250_000, articles: 500 },
} satisfies Record<string, SeedProfile>;
// "Flat at scale" compares the same pages against this small shop.
const flatProfile: SeedProfile = { customers: 100, requests: 1_000, messages: 5_000, articles: 0 };

const profileName = args.small ? 'small' : 'default';
const profile = profiles[profileName];
const timing = {
  /** Measured seconds per scenario, spread over `rounds` slices that take turns with the baseline. */
  seconds: Number(args.seconds ?? (args.small ? 6 : 10)),
  rounds: args.small ? 3 : 5,
  warmupSeconds: args.small ? 1 : 2,
};
const pageConnections = 50;
const loginConnections = 10;
const mixedConnections = 10;

/** The environment and node flags of `npm start` (see README, "Performance"), so that the benchmark runs the server as operators do. */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /((?:\b[A-Z_]+=\S+\s+)*)node((?:\s+--\S+)*)\s+dist\/src\/server\.js/.exec(scripts.start ?? '');
  const env = Object.fromEntries((match?.[1] ?? '').split(/\s+/).filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]));
  return { env, flags: (match?.[2] ?? '').split(/\s+/).filter(Boolean) };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'hilfeportal-bench-'));
  const started = Date.now();
  const servers: ServerProcess[] = [];
  try {
    console.log(`Profile ${profileName}: ${profile.customers} customers, ${profile.requests} requests, ${profile.messages} messages; `
      + `${timing.seconds} s per scenario in ${timing.rounds} slices`);
    // One argon2 hash for every seeded login: hashing 100,000 passwords would take longer than the whole benchmark.
    const passwordHash = await createPasswordHasher().hash(benchPassword);
    const shop = seed('portal', workDir, profile, passwordHash);
    const flatShop = seed('flat', workDir, flatProfile, passwordHash);

    const start = startCommand();
    const portal = await startPortal(join(workDir, 'portal'), start.flags, start.env);
    servers.push(portal);
    const flat = await startPortal(join(workDir, 'flat'), start.flags, start.env);
    servers.push(flat);
    const baseline = await startBaseline(workDir);
    servers.push(baseline);
    console.log(`Servers up: ${Object.entries(start.env).map(([name, value]) => `${name}=${value} `).join('')}node ${start.flags.join(' ')}`);
    const rss = sampleRss(portal.pid);
    const results = await runScenarios({ portal, flat, baseline }, shop, flatShop, rss);
    rss.stop();

    const goals = goalsOf(results, shop, rss.peak());
    const report = formatReport({ results, goals, profileName, profile, timing });
    console.log(`\n${report}`);
    const machine = machineInfo();
    const output = {
      date: new Date().toISOString(), machine, profile: profileName, sizes: profile, flatSizes: flatProfile, timing, serverStart: start,
      connections: { pages: pageConnections, login: loginConnections, mixed: mixedConnections },
      seedSeconds: { portal: shop.seconds, flat: flatShop.seconds },
      serverRssPeakMb: rss.peak(), results, goals, totalSeconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(projectRoot, 'bench/results.json'), `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nMachine: ${machine.cores} cores, ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}; total ${Math.round(output.totalSeconds)} s`);
    console.log('Written to bench/results.json');
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    if (args.keep) console.log(`Kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

function seed(name: string, workDir: string, sizes: SeedProfile, passwordHash: string): SeededShop {
  const dataDir = join(workDir, name);
  mkdirSync(dataDir, { recursive: true });
  const shop = seedDatabase(join(dataDir, 'hilfeportal.sqlite'), sizes, passwordHash);
  console.log(`Seeded ${name} (${sizes.requests} requests, ${sizes.messages} messages) in ${shop.seconds.toFixed(1)} s`);
  return shop;
}

type Servers = { portal: ServerProcess; flat: ServerProcess; baseline: ServerProcess };

async function runScenarios(servers: Servers, shop: SeededShop, flatShop: SeededShop, rss: ReturnType<typeof sampleRss>) {
  const { portal, flat, baseline } = servers;
  const results: ScenarioResult[] = [];
  const customer = await logIn(portal.url, shop.customerEmail, shop.password);
  const agent = await logIn(portal.url, shop.agentEmail, shop.password);
  const flatCustomer = await logIn(flat.url, flatShop.customerEmail, flatShop.password);
  const flatAgent = await logIn(flat.url, flatShop.agentEmail, flatShop.password);
  const loginForm = await formToken(portal.url, '/login', '/login');
  const contactForm = await formToken(portal.url, '/requests/new', '/requests/new');
  const kbAvailable = (await fetch(`${portal.url}/kb/search?q=${shop.searchWord}`)).status === 200;

  const page = (server: ServerProcess, path: string, cookie?: string): Load =>
    ({ server, path, cookie, expectStatus: 200, connections: pageConnections });
  const loginLoad: Load = {
    server: portal, path: '/login', method: 'POST', cookie: loginForm.cookie, expectStatus: 303, connections: loginConnections, distinctClients: true,
    form: { _csrf: loginForm.token, email: shop.customerEmail, password: shop.password },
  };
  const baselinePage = page(baseline, '/requests');
  const allBaseline = new Tally();

  function log(result: ScenarioResult) {
    results.push(result);
    if (result.notAvailable) return console.log(`  ${result.label.padEnd(48)} not available`);
    const ratio = result.baselineRequestsPerSecond ? `  ${Math.round((result.requestsPerSecond / result.baselineRequestsPerSecond) * 100)}% of baseline` : '';
    console.log(`  ${result.label.padEnd(48)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  `
      + `${result.cpuMsPerRequest.toFixed(2)} CPU ms/req${ratio}${result.failures ? `  (${result.failures} failures)` : ''}`);
  }

  /** Pages that take turns with the baseline; each page's ratio is to the baseline slices right beside it. */
  async function compareWithBaseline(scenarios: Array<{ key: string; label: string; load: Load }>) {
    rss.mark();
    const nearbyBaseline = new Tally();
    const tallies = scenarios.map(() => new Tally());
    await interleave([
      { load: baselinePage, tallies: [nearbyBaseline, allBaseline] },
      ...scenarios.map((scenario, index) => ({ load: scenario.load, tallies: [tallies[index]!] })),
    ], timing);
    const serverRssMb = rss.mark();
    const baselineRequestsPerSecond = nearbyBaseline.result().requestsPerSecond;
    scenarios.forEach((scenario, index) => log({ key: scenario.key, label: scenario.label, ...tallies[index]!.result(), baselineRequestsPerSecond, serverRssMb }));
  }

  async function alone(key: string, label: string, load: Load) {
    rss.mark();
    if (timing.warmupSeconds > 0) await runSlice(load, timing.warmupSeconds);
    const tally = new Tally();
    tally.add(await runSlice(load, timing.seconds));
    log({ key, label, ...tally.result(), serverRssMb: rss.mark() });
  }

  await compareWithBaseline([{ key: 'home', label: 'Portal home, anonymous', load: page(portal, '/') }]);
  await compareWithBaseline([
    { key: 'customer-list', label: `Meine Aktivitäten (${shop.customerRequestCount} requests)`, load: page(portal, '/requests', customer) },
    { key: 'customer-list-flat', label: `  same at ${flatProfile.requests.toLocaleString('en')} requests in all`, load: page(flat, '/requests', flatCustomer) },
  ]);
  await compareWithBaseline([
    { key: 'request-page', label: `A request with ${shop.busyTicketMessages} messages`, load: page(portal, `/requests/${shop.busyTicketId}`, customer) },
  ]);
  await compareWithBaseline([
    { key: 'agent-view', label: 'Agent view "Nicht zugewiesen", first page', load: page(portal, '/agent/views/nicht-zugewiesen', agent) },
    { key: 'agent-view-flat', label: `  same at ${flatProfile.requests.toLocaleString('en')} requests in all`, load: page(flat, '/agent/views/nicht-zugewiesen', flatAgent) },
  ]);
  await compareWithBaseline([{ key: 'agent-search', label: `Agent search "${shop.searchWord}"`, load: page(portal, `/agent/search?q=${shop.searchWord}`, agent) }]);
  if (kbAvailable) await compareWithBaseline([{ key: 'kb-search', label: `KB search "${shop.searchWord}"`, load: page(portal, `/kb/search?q=${shop.searchWord}`) }]);
  else log({ key: 'kb-search', label: 'KB search', notAvailable: true });
  await alone('login', 'Login (argon2id)', loginLoad);

  // Logins next to page traffic: the pages' p99 with and without a login flood, in alternating slices at the same connection count.
  rss.mark();
  const mixedPages = [
    { key: 'customer-list', label: 'Meine Aktivitäten', load: { ...page(portal, '/requests', customer), connections: mixedConnections } },
    { key: 'request-page', label: 'Request page', load: { ...page(portal, `/requests/${shop.busyTicketId}`, customer), connections: mixedConnections } },
  ];
  const quiet = mixedPages.map(() => new Tally());
  const loaded = mixedPages.map(() => new Tally());
  const loginsDuringPages = new Tally();
  const sliceSeconds = Math.max(1, Math.round(timing.seconds / timing.rounds));
  for (let round = 0; round < timing.rounds; round++) {
    await runTogether(mixedPages.map((entry, index) => ({ load: entry.load, tally: quiet[index]! })), sliceSeconds);
    await runTogether([{ load: loginLoad, tally: loginsDuringPages }, ...mixedPages.map((entry, index) => ({ load: entry.load, tally: loaded[index]! }))], sliceSeconds);
  }
  const mixedRss = rss.mark();
  mixedPages.forEach((entry, index) => {
    log({ key: `${entry.key}-quiet`, label: `${entry.label}, ${mixedConnections} conn., quiet`, ...quiet[index]!.result(), serverRssMb: mixedRss });
    log({ key: `${entry.key}-with-logins`, label: `${entry.label}, ${mixedConnections} conn., during logins`, ...loaded[index]!.result(), serverRssMb: mixedRss });
  });
  log({ key: 'login-with-pages', label: `Login during that page traffic`, ...loginsDuringPages.result(), serverRssMb: mixedRss });

  // Last, because each new request queues mail that the outbox worker writes out for a while afterwards.
  await alone('contact-form', 'Contact form POST, anonymous', {
    server: portal, path: '/requests/new', method: 'POST', cookie: contactForm.cookie, expectStatus: 303, connections: pageConnections, distinctClients: true,
    form: { _csrf: contactForm.token, name: 'Bernd Benchmark', email: 'kontakt@bench.example', subject: 'Lieferung fehlt', description: 'Bitte prüfen Sie meine Lieferung.' },
  });
  results.unshift({ key: 'baseline', label: 'Baseline: bare Fastify + Eta, constant rows', ...allBaseline.result(), serverRssMb: 0 });
  return results;
}

function goalsOf(results: ScenarioResult[], shop: SeededShop, rssPeakMb: number): Goal[] {
  const measured = (key: string): (Measurement & { baselineRequestsPerSecond?: number }) | undefined => {
    const result = results.find((candidate) => candidate.key === key);
    return result && !result.notAvailable ? result : undefined;
  };
  const ratio = (key: string) => {
    const result = measured(key);
    return result?.baselineRequestsPerSecond ? result.requestsPerSecond / result.baselineRequestsPerSecond : 0;
  };
  const flatness = (key: string) => (measured(`${key}-flat`)?.requestsPerSecond ?? 0) / (measured(key)?.requestsPerSecond ?? Infinity);
  const p99Growth = (key: string) => (measured(`${key}-with-logins`)?.p99Ms ?? Infinity) / Math.max(1, measured(`${key}-quiet`)?.p99Ms ?? 0);
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  const times = (value: number) => `${value.toFixed(2)}×`;
  const logins = (key: string) => measured(key)?.requestsPerSecond ?? 0;
  const goals: Goal[] = [
    { goal: '"Meine Aktivitäten" ≥ 60% of the baseline\'s req/s', measured: percent(ratio('customer-list')), met: ratio('customer-list') >= 0.6 },
    { goal: `A request with ${shop.busyTicketMessages} messages ≥ 35% of the baseline`, measured: percent(ratio('request-page')), met: ratio('request-page') >= 0.35 },
    { goal: `… and its p99 < 100 ms at ${pageConnections} connections`, measured: `${measured('request-page')?.p99Ms} ms`, met: (measured('request-page')?.p99Ms ?? Infinity) < 100 },
    { goal: 'Agent view first page ≥ 50% of the baseline', measured: percent(ratio('agent-view')), met: ratio('agent-view') >= 0.5 },
    { goal: `Flat: "Meine Aktivitäten" req/s at ${flatProfile.requests.toLocaleString('en')} requests ≤ 1.25× that at ${profile.requests.toLocaleString('en')}`, measured: times(flatness('customer-list')), met: flatness('customer-list') <= 1.25 },
    { goal: `Flat: agent view req/s at ${flatProfile.requests.toLocaleString('en')} requests ≤ 1.25× that at ${profile.requests.toLocaleString('en')}`, measured: times(flatness('agent-view')), met: flatness('agent-view') <= 1.25 },
    { goal: '≥ 15 logins/s', measured: `${logins('login').toFixed(1)}/s`, met: logins('login') >= 15 },
    { goal: '≥ 15 logins/s while pages are served too', measured: `${logins('login-with-pages').toFixed(1)}/s`, met: logins('login-with-pages') >= 15 },
    { goal: '"Meine Aktivitäten" p99 during logins ≤ 2× quiet', measured: times(p99Growth('customer-list')), met: p99Growth('customer-list') <= 2 },
    { goal: 'Request page p99 during logins ≤ 2× quiet', measured: times(p99Growth('request-page')), met: p99Growth('request-page') <= 2 },
    { goal: 'Server RSS ≤ 256 MB through the run', measured: `${Math.round(rssPeakMb)} MB`, met: rssPeakMb <= 256 },
  ];
  if (profileName === 'default') goals.push({ goal: 'Seeding the default profile < 3 min', measured: `${Math.round(shop.seconds)} s`, met: shop.seconds < 180 });
  const failing = results.flatMap((result) => (!result.notAvailable && result.failures > 0 ? [`${result.key}: ${result.failures}`] : []));
  goals.push({ goal: 'Every answer had the expected status', measured: failing.join(', ') || 'all', met: failing.length === 0 });
  return goals;
}

function machineInfo() {
  return { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', ramGb: Math.round(totalmem() / 1024 ** 3), node: process.version };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
