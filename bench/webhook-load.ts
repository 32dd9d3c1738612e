/**
 * The load generator of bench:webhooks, a process of its own: many keep-alive connections, each with
 * one request in flight at a time (as Twilio's callback senders do), over plain sockets with every
 * request serialised and signed before the clock starts, so that a request costs the generator a
 * socket write and a few bytes of parsing (an HTTP client library costs several times that, and on two
 * cores that is CPU taken from the server being measured).
 *
 *   --url http://127.0.0.1:PORT     where to send; repeated: connections are spread over them, as a load
 *                                   balancer spreads Twilio's over several API processes
 *   --kind status|hello             signed status callbacks (the plan of webhook-plan.ts) or GET /
 *   --first-id N --deliveries N     the plan (status)
 *   --public-base-url URL --auth-token T   what the signatures are computed over (status)
 *   --connections N --warmup S --seconds S   S: measured window (the plan may end it sooner)
 *   --cycle                         repeat the plan until the time is up (servers that write nothing)
 *   --watch name=PID | name=~text   report the CPU these processes used in the measured window
 *   --out FILE                      results (JSON); FILE.acks: one byte per planned callback
 *                                   (0 not sent, 1 answered 2xx, 2 answered otherwise, 3 no answer)
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { twilioSignature } from '../test/twilio-server/callbacks.js';
import { buildPlan, callbackParams } from './webhook-plan.js';

const args = process.argv.slice(2);
const option = (name: string, fallback?: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i !== -1) return args[i + 1]!;
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
};
const watches = args.flatMap((a, i) => (args[i - 1] === '--watch' ? [a] : []));

const targets = args.flatMap((a, i) => (args[i - 1] === '--url' ? [new URL(a)] : []));
if (targets.length === 0) throw new Error('--url is required');
const target = targets[0]!;
const kind = option('kind', 'status');
const connections = Number(option('connections', '200'));
const warmupMs = Number(option('warmup', '2')) * 1000;
const windowMs = Number(option('seconds', '20')) * 1000;
const cycle = args.includes('--cycle');
const out = option('out');

// ---- Every request, serialised before the clock starts.
const t0 = performance.now();
let requests: Buffer;
let offsets: Uint32Array;
if (kind === 'hello') {
  requests = Buffer.from(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n`);
  offsets = Uint32Array.of(0, requests.length);
} else {
  const publicBaseUrl = option('public-base-url');
  const authToken = option('auth-token');
  const host = new URL(publicBaseUrl).host;
  const plan = buildPlan({ firstId: Number(option('first-id')), deliveries: Number(option('deliveries')) });
  const parts: Buffer[] = [];
  offsets = new Uint32Array(plan.length + 1);
  let at = 0;
  plan.forEach((callback, i) => {
    const path = `/webhooks/twilio/status?d=${callback.deliveryId}`;
    const params = callbackParams(callback);
    const body = new URLSearchParams(params).toString();
    const request = Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: TwilioProxy/1.1\r\nAccept: */*\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: ${twilioSignature(authToken, publicBaseUrl + path, params)}\r\n` +
        `I-Twilio-Idempotency-Token: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    parts.push(request);
    offsets[i] = at;
    at += request.length;
  });
  offsets[plan.length] = at;
  requests = Buffer.concat(parts, at);
}
const planned = offsets.length - 1;
const precomputeMs = performance.now() - t0;

// ---- CPU of the watched processes (the server, PostgreSQL's backends), read from /proc.
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
function snapshot(): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  // Not this process: its own command line holds the patterns.
  const all = readdirSync('/proc').filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid);
  for (const watch of watches) {
    const [name, what] = [watch.slice(0, watch.indexOf('=')), watch.slice(watch.indexOf('=') + 1)];
    // The same name given twice (several API processes) adds their CPU up.
    const pids = result.get(name) ?? new Map<number, number>();
    if (what.startsWith('~')) {
      for (const entry of all) {
        try {
          if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(what.slice(1))) pids.set(Number(entry), cpuOf(Number(entry)));
        } catch {
          // ended meanwhile
        }
      }
    } else pids.set(Number(what), cpuOf(Number(what)));
    result.set(name, pids);
  }
  return result;
}
function cpuBetween(a: Map<string, Map<number, number>>, b: Map<string, Map<number, number>>): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [name, after] of b) {
    const before = a.get(name) ?? new Map<number, number>();
    // A process that started in the window counts whole; one that ended in it is missed.
    used[name] = [...after].reduce((sum, [pid, cpu]) => sum + (Number.isFinite(cpu) ? cpu - (before.get(pid) ?? 0) : 0), 0);
  }
  return used;
}

// ---- The run.
const acks = new Uint8Array(kind === 'hello' ? 0 : planned);
const BUCKET_US = 10;
const histogram = new Uint32Array(1_000_000); // 10 µs buckets up to 10 s
const perSecond: number[] = [];
let next = 0;
let sentTotal = 0;
let okTotal = 0;
let okInWindow = 0;
let notOk = 0;
let noAnswer = 0;
let connectionErrors = 0;
const statusCounts: Record<string, number> = {};
let startAt = 0;
let windowStart = 0;
let windowEnd = 0;
let stopIssuing = false;
let cpuAtWindowStart: Map<string, Map<number, number>> | undefined;
let ownCpuAtWindowStart: NodeJS.CpuUsage | undefined;

const CRLFCRLF = Buffer.from('\r\n\r\n');

function nextIndex(): number {
  if (stopIssuing) return -1;
  if (next >= planned) {
    if (!cycle) return -1;
    next = 0;
  }
  return next++;
}

class Connection {
  private socket!: net.Socket;
  private pending: Buffer | null = null;
  private current = -1;
  private sentAt = 0;
  private countedInWindow = false;

  constructor(
    private readonly to: URL,
    private readonly done: () => void,
  ) {
    this.open();
  }

  private open(): void {
    this.socket = net.connect({ host: this.to.hostname, port: Number(this.to.port), noDelay: true });
    this.socket.on('connect', () => this.send());
    this.socket.on('data', (data) => this.receive(data));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.closed());
  }

  private send(): void {
    const index = nextIndex();
    if (index === -1) {
      this.current = -1;
      this.socket.end();
      return;
    }
    this.current = index;
    this.sentAt = performance.now();
    this.countedInWindow = windowStart > 0 && this.sentAt >= windowStart;
    sentTotal++;
    this.socket.write(requests.subarray(offsets[index]!, offsets[index + 1]!));
  }

  private receive(data: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, data]) : data;
    const headerEnd = buffer.indexOf(CRLFCRLF);
    if (headerEnd === -1) return void (this.pending = buffer);
    const head = buffer.toString('latin1', 0, headerEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    if (length) end = headerEnd + 4 + Number(length[1]);
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const last = buffer.indexOf('0\r\n\r\n', headerEnd + 4);
      end = last === -1 ? Infinity : last + 5;
    } else end = headerEnd + 4;
    if (buffer.length < end) return void (this.pending = buffer);
    this.pending = null;
    const status = Number(head.slice(9, 12));
    this.answered(status);
    if (/\r\nconnection:\s*close/i.test(head)) this.socket.destroy();
    else this.send();
  }

  private answered(status: number): void {
    const now = performance.now();
    const ok = status >= 200 && status < 300;
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (acks.length) acks[this.current] = Math.max(acks[this.current]!, ok ? 1 : 2);
    if (ok) {
      okTotal++;
      const second = Math.floor((now - startAt) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
      if (this.countedInWindow) {
        okInWindow++;
        histogram[Math.min(histogram.length - 1, Math.floor(((now - this.sentAt) * 1000) / BUCKET_US))]!++;
      }
    } else notOk++;
    windowEnd = Math.max(windowEnd, now);
    this.current = -1;
  }

  private closed(): void {
    if (this.current !== -1) {
      // Sent, never answered: it may or may not have been applied.
      noAnswer++;
      if (acks.length && acks[this.current] === 0) acks[this.current] = 3;
      this.current = -1;
      this.pending = null;
      if (!stopIssuing) {
        connectionErrors++;
        return this.open();
      }
    }
    this.done();
  }
}

startAt = performance.now();
const finished = new Promise<void>((resolve) => {
  let open = connections;
  for (let i = 0; i < connections; i++) new Connection(targets[i % targets.length]!, () => --open === 0 && resolve());
});
const warmup = setTimeout(() => {
  windowStart = performance.now();
  cpuAtWindowStart = snapshot();
  ownCpuAtWindowStart = process.cpuUsage();
}, warmupMs);
const deadline = setTimeout(() => (stopIssuing = true), warmupMs + windowMs);
await finished;
clearTimeout(warmup);
clearTimeout(deadline);
if (!windowStart) throw new Error('the run ended before the warm-up did: use more deliveries or a shorter --warmup');
const cpuAtEnd = snapshot();
const ownCpu = process.cpuUsage(ownCpuAtWindowStart);

function percentile(p: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= total * p) return ((i + 1) * BUCKET_US) / 1000;
  }
  return NaN;
}

const windowSeconds = (windowEnd - windowStart) / 1000;
const results = {
  kind,
  connections,
  planned,
  precomputeMs: Math.round(precomputeMs),
  sent: sentTotal,
  ok: okTotal,
  notOk,
  noAnswer,
  connectionErrors,
  statusCounts,
  windowSeconds,
  okInWindow,
  ratePerSecond: okInWindow / windowSeconds,
  latencyMs: { p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: percentile(1) },
  perSecond,
  cpuSeconds: { ...cpuBetween(cpuAtWindowStart!, cpuAtEnd), 'load generator': (ownCpu.user + ownCpu.system) / 1e6 },
};
writeFileSync(out, JSON.stringify(results));
if (acks.length) writeFileSync(`${out}.acks`, acks);
process.exit(0);
