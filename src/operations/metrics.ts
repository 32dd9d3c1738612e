/**
 * Prometheus metrics (prom-client), one registry per process. Each process counts what it does itself,
 * where it is exact and free: workers count sends, provider errors and send latency; the API counts
 * requests, webhooks, status callbacks and opt-out replies. Prometheus scrapes every process (the API on
 * PORT/metrics, worker processes on METRICS_PORT/metrics) and sums across them.
 *
 * What lives in shared stores (queue depth and age in Redis, import progress in PostgreSQL) is read at
 * scrape time by the API process only (`observeQueues`, `observeImports`), so it is reported once however
 * many workers run.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryStatus } from '../delivery/status.js';
import type { Channel } from '../providers/provider.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'campana_' });

/** What became of one message a worker handled: the provider accepted it, or not. */
export type SendStatus = 'accepted' | 'failed' | 'retry' | 'unknown' | 'skipped';

/** A counter whose labels are checked by the compiler. */
function counter<L extends Record<string, string>>(name: string, help: string, labelNames: Array<keyof L & string>) {
  const metric = new Counter({ name, help, labelNames, registers: [registry] });
  return { inc: (labels: L, by = 1) => metric.inc(labels, by) };
}

export const metrics = {
  /** Workers: once per message handed to the provider or skipped. */
  messagesSent: counter<{ channel: Channel; status: SendStatus }>('campana_messages_sent_total', 'Messages handled by workers, by channel and outcome', ['channel', 'status']),
  /** API: once per status callback applied. */
  messageStatus: counter<{ channel: Channel; status: DeliveryStatus }>('campana_message_status_callbacks_total', 'Status callbacks received from the provider, by channel and status', ['channel', 'status']),
  /** Workers: once per refused or failed provider call (code "network" when no answer came). */
  providerErrors: counter<{ code: string }>('campana_provider_errors_total', 'Provider errors by Twilio error code', ['code']),
  /** Workers: after each chunk, the slots it reserved and left unused (slots.ts). */
  unusedSlots: counter<{ channel: Channel }>('campana_pacing_unused_slots_total', 'Pacing slots (messages or segments) reserved but not used: sends more than 10 ms behind their slot (a busy worker), or claimed elsewhere', ['channel']),
  /** Workers: how long after its pacing slot each send was launched (never more than the 10 ms tolerance). */
  launchDelay: new Histogram({
    name: 'campana_pacing_launch_delay_seconds',
    help: 'Time from a send\'s pacing slot to its launch (a sender\'s busiest second holds at most this much more than its rate)',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01],
    registers: [registry],
  }),
  /** Workers: the duration of each provider call, in seconds. */
  sendLatency: new Histogram({
    name: 'campana_send_latency_seconds',
    help: 'Duration of provider send calls',
    labelNames: ['channel'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  /** Opt-outs by where they came from: a STOP reply (API), or the provider's 21610 (workers). */
  optOuts: counter<{ source: 'reply' | 'provider' }>('campana_opt_outs_total', 'Contacts opted out', ['source']),
  httpRequests: counter<{ method: string; route: string; status: string }>('campana_http_requests_total', 'HTTP requests by route and status (webhook rate: route=~"/webhooks/.*")', ['method', 'route', 'status']),
  httpDuration: new Histogram({
    name: 'campana_http_request_duration_seconds',
    help: 'HTTP request durations by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
};

/** A gauge read at scrape time; registering it again (another app in the same process) replaces it. */
export function scrapeGauge<L extends string>(name: string, help: string, labelNames: L[], collect: (gauge: Gauge<L>) => Promise<void>): void {
  registry.removeSingleMetric(name);
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      await collect(this);
    },
  });
}
