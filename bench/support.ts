/**
 * What the benchmarks share: a database of their own, child processes of the real service and of the
 * Twilio-compatible server, and the peak resident memory of each process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { applyMigrations, ensureDatabase } from '../src/runtime/migrations.js';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana_bench';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
export const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
export const AUTH_TOKEN = 'bench-auth-token-000000';

/** A fresh benchmark database with every migration applied. */
export async function freshDatabase(): Promise<pg.Pool> {
  await recreateDatabase(BENCH_DATABASE_URL);
  return new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 4 });
}

/** Creates the database when missing, empties it, and applies every migration. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  await ensureDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await client.end();
  await applyMigrations(databaseUrl, path.resolve('prisma/migrations'));
}

export type Child = { name: string; process: ChildProcess; firstLine: Promise<string>; peakRssMb(): number; cpuSeconds(): number; output(): string };

/** Starts a TypeScript entry point as its own process; its first stdout line is returned separately. */
export function startProcess(name: string, script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  if (process.env.BENCH_LOG_DIR) child.stdout!.pipe(createWriteStream(`${process.env.BENCH_LOG_DIR}/${name.replace(/\s/g, '-')}.log`));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before answering:\n${output}`)));
  });
  // Most children never print a first line; their exit must not become an unhandled rejection.
  firstLine.catch(() => undefined);
  lines.on('line', (line) => (output = (output + line + '\n').slice(-20_000)));
  let peak = 0;
  let cpu = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, vmHwmMb(child.pid));
    cpu = Math.max(cpu, cpuSecondsOf(child.pid));
  }, 500);
  child.once('exit', () => clearInterval(sample));
  return {
    name,
    process: child,
    firstLine,
    peakRssMb: () => Math.max(peak, vmHwmMb(child.pid)),
    cpuSeconds: () => Math.max(cpu, cpuSecondsOf(child.pid)),
    output: () => output,
  };
}

/** Peak resident set size of a live process, from the kernel (VmHWM). */
function vmHwmMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time a process has used so far (utime and stime of /proc/<pid>/stat). */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU used by the processes whose command line contains `pattern`, sampled until `stop()`: PostgreSQL
 * names the database in each backend's command line, so the bench's own backends can be told apart from
 * anyone else's work on the same server. A backend that ends between two samples loses its last 500 ms.
 */
export function trackCpuOf(pattern: string): { seconds(): number; stop(): void } {
  const lastSeen = new Map<number, number>();
  const sample = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(pattern)) lastSeen.set(Number(entry), cpuSecondsOf(Number(entry)));
      } catch {
        // the process ended meanwhile
      }
    }
  };
  sample();
  const initial = new Map(lastSeen);
  const timer = setInterval(sample, 500);
  return {
    seconds: () => [...lastSeen].reduce((sum, [pid, cpu]) => sum + cpu - (initial.get(pid) ?? 0), 0),
    stop: () => clearInterval(timer),
  };
}

export async function stop(children: Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          // A process killed by a signal has no exit code, only a signal code.
          if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
          c.process.once('exit', () => resolve());
          c.process.kill('SIGTERM');
          setTimeout(() => c.process.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} takes a number`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most arrivals within any window of `windowMs` (a sliding window over sorted times). */
export function busiestWindow(times: number[], windowMs = 1000): { count: number; startsAfterMs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, startsAfterMs: 0 };
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    if (end - start + 1 > best.count) best = { count: end - start + 1, startsAfterMs: sorted[start]! - sorted[0]! };
  }
  return best;
}

/** The Twilio-compatible server as a process of its own, with its URL once it listens. */
export async function startTwilioServer(accountSid: string, authToken: string, extraArgs: string[] = []): Promise<{ child: Child; url: string }> {
  const child = startProcess('twilio-server', 'test/twilio-server/main.ts', ['--port', '0', '--account-sid', accountSid, '--auth-token', authToken, '--callback-delay-ms', '50', '--callback-concurrency', '256', ...extraArgs], {}, [
    // It keeps every message (duplicates are looked for at the end): a million take several GB.
    '--max-old-space-size=16384',
    // Each request and callback leaves short-lived garbage; a larger young generation lets it die there
    // instead of being promoted (200,000 recipients: GC 7.6 -> 2.9 s, peak RSS 1,048 -> 653 MB).
    '--max-semi-space-size=64',
  ]);
  return { child, url: (JSON.parse(await child.firstLine) as { url: string }).url };
}

export type DeploymentSettings = { databaseUrl: string; redisUrl: string; port: number; adminKey: string; twilioUrl: string; accountSid: string; authToken: string; smsFrom: string; whatsappFrom: string };

/** The environment of an API or worker process that sends through the Twilio-compatible server. */
export function deploymentEnv(s: DeploymentSettings): Record<string, string> {
  return {
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    PORT: String(s.port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${s.port}`,
    CAMPANA_ADMIN_KEY: s.adminKey,
    TWILIO_ACCOUNT_SID: s.accountSid,
    TWILIO_AUTH_TOKEN: s.authToken,
    TWILIO_API_URL: s.twilioUrl,
    TWILIO_SMS_FROM: s.smsFrom,
    TWILIO_WHATSAPP_FROM: s.whatsappFrom,
  };
}
