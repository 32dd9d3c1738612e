/**
 * `npm run bench:webhooks [-- --deliveries 200000 --connections 200 --seconds 60 --compare-seconds 10 --api-processes 1]`
 *
 * Twilio status callbacks per second through the real API process (signature check, group commit:
 * each callback is answered once committed), against N deliveries that exist with their SIDs, as after
 * a step was sent. A load generator in a process of its own (bench/webhook-load.ts) sends signed,
 * form-encoded callbacks as Twilio does, over many keep-alive connections: sent/delivered/read, some
 * undelivered, some out of order, some duplicated (bench/webhook-plan.ts). Afterwards the database must
 * reflect every acknowledged callback. In the same run, the same generator measures fastify's hello
 * world and fastify + signature check alone on the same machine, for comparison. `--api-processes N`
 * starts N API processes and spreads the connections over them, as a load balancer in front of several
 * would (one Node process uses one core).
 *
 * Database `campana_bench_webhooks` (BENCH_WEBHOOKS_DATABASE_URL) and Redis db 8
 * (BENCH_WEBHOOKS_REDIS_URL), apart from the other benchmarks. BENCH_PROFILE=dir writes a CPU profile of
 * the API process there; DATABASE_POOL_SIZE passes through to it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { advance, type DeliveryStatus } from '../src/delivery/status.js';
import { applyMigrations, ensureDatabase } from '../src/runtime/migrations.js';
import { freePort } from '../test/support/harness.js';
import { argument, AUTH_TOKEN, sleep, startProcess, stop, type Child } from './support.js';
import { ACCOUNT_SID, buildPlan, SMS_FROM, WHATSAPP_FROM } from './webhook-plan.js';

const DATABASE_URL = process.env.BENCH_WEBHOOKS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campana_bench_webhooks';
const REDIS_URL = process.env.BENCH_WEBHOOKS_REDIS_URL ?? 'redis://127.0.0.1:6379/8';
// Production-like: the public https URL of a proxy, without a port (Twilio's library then checks one
// URL form; a URL with a port makes it compute a second HMAC for every request that carries one).
const PUBLIC_BASE_URL = process.env.BENCH_PUBLIC_BASE_URL ?? 'https://campana.bench.example';
const DATABASE_NAME = new URL(DATABASE_URL).pathname.slice(1);

const deliveries = argument('deliveries', 200_000);
const connections = argument('connections', 200);
const warmup = argument('warmup', 2);
const seconds = argument('seconds', 120);
const compareSeconds = argument('compare-seconds', 10);
const apiProcesses = argument('api-processes', 1);
const firstId = 1;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-webhooks-'));
const children: Child[] = [];
const figures: Array<[string, string | number]> = [];
const note = (name: string, value: string | number) => figures.push([name, value]);
const fmt = (n: number) => Math.round(n).toLocaleString('en');

type LoadResults = {
  planned: number;
  sent: number;
  ok: number;
  notOk: number;
  noAnswer: number;
  statusCounts: Record<string, number>;
  windowSeconds: number;
  okInWindow: number;
  ratePerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  perSecond: number[];
  cpuSeconds: Record<string, number>;
  precomputeMs: number;
};

/** Runs the load generator to its end; `watch` names the processes whose CPU is measured in the window. */
async function load(name: string, loadArgs: string[], watch: string[]): Promise<{ results: LoadResults; acks: Buffer | null }> {
  const out = path.join(tmp, `${name}.json`);
  const generator = startProcess(`load generator (${name})`, 'bench/webhook-load.ts', [...loadArgs, '--connections', String(connections), '--warmup', String(warmup), '--out', out, ...watch.flatMap((w) => ['--watch', w])], {});
  const code = await new Promise<number | null>((resolve) => generator.process.once('exit', resolve));
  if (code !== 0) throw new Error(`the load generator failed (${code}):\n${generator.output()}`);
  const results = JSON.parse(readFileSync(out, 'utf8')) as LoadResults;
  let acks: Buffer | null = null;
  try {
    acks = readFileSync(`${out}.acks`);
  } catch {
    // hello world has none
  }
  return { results, acks };
}

async function startServer(kind: string, extra: string[] = []): Promise<{ child: Child; url: string }> {
  const child = startProcess(`fastify ${kind}`, 'bench/webhook-servers.ts', [kind, ...extra], {});
  children.push(child);
  const { url } = JSON.parse(await child.firstLine) as { url: string };
  return { child, url };
}

function describe(label: string, r: LoadResults, perCallbackOf: string[]): void {
  const window = r.perSecond.slice(Math.ceil(warmup), Math.max(Math.ceil(warmup) + 1, Math.floor(warmup + r.windowSeconds)));
  const sorted = [...window].sort((a, b) => a - b);
  note(`${label}: rate`, `${fmt(r.ratePerSecond)}/s (${fmt(r.okInWindow)} answered 2xx in ${r.windowSeconds.toFixed(1)} s after ${warmup} s of warm-up)`);
  if (sorted.length > 2) note(`${label}: 1-second buckets min / median / max`, `${fmt(sorted[0]!)} / ${fmt(sorted[Math.floor(sorted.length / 2)]!)} / ${fmt(sorted[sorted.length - 1]!)}`);
  note(`${label}: latency p50 / p90 / p99 / max`, `${r.latencyMs.p50.toFixed(2)} / ${r.latencyMs.p90.toFixed(2)} / ${r.latencyMs.p99.toFixed(2)} / ${r.latencyMs.max.toFixed(2)} ms`);
  const answers = Object.entries(r.statusCounts).map(([s, n]) => `${s}: ${fmt(n)}`).join(', ');
  note(`${label}: answers`, `${answers}${r.noAnswer ? `, no answer: ${fmt(r.noAnswer)}` : ''}`);
  let total = 0;
  for (const [name, cpu] of Object.entries(r.cpuSeconds)) {
    if (perCallbackOf.includes(name)) total += cpu;
    note(`${label}: CPU ${name}`, `${cpu.toFixed(2)} s = ${((cpu * 1e6) / r.okInWindow).toFixed(1)} µs/request (${((cpu / r.windowSeconds) * 100).toFixed(0)} % of a core)`);
  }
  if (perCallbackOf.length > 1) note(`${label}: CPU ${perCallbackOf.join(' + ')}`, `${((total * 1e6) / r.okInWindow).toFixed(1)} µs/request (2 cores allow ${fmt((2 * r.okInWindow) / total)}/s)`);
}

const adminPool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
try {
  // ---- The deliveries, as a sent step leaves them: accepted by Twilio, with their SIDs, status queued.
  let started = Date.now();
  await ensureDatabase(DATABASE_URL);
  await adminPool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await applyMigrations(DATABASE_URL, path.resolve('prisma/migrations'));
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  console.log(`writing ${deliveries.toLocaleString('en')} contacts and deliveries...`);
  await adminPool.query(
    `INSERT INTO contacts (id, phone, name, role, language, channel)
     SELECT i, '+5959' || lpad(i::text, 8, '0'), 'Familia ' || i, 'parent', 'es', CASE WHEN i % 2 = 0 THEN 'sms' ELSE 'whatsapp' END::channel
     FROM generate_series($1::int, $1::int + $2::int - 1) i`,
    [firstId, deliveries],
  );
  await adminPool.query(`SELECT setval(pg_get_serial_sequence('contacts', 'id'), $1)`, [firstId + deliveries]);
  const { rows: [campaign] } = await adminPool.query<{ id: number }>(
    `INSERT INTO campaigns (name, status, audience, schedule, approved_at) VALUES ('Webhook benchmark', 'running', '{"roles": ["parent"]}', '{"timezone": "America/Asuncion"}', now()) RETURNING id`,
  );
  const { rows: [step] } = await adminPool.query<{ id: number }>(
    `INSERT INTO campaign_steps (campaign_id, position, send_at, content, status) VALUES ($1, 1, now(), '{"es": {"body": "Hola {{contact.name}}"}}', 'sending') RETURNING id`,
    [campaign!.id],
  );
  const { rows: [run] } = await adminPool.query<{ id: number }>(
    `INSERT INTO step_runs (step_id, campaign_id, due_at, status, targeted, fired_at, fanned_out_at) VALUES ($1, $2, now(), 'sending', $3, now(), now()) RETURNING id`,
    [step!.id, campaign!.id, deliveries],
  );
  await adminPool.query(
    `INSERT INTO deliveries (id, campaign_id, step_id, run_id, contact_id, channel, language, status, pending, sender, provider_sid, body, segments,
                             attempts, attempted_at, accepted_at, attempt_log)
     SELECT c.id, $1, $2, $3, c.id, c.channel, c.language, 'queued', false,
            CASE c.channel WHEN 'sms' THEN $4 ELSE $5 END, 'SM' || md5(c.id::text),
            'Hola ' || c.name || ', los resultados de la evaluación de tu escuela ya están disponibles.', 1,
            1, now(), now(), jsonb_build_array(jsonb_build_object('event', 'accepted', 'at', now(), 'attempt', 1, 'sid', 'SM' || md5(c.id::text)))
     FROM contacts c ORDER BY c.id`,
    [campaign!.id, step!.id, run!.id, SMS_FROM, WHATSAPP_FROM],
  );
  await adminPool.query(`SELECT setval(pg_get_serial_sequence('deliveries', 'id'), $1)`, [firstId + deliveries]);
  // Settled rows, as a table that has been around: hint bits set, statistics known, nothing to flush.
  await adminPool.query('VACUUM ANALYZE contacts');
  await adminPool.query('VACUUM ANALYZE deliveries');
  await adminPool.query('CHECKPOINT');
  note('deliveries (SMS : WhatsApp 1 : 1)', `${fmt(deliveries)}, written in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // ---- The API, as in production: N processes sharing the database, each on a port of its own.
  const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
  const env = (port: number): Record<string, string> => ({
    DATABASE_URL,
    REDIS_URL,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL,
    CAMPANA_ADMIN_KEY: adminKey,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_FROM,
    TWILIO_WHATSAPP_FROM: WHATSAPP_FROM.slice('whatsapp:'.length),
    // Never called by the webhooks; pointed nowhere so that nothing can reach Twilio.
    TWILIO_API_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ...Object.fromEntries(['DATABASE_POOL_SIZE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
  });
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const apis: Array<{ child: Child; base: string }> = [];
  // One after the other: each installs the admin key at start.
  for (let i = 1; i <= apiProcesses; i++) {
    const port = await freePort();
    const child = startProcess(apiProcesses > 1 ? `api ${i}` : 'api', 'src/main.ts', ['api'], env(port), profile);
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); tries++) {
      if (tries > 120) throw new Error(`the API did not start:\n${child.output()}`);
      await sleep(250);
    }
    apis.push({ child, base });
  }

  const stats = async () =>
    (
      await adminPool.query<{ commits: string; updates: string; hot: string }>(
        `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
                n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'deliveries'`,
      )
    ).rows[0]!;
  const before = await stats();
  console.log(`${apiProcesses} API process(es) on ${apis.map((a) => a.base).join(', ')} (PUBLIC_BASE_URL ${PUBLIC_BASE_URL}); sending status callbacks over ${connections} connections...`);
  // PostgreSQL names the database in each backend's command line; the WAL writer serves every database.
  const postgresWatch = [`postgres=~${DATABASE_NAME}`, 'postgres wal writer (whole server)=~walwriter'];
  const apiRun = await load('api', [...apis.flatMap((a) => ['--url', a.base]), '--kind', 'status', '--first-id', String(firstId), '--deliveries', String(deliveries), '--public-base-url', PUBLIC_BASE_URL, '--auth-token', AUTH_TOKEN, '--seconds', String(seconds)], [...apis.map((a) => `api=${a.child.process.pid}`), ...postgresWatch]);
  // pg_stat counters arrive with a small delay.
  await sleep(1000);
  const after = await stats();

  // ---- Durability: what every acknowledged callback says must be in the database, right now (the API
  // is still running: an answer is given only after the commit, so nothing may be missing).
  const plan = buildPlan({ firstId, deliveries });
  const acks = apiRun.acks!;
  const expected: Array<DeliveryStatus> = Array.from({ length: deliveries }, () => 'queued');
  const flags = new Uint8Array(deliveries); // 1 sent, 2 delivered, 4 read, 8 failed, 16 uncertain (a callback not answered 2xx)
  const errorCodes: Array<number | null> = Array.from({ length: deliveries }, () => null);
  let duplicatesAcked = 0;
  let outcomes = { acked: 0, refused: 0, unanswered: 0, unsent: 0 };
  plan.forEach((c, i) => {
    const k = c.deliveryId - firstId;
    const ack = acks[i];
    if (ack === 0) return void outcomes.unsent++;
    if (ack !== 1) {
      flags[k]! |= 16;
      return void (ack === 2 ? outcomes.refused++ : outcomes.unanswered++);
    }
    outcomes.acked++;
    if (c.duplicate) duplicatesAcked++;
    const was = expected[k]!;
    expected[k] = advance(was, c.status);
    if (['sent', 'delivered', 'read'].includes(c.status)) flags[k]! |= 1;
    if (['delivered', 'read'].includes(c.status)) flags[k]! |= 2;
    if (c.status === 'read') flags[k]! |= 4;
    if (c.status === 'undelivered') {
      if (expected[k] !== was) flags[k]! |= 8;
      errorCodes[k] = c.errorCode ?? null;
    }
  });
  const ids = Array.from({ length: deliveries }, (_, k) => firstId + k);
  const { rows: [check] } = await adminPool.query<{ exact: number; at_least: number; wrong: number; uncertain: number; touched: number }>(
    `WITH e AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[]) AS e(id, status, flags, error_code)
     ), rank AS (
       SELECT s, r FROM unnest(ARRAY['queued','sending','sent','delivered','undelivered','failed','read'], ARRAY[0,1,2,3,3,3,4]) AS x(s, r)
     ), cmp AS (
       SELECT e.flags & 16 <> 0 AS uncertain,
              d.status::text = e.status
                AND (d.sent_at IS NOT NULL) = (e.flags & 1 <> 0) AND (d.delivered_at IS NOT NULL) = (e.flags & 2 <> 0)
                AND (d.read_at IS NOT NULL) = (e.flags & 4 <> 0) AND (d.failed_at IS NOT NULL) = (e.flags & 8 <> 0)
                AND d.error_code IS NOT DISTINCT FROM e.error_code AS exact,
              (SELECT r FROM rank WHERE s = d.status::text) >= (SELECT r FROM rank WHERE s = e.status)
                AND (e.flags & 1 = 0 OR d.sent_at IS NOT NULL) AND (e.flags & 2 = 0 OR d.delivered_at IS NOT NULL)
                AND (e.flags & 4 = 0 OR d.read_at IS NOT NULL) AS at_least,
              e.status <> 'queued' AS touched
       FROM e JOIN deliveries d ON d.id = e.id
     )
     SELECT count(*) FILTER (WHERE NOT uncertain AND exact)::int AS exact,
            count(*) FILTER (WHERE uncertain AND at_least)::int AS at_least,
            count(*) FILTER (WHERE (NOT uncertain AND NOT exact) OR (uncertain AND NOT at_least))::int AS wrong,
            count(*) FILTER (WHERE uncertain)::int AS uncertain,
            count(*) FILTER (WHERE touched)::int AS touched
     FROM cmp`,
    [ids, expected, Array.from(flags), errorCodes],
  );
  const { rows: [pending] } = await adminPool.query<{ n: number }>('SELECT count(*)::int AS n FROM pending_status_callbacks');
  const apiPeakRssMb = apis.map((a) => Math.round(a.child.peakRssMb()));
  await stop(apis.map((a) => a.child));
  for (const { child } of apis) children.splice(children.indexOf(child), 1);

  const r = apiRun.results;
  note('callbacks planned / sent', `${fmt(r.planned)} / ${fmt(r.sent)} (${fmt(duplicatesAcked)} acknowledged duplicates)`);
  describe('API', r, ['api', 'postgres']);
  const commits = Number(after.commits) - Number(before.commits);
  const updates = Number(after.updates) - Number(before.updates);
  note('API: transactions committed (whole run)', `${fmt(commits)} = ${(outcomes.acked / commits).toFixed(1)} callbacks per transaction`);
  note('API: rows updated / of them HOT', `${fmt(updates)} / ${fmt(Number(after.hot) - Number(before.hot))} (${((100 * (Number(after.hot) - Number(before.hot))) / Math.max(1, updates)).toFixed(0)} %)`);
  note('API: peak RSS', `${apiPeakRssMb.join(' / ')} MB`);
  note(
    'durability: deliveries checked',
    `${fmt(deliveries)}: ${fmt(check!.exact)} exactly as the acknowledged callbacks say, ${fmt(check!.at_least)} of ${fmt(check!.uncertain)} with an unanswered callback at least so far, ${fmt(check!.wrong)} wrong`,
  );
  note('durability: callbacks acknowledged / refused / unanswered / unsent', `${fmt(outcomes.acked)} / ${fmt(outcomes.refused)} / ${fmt(outcomes.unanswered)} / ${fmt(outcomes.unsent)}; pending_status_callbacks rows: ${pending!.n}`);

  // ---- The same machine, the same generator: fastify alone, and fastify + signature check alone.
  console.log(`fastify hello world, ${compareSeconds} s...`);
  const hello = await startServer('hello');
  const helloRun = await load('hello', ['--url', hello.url, '--kind', 'hello', '--cycle', '--seconds', String(compareSeconds)], [`server=${hello.child.process.pid}`]);
  await stop([hello.child]);
  describe('fastify hello world (GET /)', helloRun.results, []);

  console.log(`fastify + signature check, ${compareSeconds} s...`);
  const signature = await startServer('signature', ['--auth-token', AUTH_TOKEN, '--public-base-url', PUBLIC_BASE_URL]);
  const signatureRun = await load('signature', ['--url', signature.url, '--kind', 'status', '--cycle', '--first-id', String(firstId), '--deliveries', String(Math.min(deliveries, 50_000)), '--public-base-url', PUBLIC_BASE_URL, '--auth-token', AUTH_TOKEN, '--seconds', String(compareSeconds)], [`server=${signature.child.process.pid}`]);
  await stop([signature.child]);
  describe('fastify + formbody + signature check, no database', signatureRun.results, []);

  console.log(`\nbench:webhooks (${os.cpus().length} cores, Node ${process.version}, ${apiProcesses} API process(es), ${connections} keep-alive connections, one generator process)`);
  for (const [name, value] of figures) console.log(`  ${name.padEnd(62)} ${value}`);
  const goal = r.ratePerSecond >= 10_000;
  console.log(`  ${'goal ≥ 10,000 callbacks/s'.padEnd(62)} ${goal ? 'met' : 'NOT met'}`);
  if (check!.wrong > 0 || outcomes.refused > 0) process.exitCode = 1;
} finally {
  await stop(children);
  await adminPool.end();
  rmSync(tmp, { recursive: true, force: true });
}
