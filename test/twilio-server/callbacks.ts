/**
 * Status callbacks, delivered the way Twilio delivers them: form-encoded POSTs signed with
 * X-Twilio-Signature, retried when the webhook fails, and (on request) duplicated and out of order, which
 * Twilio does not promise against. One timer and one heap for all of them, so that thousands of messages
 * per second cost no timer each.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import type { StatusEvent, StoredMessage } from './store.js';

export type CallbackOptions = {
  /** Default true; false sends none (messages still change status). */
  enabled?: boolean;
  /** Pause before each callback of a message (after the previous one was answered). Default 10 ms. */
  delayMs?: number;
  /** 0..1: share of callbacks sent twice (each copy with its own idempotency token). */
  duplicateRate?: number;
  /** Deliver each message's callbacks in random order. */
  shuffle?: boolean;
  /** Callback requests in flight at once. Default 32. */
  concurrency?: number;
  /** Further attempts after a 5xx answer or a connection failure. Default 3. */
  retries?: number;
  /** First retry pause, doubled each attempt. Default 50 ms. */
  retryDelayMs?: number;
  /** Give up on an attempt not answered in time. Default 5,000 ms. */
  timeoutMs?: number;
};

export type CallbackStats = { callbacksSent: number; callbacksAcknowledged: number; callbacksFailed: number; callbacksRetried: number };

/** base64(HMAC-SHA1(auth token, URL + each parameter name and value, sorted by name)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

// A chain holds the message and the order of its events, not their parameters: a million messages whose
// callbacks wait their turn cost little memory, and the parameters are built when a callback is sent.
type Chain = { message: StoredMessage; url: string; events: readonly StatusEvent[]; next: number; generation: number };
/** `token` is given at the first attempt and kept for the retries. */
type Job = { chain: Chain; event: StatusEvent; token: string | null; attempt: number; dueAt: number; seq: number };

export class CallbackDispatcher {
  private readonly o: Required<CallbackOptions>;
  private readonly agent: Agent;
  private readonly heap: Job[] = [];
  private readonly targets = new Map<string, { origin: string; path: string }>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private active = 0;
  private pending = 0;
  private seq = 0;
  private generation = 0;
  private waiters: Array<() => void> = [];
  stats: CallbackStats = { callbacksSent: 0, callbacksAcknowledged: 0, callbacksFailed: 0, callbacksRetried: 0 };

  constructor(
    options: CallbackOptions,
    private readonly authToken: string,
  ) {
    this.o = {
      enabled: options.enabled ?? true,
      delayMs: options.delayMs ?? 10,
      duplicateRate: options.duplicateRate ?? 0,
      shuffle: options.shuffle ?? false,
      concurrency: options.concurrency ?? 32,
      retries: options.retries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 50,
      timeoutMs: options.timeoutMs ?? 5_000,
    };
    this.agent = new Agent({ connections: this.o.concurrency, keepAliveTimeout: 10_000 });
  }

  get delayMs(): number {
    return this.o.delayMs;
  }

  /** Schedules the callbacks of a message's timeline, if it asked for them. */
  schedule(message: StoredMessage): void {
    const url = message.params.StatusCallback as string | undefined;
    if (!this.o.enabled || !url || message.timeline.length === 0) return;
    let events: readonly StatusEvent[] = message.timeline;
    if (this.o.duplicateRate > 0 || this.o.shuffle) {
      const copy: StatusEvent[] = [];
      for (const event of message.timeline) {
        copy.push(event);
        if (this.o.duplicateRate > 0 && Math.random() < this.o.duplicateRate) copy.push(event);
      }
      if (this.o.shuffle) shuffle(copy);
      events = copy;
    }
    this.pending += events.length;
    this.enqueueNext({ message, url, events, next: 0, generation: this.generation });
  }

  get pendingCallbacks(): number {
    return this.pending;
  }

  /** Resolves once every scheduled callback was acknowledged or given up. */
  whenSettled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Forgets every callback not yet sent; those in flight finish uncounted. */
  reset(): void {
    this.generation++;
    this.heap.length = 0;
    this.pending = 0;
    this.stats = { callbacksSent: 0, callbacksAcknowledged: 0, callbacksFailed: 0, callbacksRetried: 0 };
    this.settleWaiters();
  }

  async close(): Promise<void> {
    this.reset();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.agent.close();
  }

  private enqueueNext(chain: Chain): void {
    const event = chain.events[chain.next++];
    if (!event) return;
    this.push({ chain, event, token: null, attempt: 0, dueAt: Date.now() + this.o.delayMs, seq: this.seq++ });
  }

  private pump(): void {
    const now = Date.now();
    while (this.active < this.o.concurrency && this.heap.length > 0 && this.heap[0]!.dueAt <= now) {
      void this.send(this.pop()!);
    }
    const head = this.heap[0];
    if (head && this.active < this.o.concurrency && head.dueAt < this.timerAt) {
      if (this.timer) clearTimeout(this.timer);
      this.timerAt = head.dueAt;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerAt = Infinity;
        this.pump();
      }, head.dueAt - now);
      this.timer.unref();
    }
  }

  private async send(job: Job): Promise<void> {
    this.active++;
    this.stats.callbacksSent++;
    const target = this.target(job.chain.url);
    const params = callbackParams(job.chain.message, job.event);
    job.token ??= randomUUID();
    let outcome: 'ok' | 'retry' | 'fail';
    try {
      const response = await this.agent.request({
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': twilioSignature(this.authToken, job.chain.url, params),
          // Same token on every retry of one callback, as Twilio does, so webhooks can tell retries apart.
          'i-twilio-idempotency-token': job.token,
        },
        body: new URLSearchParams(params).toString(),
        headersTimeout: this.o.timeoutMs,
        bodyTimeout: this.o.timeoutMs,
      });
      await response.body.dump();
      const status = response.statusCode;
      outcome = status >= 200 && status < 300 ? 'ok' : status >= 500 ? 'retry' : 'fail';
    } catch {
      outcome = 'retry';
    }
    this.active--;
    if (job.chain.generation === this.generation) this.finish(job, outcome);
    this.pump();
  }

  private finish(job: Job, outcome: 'ok' | 'retry' | 'fail'): void {
    if (outcome === 'retry' && job.attempt < this.o.retries) {
      this.stats.callbacksRetried++;
      job.attempt++;
      job.dueAt = Date.now() + this.o.retryDelayMs * 2 ** (job.attempt - 1);
      job.seq = this.seq++;
      this.push(job);
      return;
    }
    if (outcome === 'ok') this.stats.callbacksAcknowledged++;
    else this.stats.callbacksFailed++;
    this.pending--;
    this.enqueueNext(job.chain);
    if (this.pending === 0) this.settleWaiters();
  }

  private settleWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private target(url: string): { origin: string; path: string } {
    let target = this.targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  // A binary min-heap on (dueAt, seq): retries and chains come due in any order.
  private push(job: Job): void {
    const heap = this.heap;
    heap.push(job);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
    this.pump();
  }

  private pop(): Job | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Job, b: Job): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** The parameters Twilio posts to a message's StatusCallback. */
function callbackParams(message: StoredMessage, event: StatusEvent): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    From: message.senderAt(event) ?? '',
    MessageSid: message.sid,
    MessageStatus: event.status,
    SmsSid: message.sid,
    SmsStatus: event.status,
    To: message.to,
  };
  if (event.errorCode !== null) params.ErrorCode = String(event.errorCode);
  const service = message.params.MessagingServiceSid;
  if (typeof service === 'string') params.MessagingServiceSid = service;
  if (message.channel === 'whatsapp') {
    params.ChannelPrefix = 'whatsapp';
    params.ChannelToAddress = message.to.slice('whatsapp:'.length);
  }
  return params;
}
