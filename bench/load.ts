// Drives the servers with autocannon and logs in over HTTP the way a browser does (CSRF cookie and token, then POST /login).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { ServerProcess } from './processes.js';

export type Load = {
  server: ServerProcess;
  path: string;
  method?: 'GET' | 'POST';
  /** Cookie header: a session, or the CSRF cookie that a form's token belongs to. */
  cookie?: string;
  form?: Record<string, string>;
  expectStatus: number;
  connections: number;
  /** Every request comes from a new client address (X-Forwarded-For, trusted from 127.0.0.1), as many visitors behind a proxy would. */
  distinctClients?: boolean;
};

/** What one load did over all of its slices. */
export type Measurement = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers with another status than expected, plus connection errors and timeouts. */
  failures: number;
  /** The server process's CPU time (user + system) per answered request: unlike req/s, barely moved by other work on the machine. */
  cpuMsPerRequest: number;
};

/**
 * One load's run of `seconds`: its answers, the latencies of the answers on connections the server had already taken,
 * failures, and the server's CPU time meanwhile.
 */
export type Slice = { answers: number; latencies: number[]; seconds: number; failures: number; cpuMs: number };

/** Slices of one load, added up; latencies are kept whole so that percentiles over all slices are exact. */
export class Tally {
  private latencies: number[] = [];
  private seconds = 0;
  private requests = 0;
  private failures = 0;
  private cpuMs = 0;

  add(slice: Slice): void {
    for (const latency of slice.latencies) this.latencies.push(latency);
    this.seconds += slice.seconds;
    this.requests += slice.answers;
    this.failures += slice.failures;
    this.cpuMs += slice.cpuMs;
  }

  result(): Measurement {
    const sorted = Float64Array.from(this.latencies).sort();
    const percentile = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!) : 0);
    return {
      requestsPerSecond: this.seconds ? this.requests / this.seconds : 0,
      p50Ms: percentile(0.5),
      p99Ms: percentile(0.99),
      requests: this.requests,
      failures: this.failures,
      cpuMsPerRequest: this.requests ? this.cpuMs / this.requests : 0,
    };
  }
}

let clientCounter = 0;
/** 10.x.y.z addresses, unique across the whole run, so no rate limit ever sees the same client twice. */
function nextClientAddress(): string {
  clientCounter++;
  return `10.${(clientCounter >>> 16) & 255}.${(clientCounter >>> 8) & 255}.${clientCounter & 255}`;
}

/** User plus system CPU time of a process in milliseconds, from /proc (Linux; 0 elsewhere). */
function cpuTimeMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * Runs one load for `seconds` and returns its slice. The first answer on each connection is counted but its latency is
 * left out: autocannon opens all connections at once, and Node accepts one new connection per turn of its event loop
 * (libuv does not accept in a loop), so on a busy server the last of 50 connections waits for 49 turns, each serving
 * every connection taken so far. That wait (1.5 s for a request with 100 messages) is the load generator's start, not
 * an answer's time; browsers and proxies keep their connections open.
 */
export async function runSlice(load: Load, seconds: number): Promise<Slice> {
  const headers: Record<string, string> = {};
  if (load.cookie) headers.cookie = load.cookie;
  const body = load.form ? new URLSearchParams(load.form).toString() : undefined;
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const latencies: number[] = [];
  const connected = new Set<unknown>();
  let answers = 0;
  let unexpected = 0;
  const cpuBefore = cpuTimeMs(load.server.pid);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: load.server.url,
      connections: load.connections,
      duration: seconds,
      requests: [{
        method: load.method ?? 'GET',
        path: load.path,
        headers,
        body,
        ...(load.distinctClients
          ? { setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': nextClientAddress() } }) }
          : {}),
      }],
    }, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (client, statusCode, _bytes, responseTime) => {
      answers++;
      if (connected.has(client)) latencies.push(responseTime);
      else connected.add(client);
      if (statusCode !== load.expectStatus) unexpected++;
    });
  });
  return {
    answers,
    latencies,
    seconds: (performance.now() - started) / 1000,
    failures: unexpected + result.errors + result.timeouts,
    cpuMs: cpuTimeMs(load.server.pid) - cpuBefore,
  };
}

/** Several loads at the same time for `seconds`, each into its own tally; a server's CPU time is split by the requests each load got. */
export async function runTogether(entries: Array<{ load: Load; tally: Tally }>, seconds: number): Promise<void> {
  const pids = [...new Set(entries.map((entry) => entry.load.server.pid))];
  const before = new Map(pids.map((pid) => [pid, cpuTimeMs(pid)]));
  const slices = await Promise.all(entries.map((entry) => runSlice(entry.load, seconds)));
  const used = new Map(pids.map((pid) => [pid, cpuTimeMs(pid) - before.get(pid)!]));
  const answered = new Map<number, number>();
  entries.forEach((entry, index) => {
    const pid = entry.load.server.pid;
    answered.set(pid, (answered.get(pid) ?? 0) + slices[index]!.answers);
  });
  entries.forEach((entry, index) => {
    const pid = entry.load.server.pid;
    const slice = slices[index]!;
    entry.tally.add({ ...slice, cpuMs: (used.get(pid)! * slice.answers) / Math.max(1, answered.get(pid)!) });
  });
}

/**
 * Runs the loads in turn, `rounds` times over, each for `seconds / rounds` a turn, after a short warm-up of each. Taking
 * turns in short slices lets a burst of other work on the machine hit every load alike, so ratios between them hold.
 * Each slice goes into every tally given with its load.
 */
export async function interleave(entries: Array<{ load: Load; tallies: Tally[] }>, options: { seconds: number; rounds: number; warmupSeconds: number }): Promise<void> {
  for (const { load } of entries) if (options.warmupSeconds > 0) await runSlice(load, options.warmupSeconds);
  const sliceSeconds = Math.max(1, Math.round(options.seconds / options.rounds));
  for (let round = 0; round < options.rounds; round++) {
    for (const { load, tallies } of entries) {
      const slice = await runSlice(load, sliceSeconds);
      for (const tally of tallies) tally.add(slice);
    }
  }
}

/** Cookies as a Cookie header value, from a response's Set-Cookie headers merged over earlier ones. */
function mergeCookies(previous: Map<string, string>, response: Response): Map<string, string> {
  const merged = new Map(previous);
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const separator = pair.indexOf('=');
    merged.set(pair.slice(0, separator), pair.slice(separator + 1));
  }
  return merged;
}

function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The CSRF cookie and the token of the form posting to `action` on the page at `path`. */
export async function formToken(url: string, path: string, action: string): Promise<{ cookie: string; token: string }> {
  const response = await fetch(`${url}${path}`, { headers: { 'x-forwarded-for': nextClientAddress() } });
  const html = await response.text();
  const form = html.split('<form').find((markup) => markup.includes(`action="${action}"`));
  const token = form?.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!token) throw new Error(`no CSRF token for ${action} on ${path}`);
  return { cookie: cookieHeader(mergeCookies(new Map(), response)), token };
}

/** Logs in like a browser and returns its Cookie header (session and CSRF cookie). */
export async function logIn(url: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${url}/login`, { headers: { 'x-forwarded-for': nextClientAddress() } });
  let cookies = mergeCookies(new Map(), page);
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!token) throw new Error('no CSRF token on /login');
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextClientAddress() },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  if (response.status !== 303) throw new Error(`login of ${email} answered ${response.status}`);
  cookies = mergeCookies(cookies, response);
  if (!cookies.has('hp_session')) throw new Error(`login of ${email} set no session cookie`);
  return cookieHeader(cookies);
}
