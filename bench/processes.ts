// Starts the servers under test as child processes, so that none of them shares an event loop with the load generator.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../src/paths.js';

export type ServerProcess = {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function superviseChild(child: ChildProcess, logFile: string): void {
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/healthz did not answer within 60 s`);
}

/** The real portal from dist/, in production mode, behind a "proxy" at 127.0.0.1 so X-Forwarded-For names the client. */
export async function startPortal(dataDir: string, nodeArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const logFile = join(dataDir, 'server.log');
  const child = spawn(process.execPath, [...nodeArgs, join(projectRoot, 'dist/src/server.js')], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '127.0.0.1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  superviseChild(child, logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, logFile);
  return { url, pid: child.pid!, logFile, stop: () => stopChild(child) };
}

/** The bare-Fastify baseline, run through tsx like the rest of the harness. */
export async function startBaseline(logDir: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const logFile = join(logDir, 'baseline.log');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(projectRoot, 'bench/baseline-server.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  superviseChild(child, logFile);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`baseline exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      if ((await fetch(`${url}/requests`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('baseline server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid!, logFile, stop: () => stopChild(child) };
}

/** Samples a process's resident memory from /proc (Linux) and keeps the peak, overall and since the last mark. */
export function sampleRss(pid: number, intervalMs = 200) {
  let peak = 0;
  let peakSinceMark = 0;
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!match) return;
      const megabytes = Number(match[1]) / 1024;
      peak = Math.max(peak, megabytes);
      peakSinceMark = Math.max(peakSinceMark, megabytes);
    } catch {
      // The process is gone or /proc is missing: nothing to sample.
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  timer.unref();
  return {
    /** The peak since the previous call, and starts a new interval. */
    mark(): number {
      read();
      const value = peakSinceMark;
      peakSinceMark = 0;
      return value;
    },
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}
