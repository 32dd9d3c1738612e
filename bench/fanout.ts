/**
 * `npm run bench:fanout -- --recipients 1000000 [--workers 2] [--paced 500] [--faults 0.05] [--prepare-only]`
 *
 * One campaign step to N contacts, through the real processes: an API process, W worker processes and
 * a Twilio-compatible server in a process of its own (signed status callbacks included). Prints the
 * time to prepare the step (resolve + delivery rows + jobs), the sustained send rate, the rate at which
 * status callbacks are applied, each process's peak resident memory, and what the server received
 * (must equal the audience, without duplicates). `--paced R` sends everything through one SMS sender
 * paced at R segments/s and prints the busiest 1-second window and the achieved rate. `--faults F`
 * makes the server fail that share of creates; the figures then say how each unanswered send ended.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { freePort } from '../test/support/harness.js';
import { ACCOUNT_SID, argument, AUTH_TOKEN, BENCH_DATABASE_URL, BENCH_REDIS_URL, busiestWindow, deploymentEnv, startTwilioServer, trackCpuOf, freshDatabase, getJson, sleep, startProcess, stop, type Child } from './support.js';

const recipients = argument('recipients', 100_000);
const workers = argument('workers', 2);
const paced = argument('paced', 0);
// --faults 0.05: the server fails that share of creates (429, 500, timeouts) and loses a tenth of that
// share of answers after accepting; the figures then show how each ambiguous send was resolved.
const faults = argument('faults', 0);
// --prepare-only: stop once the step is fanned out; senders are paced at 1 message/s meanwhile, so that
// the figure is the fan-out's alone (what a million recipients cost without sending a million messages).
const prepareOnly = process.argv.includes('--prepare-only');

const pool = await freshDatabase();
const redis = new Redis(BENCH_REDIS_URL);
await redis.flushdb();
await redis.quit();
console.log(`contacts: writing ${recipients.toLocaleString('en')}...`);
// Half WhatsApp, half SMS; one in five speaks Guarani (unless paced: one SMS sender is what is measured).
await pool.query(
  `INSERT INTO contacts (phone, name, role, language, channel)
   SELECT '+5959' || lpad(i::text, 8, '0'), 'Familia ' || i, 'parent',
          CASE WHEN i % 5 = 0 THEN 'gn' ELSE 'es' END,
          CASE WHEN $2 OR i % 2 = 0 THEN 'sms' ELSE 'whatsapp' END::channel
   FROM generate_series(1, $1::int) i`,
  [recipients, paced > 0],
);
await pool.query('ANALYZE contacts');

const serverCpu = { 'postgres (the bench database’s backends)': trackCpuOf(new URL(BENCH_DATABASE_URL).pathname.slice(1)), 'redis-server (all)': trackCpuOf('redis-server') };
const children: Child[] = [];
let serverPriority = '';
try {
  const faultArgs = faults > 0 ? ['--fault-rate', String(faults), '--fault-kinds', '429,500,timeout', '--accept-then-fail', String(faults / 10)] : [];
  const twilio = await startTwilioServer(ACCOUNT_SID, AUTH_TOKEN, faultArgs);
  children.push(twilio.child);
  const twilioUrl = twilio.url;
  // Paced runs measure at the server, whose event loop stamps each arrival: the real Twilio does not wait
  // for one of our cores, so the stand-in should not either (a stamp delayed by a busy machine bunches
  // arrivals that left on time). Raising a priority needs root; without it the figure says so.
  if (paced) serverPriority = raisePriority(twilio.child.process.pid!);

  const port = await freePort();
  const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
  const rate = String(prepareOnly ? 1 : paced || 10_000);
  const env = {
    ...deploymentEnv({ databaseUrl: BENCH_DATABASE_URL, redisUrl: BENCH_REDIS_URL, port, adminKey, twilioUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsFrom: '+595210000098', whatsappFrom: '+595210000099' }),
    SMS_RATE_PER_SECOND: rate,
    WHATSAPP_RATE_PER_SECOND: rate,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // Tuning knobs pass through from the bench's own environment.
    ...Object.fromEntries(['SEND_CONCURRENCY', 'SEND_BATCH_SIZE', 'FANOUT_CHUNK', 'DATABASE_POOL_SIZE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
  };
  // BENCH_PROFILE=dir writes a CPU profile of the API and each worker there (open them in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const api = startProcess('api', 'src/main.ts', ['api'], env, profile);
  children.push(api);
  const workerMetricsPorts: number[] = [];
  for (let i = 1; i <= workers; i++) {
    workerMetricsPorts.push(await freePort());
    children.push(startProcess(`worker ${i}`, 'src/main.ts', ['worker'], { ...env, METRICS_PORT: String(workerMetricsPorts.at(-1)) }, profile));
  }
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); tries++) {
    if (tries > 120) throw new Error(`the API did not start:\n${api.output()}`);
    await sleep(250);
  }

  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}/v1/campaigns`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Benchmark',
      // Paced runs measure messages at the server, so their text is one GSM-7 segment (no accents).
      steps: [{ sendAt: new Date(Date.now() + 2000).toISOString(), content: paced ? { es: { body: 'Hola {{contact.name}}, los resultados ya estan disponibles.' } } : { es: { body: 'Hola {{contact.name}}, los resultados de la evaluación ya están disponibles.' }, gn: { body: "Maitei {{contact.name}}, oĩma resultado." } } }],
    }),
  }).then((r) => r.json() as Promise<{ id: number }>);
  // Four eyes: the campaign is approved by a second person, an approver.
  const approver = await fetch(`${base}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ name: 'Benchmark approver', role: 'approver' }) }).then((r) => r.json() as Promise<{ id: number }>);
  const { key: approverKey } = await fetch(`${base}/v1/api-keys`, { method: 'POST', headers, body: JSON.stringify({ userId: approver.id }) }).then((r) => r.json() as Promise<{ key: string }>);
  const approval = await fetch(`${base}/v1/campaigns/${created.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${approverKey}` } });
  if (!approval.ok) throw new Error(`approval failed: ${approval.status} ${await approval.text()}`);
  console.log(`campaign ${created.id} approved; sending to ${recipients.toLocaleString('en')} recipients with ${workers} worker process(es)`);

  if (prepareOnly) await reportPreparation();
  else await reportSending(twilioUrl, workerMetricsPorts);
} finally {
  Object.values(serverCpu).forEach((t) => t.stop());
  await stop(children);
  await pool.end();
}

type SendingTimes = { firstSend: number; allSent: number; allFinal: number; cpuAtFirstSend: Map<string, number> };

/** Watches the step until every delivery has its final status; CPU is counted from the first send. */
async function followSending(twilioUrl: string): Promise<SendingTimes> {
  const times: SendingTimes = { firstSend: 0, allSent: 0, allFinal: 0, cpuAtFirstSend: new Map() };
  let lastReport = Date.now();
  while (!times.allFinal) {
    await sleep(250);
    const counts = await getJson<{ messages: number; callbacksAcknowledged: number; callbacksPending: number }>(`${twilioUrl}/_control/counts`);
    const now = Date.now();
    if (!times.firstSend && counts.messages > 0) {
      times.firstSend = now;
      // Start-up (compiling TypeScript, connecting) is not part of the cost of a message.
      times.cpuAtFirstSend = new Map(cpuUsed());
    }
    // With faults some deliveries may give up: then "all sent" is when none waits any more.
    const noneWaiting = async () => (await pool.query<{ none: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM deliveries WHERE pending) AS none')).rows[0]!.none;
    if (!times.allSent && (counts.messages >= recipients || (faults > 0 && counts.messages > 0 && (await noneWaiting())))) times.allSent = now;
    // Counting final deliveries scans the table (a quarter of a second at a million rows, four times a
    // second, on the cores being measured): it waits until the server has no callback left to deliver.
    if (times.allSent && counts.callbacksPending === 0) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE status IN ('delivered', 'read', 'undelivered', 'failed')`);
      if (rows[0]!.n >= recipients) times.allFinal = Date.now();
    }
    if (now - lastReport > 10_000) {
      lastReport = now;
      console.log(`  ${counts.messages.toLocaleString('en')} sent, ${counts.callbacksAcknowledged.toLocaleString('en')} callbacks acknowledged`);
    }
  }
  return times;
}

async function reportSending(twilioUrl: string, workerMetricsPorts: number[]): Promise<void> {
  const times = await followSending(twilioUrl);
  // Before the stats below, which walk every stored message and stall the server themselves.
  const serverFigures = await twilioServerFigures(twilioUrl);
  const run = (await fannedOutRun())!;
  const stats = await getJson<{ messages: number; distinctTo: number; duplicates: number; callbacksAcknowledged: number }>(`${twilioUrl}/_control/stats`);
  const sendSeconds = (times.allSent - times.firstSend) / 1000;
  const endToEndSeconds = (times.allFinal - times.firstSend) / 1000;
  printFigures('bench:fanout', {
    ...preparationFigures(run),
    'sustained send rate to the provider': `${Math.round(recipients / sendSeconds).toLocaleString('en')} messages/s`,
    'end to end, all callbacks applied': `${endToEndSeconds.toFixed(1)} s = ${Math.round(recipients / endToEndSeconds).toLocaleString('en')} messages/s`,
    'status callbacks applied': `${stats.callbacksAcknowledged.toLocaleString('en')} = ${Math.round(stats.callbacksAcknowledged / endToEndSeconds).toLocaleString('en')} callbacks/s`,
    'messages the server received': stats.messages,
    'distinct recipients': stats.distinctTo,
    duplicates: stats.duplicates,
    'deliveries with a send left unanswered': await ambiguousSends(),
    ...peakMemory(),
    ...cpuFigures(times.cpuAtFirstSend),
    ...(paced ? await pacingFigures(twilioUrl, workerMetricsPorts) : {}),
    ...serverFigures,
  });
  if ((faults === 0 && stats.messages !== recipients) || stats.duplicates !== 0) process.exitCode = 1;
}

/** A send without an answer (timeout, reset) is ambiguous: its later history says how it was resolved. */
async function ambiguousSends(): Promise<string> {
  const { rows: [ambiguous] } = await pool.query<{ total: number; found: number; resent: number; failed: number }>(
    `WITH a AS (
       SELECT d.status, d.attempts,
              (SELECT max((e->>'attempt')::int) FROM jsonb_array_elements(d.attempt_log) e WHERE e->>'event' = 'no answer') AS unanswered
       FROM deliveries d WHERE d.attempt_log @> '[{"event": "no answer"}]')
     SELECT count(*)::int AS total,
            count(*) FILTER (WHERE attempts = unanswered AND status <> 'failed')::int AS found,
            count(*) FILTER (WHERE attempts > unanswered)::int AS resent,
            count(*) FILTER (WHERE attempts = unanswered AND status = 'failed')::int AS failed
     FROM a`,
  );
  return `${ambiguous!.total}: the provider had it ${ambiguous!.found}, sent again ${ambiguous!.resent}, failed after the last attempt ${ambiguous!.failed}`;
}

function cpuUsed(): Array<readonly [string, number]> {
  return [...children.map((c) => [c.name, c.cpuSeconds()] as const), ...Object.entries(serverCpu).map(([n, t]) => [n, t.seconds()] as const)];
}

/** CPU per message tells where the cost is, whatever else the machine is doing. */
function cpuFigures(atFirstSend: Map<string, number>): Record<string, string> {
  const figures: Record<string, string> = {};
  let totalCpu = 0;
  for (const [name, seconds] of cpuUsed()) {
    const used = seconds - (atFirstSend.get(name) ?? 0);
    totalCpu += used;
    figures[`CPU while sending: ${name}`] = `${used.toFixed(1)} s = ${((used * 1000) / recipients).toFixed(3)} ms/message`;
  }
  figures['CPU while sending: all of the above'] = `${((totalCpu * 1000) / recipients).toFixed(3)} ms/message (2 cores allow ${Math.round((2 * recipients) / totalCpu).toLocaleString('en')} messages/s)`;
  return figures;
}

/** The paced sender as the server saw it, and how late the workers launched each send after its slot. */
async function pacingFigures(twilioUrl: string, workerMetricsPorts: number[]): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  const arrivals = await getJson<Record<string, number[]>>(`${twilioUrl}/_control/arrivals`);
  for (const [sender, times] of Object.entries(arrivals)) {
    const busiest = busiestWindow(times);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    figures[`paced ${sender}: configured`] = `${paced}/s`;
    figures[`paced ${sender}: busiest 1-second window`] = `${busiest.count} (${((busiest.count / paced - 1) * 100).toFixed(1)} % over), from ${(busiest.startsAfterMs / 1000).toFixed(1)} s after the first message`;
    figures[`paced ${sender}: achieved rate`] = `${(times.length / seconds).toFixed(1)}/s (${((times.length / seconds / paced) * 100).toFixed(1)} % of the rate)`;
  }
  figures['twilio-server scheduling priority'] = serverPriority;
  const launches = await launchDelays(workerMetricsPorts);
  figures['sends launched after their slot, within'] = Object.entries(launches.within).map(([le, n]) => `${Number(le) * 1000} ms ${((n / launches.count) * 100).toFixed(1)} %`).join(', ');
  return figures;
}

/**
 * How often the stand-in for Twilio was itself the hold-up: its event loop stamps paced arrivals, and
 * sends and callbacks wait while it collects garbage.
 */
async function twilioServerFigures(twilioUrl: string): Promise<Record<string, string>> {
  const loop = await getJson<{ p50: number; p99: number; max: number; gc: { count: number; totalMs: number; maxMs: number } }>(`${twilioUrl}/_control/event-loop`);
  return {
    'twilio-server event-loop delay': `p50 ${loop.p50} ms, p99 ${loop.p99} ms, max ${loop.max} ms`,
    'twilio-server garbage collection': `${loop.gc.count} pauses, ${(loop.gc.totalMs / 1000).toFixed(2)} s in all, longest ${loop.gc.maxMs} ms`,
  };
}

function raisePriority(pid: number): string {
  try {
    os.setPriority(pid, -10);
    return 'nice -10 (the service and the databases at 0)';
  } catch (err) {
    return `unchanged, as the other processes (${(err as Error).message}): arrival stamps wait for a core as they do`;
  }
}

/** The workers' campana_pacing_launch_delay_seconds histograms, summed: how many sends went within each bound. */
async function launchDelays(ports: number[]): Promise<{ count: number; within: Record<string, number> }> {
  const within: Record<string, number> = {};
  let count = 0;
  for (const port of ports) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    for (const [, le, n] of text.matchAll(/^campana_pacing_launch_delay_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)$/gm)) {
      if (le === '+Inf') count += Number(n);
      else within[le!] = (within[le!] ?? 0) + Number(n);
    }
  }
  return { count, within };
}

type FannedOutRun = { prep_ms: number; targeted: number; deliveries: number };

/** The step's run once fanned out: how long preparing took, whom it targeted, how many rows it wrote. */
async function fannedOutRun(): Promise<FannedOutRun | undefined> {
  const { rows } = await pool.query<FannedOutRun>(
    `SELECT extract(epoch FROM (fanned_out_at - fired_at)) * 1000 AS prep_ms, targeted, (SELECT count(*)::int FROM deliveries) AS deliveries
     FROM step_runs WHERE fanned_out_at IS NOT NULL`,
  );
  return rows[0];
}

function preparationFigures(run: FannedOutRun): Record<string, string | number> {
  return {
    recipients,
    'worker processes': workers,
    'prepare the step (resolve + rows + jobs)': `${(run.prep_ms / 1000).toFixed(2)} s = ${Math.round(recipients / (run.prep_ms / 1000)).toLocaleString('en')} recipients/s`,
  };
}

function peakMemory(): Record<string, string> {
  return Object.fromEntries(children.map((child) => [`peak RSS ${child.name}`, `${Math.round(child.peakRssMb())} MB`]));
}

function printFigures(title: string, figures: Record<string, string | number>): void {
  console.log(`\n${title}`);
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(44)} ${value}`);
}

async function reportPreparation(): Promise<void> {
  let run: FannedOutRun | undefined;
  while (!(run = await fannedOutRun())) await sleep(100);
  printFigures('bench:fanout --prepare-only', { ...preparationFigures(run), 'recipients targeted': run.targeted, 'deliveries written': run.deliveries, ...peakMemory() });
  if (run.targeted !== recipients || run.deliveries !== recipients) process.exitCode = 1;
}
