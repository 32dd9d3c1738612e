/**
 * The Twilio-compatible server as a process of its own, so a benchmark measures our service and not
 * the fake sharing its event loop. Prints {"url": ...} as one JSON line once listening; /_control/ routes
 * on the same port give its figures (see control.ts).
 *
 *   node --import tsx test/twilio-server/main.ts --port 4010 --account-sid AC... --auth-token ... \
 *     [--duplicate-rate 0.1] [--shuffle] [--callback-delay-ms 10] [--callback-concurrency 32] [--no-callbacks] \
 *     [--fault-rate 0.2] [--fault-kinds 429,500,timeout,reset] [--accept-then-fail 0.01] [--latency-ms 5] \
 *     [--undelivered-rate 0.05] [--failed-rate 0.01]
 */
import { parseArgs } from 'node:util';
import { TwilioCompatibleServer, type FaultKind, type Outcome } from './server.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'account-sid': { type: 'string' },
    'auth-token': { type: 'string' },
    'no-callbacks': { type: 'boolean', default: false },
    'callback-delay-ms': { type: 'string' },
    'callback-concurrency': { type: 'string' },
    'duplicate-rate': { type: 'string' },
    shuffle: { type: 'boolean', default: false },
    'fault-rate': { type: 'string' },
    'fault-kinds': { type: 'string' },
    'accept-then-fail': { type: 'string' },
    'latency-ms': { type: 'string' },
    'undelivered-rate': { type: 'string' },
    'failed-rate': { type: 'string' },
  },
});

function number(name: keyof typeof args, min: number, max: number): number | undefined {
  const raw = args[name];
  if (raw === undefined || typeof raw !== 'string') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number from ${min} to ${max} (got ${raw})`);
    process.exit(2);
  }
  return value;
}

const kinds = args['fault-kinds']?.split(',').map((k) => k.trim()) as FaultKind[] | undefined;
if (kinds?.some((k) => !['429', '500', 'timeout', 'reset'].includes(k))) {
  console.error('--fault-kinds takes a comma-separated list of 429, 500, timeout, reset');
  process.exit(2);
}
const undeliveredRate = number('undelivered-rate', 0, 1) ?? 0;
const failedRate = number('failed-rate', 0, 1) ?? 0;

const server = new TwilioCompatibleServer({
  port: number('port', 0, 65535),
  host: args.host,
  accountSid: args['account-sid'],
  authToken: args['auth-token'],
  control: true,
  callbacks: {
    enabled: !args['no-callbacks'],
    delayMs: number('callback-delay-ms', 0, 600_000),
    concurrency: number('callback-concurrency', 1, 10_000),
    duplicateRate: number('duplicate-rate', 0, 1),
    shuffle: args.shuffle,
  },
  faults: { rate: number('fault-rate', 0, 1), kinds },
  acceptThenFail: number('accept-then-fail', 0, 1),
  latencyMs: number('latency-ms', 0, 600_000),
  outcome:
    undeliveredRate || failedRate
      ? (): Outcome => {
          const r = Math.random();
          return r < failedRate ? 'failed' : r < failedRate + undeliveredRate ? 'undelivered' : 'delivered';
        }
      : undefined,
});

const url = await server.start();
console.log(JSON.stringify({ url, accountSid: server.accountSid, pid: process.pid }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
