/**
 * A Twilio-compatible server for tests and benchmarks: the Messages create, list and fetch operations of
 * Twilio's 2010 API, checked against Twilio's own OpenAPI description (messages-api.json), with signed
 * status callbacks and injectable faults. Plain node:http and per-request work kept small, because
 * benchmarks push thousands of creates per second through it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CallbackDispatcher, type CallbackOptions } from './callbacks.js';
import { handleControl } from './control.js';
import { pageOf } from './paging.js';
import { listQuery, MessageStore, newMessageSid, StoredMessage, type StatusEvent } from './store.js';
import { isError, isValidSid, twilioError, validateCreate, validateListQuery, type Params, type TwilioError } from './validation.js';

export type { CallbackOptions } from './callbacks.js';
export { twilioSignature } from './callbacks.js';
export type { Params, TwilioError } from './validation.js';
export type { StoredMessage } from './store.js';

/** What becomes of a message: its final status, or a refusal of the create request itself. */
export type Outcome =
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | { createError: { status: number; code: number; message: string } }
  /** 30xxx codes end `undelivered` after `sent`, others `failed`, unless `status` says otherwise. */
  | { finalErrorCode: number; status?: 'undelivered' | 'failed' };

export type FaultKind = '429' | '500' | 'timeout' | 'reset';

export type TwilioServerOptions = {
  accountSid?: string;
  authToken?: string;
  /** 0 (default): an ephemeral port. */
  port?: number;
  host?: string;
  callbacks?: CallbackOptions;
  /** Create requests that fail without creating anything: 429 (20429), 500, no answer, or a reset socket. */
  faults?: { rate?: number; kinds?: FaultKind[]; hangMs?: number };
  /** 0..1: share of creates stored (and later called back) whose answer is lost to a destroyed socket. */
  acceptThenFail?: number;
  outcome?: (params: Params) => Outcome;
  /** Added before every API answer. */
  latencyMs?: number;
  /** The number a Messaging Service "picks" when a message names no From. */
  serviceSender?: string;
  /** Serve /_control/ routes (stats, reset, messages) for out-of-process benchmarks. */
  control?: boolean;
};

export type ServerStats = {
  created: number;
  rejected: number;
  faults: number;
  /** Created, but the answer was lost (acceptThenFail). */
  lostAnswers: number;
  callbacksSent: number;
  callbacksAcknowledged: number;
  callbacksFailed: number;
  callbacksRetried: number;
  /** Scheduled and neither acknowledged nor given up yet. */
  callbacksPending: number;
};

export type Duplicate = { to: string; key: string; count: number; sids: string[] };

const MESSAGES_ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/;
const MAX_BODY = 1 << 20;

export class TwilioCompatibleServer {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly options: TwilioServerOptions;
  private readonly server: Server;
  private readonly store = new MessageStore();
  private readonly callbacks: CallbackDispatcher;
  private readonly basicAuth: string;
  private readonly hanging = new Set<Socket>();
  private counts = { created: 0, rejected: 0, faults: 0, lostAnswers: 0 };
  private baseUrl: string | null = null;

  constructor(options: TwilioServerOptions = {}) {
    this.options = options;
    this.accountSid = options.accountSid ?? 'AC00000000000000000000000000000000';
    this.authToken = options.authToken ?? 'test-auth-token-0000';
    this.basicAuth = 'Basic ' + Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64');
    this.callbacks = new CallbackDispatcher(options.callbacks ?? {}, this.authToken);
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.handle(req, res));
  }

  /** Listens and returns the base URL (http://127.0.0.1:port) to give the client as TWILIO_API_URL. */
  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this.baseUrl;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('server not started');
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const socket of this.hanging) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.callbacks.close();
  }

  /** Every stored message, in arrival order, with its parameters and `receivedAt`. */
  get messages(): readonly StoredMessage[] {
    return this.store.all;
  }

  message(sid: string): StoredMessage | undefined {
    return this.store.get(sid);
  }

  countByTo(): Map<string, number> {
    return new Map([...this.store.byRecipient()].map(([to, list]) => [to, list.length]));
  }

  /** Messages sent more than once to one recipient: same Body, or same ContentSid and ContentVariables. */
  duplicates(): Duplicate[] {
    const groups = new Map<string, StoredMessage[]>();
    for (const m of this.store.all) {
      const p = m.params;
      const content = p.ContentSid ? `content:${p.ContentSid}:${p.ContentVariables ?? ''}` : `body:${p.Body ?? ''}`;
      const key = `${m.to}\n${content}`;
      const group = groups.get(key);
      if (group) group.push(m);
      else groups.set(key, [m]);
    }
    return [...groups]
      .filter(([, group]) => group.length > 1)
      .map(([key, group]) => ({ to: group[0]!.to, key: key.slice(key.indexOf('\n') + 1), count: group.length, sids: group.map((m) => m.sid) }));
  }

  stats(): ServerStats {
    return { ...this.counts, ...this.callbacks.stats, callbacksPending: this.callbacks.pendingCallbacks };
  }

  whenCallbacksSettled(): Promise<void> {
    return this.callbacks.whenSettled();
  }

  /** Forgets messages, figures and callbacks not yet sent. */
  reset(): void {
    this.store.clear();
    this.counts = { created: 0, rejected: 0, faults: 0, lostAnswers: 0 };
    this.callbacks.reset();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const query = q === -1 ? '' : target.slice(q + 1);
    if (this.options.control && path.startsWith('/_control/')) {
      handleControl(this, req, res, path, query);
      return;
    }
    const route = MESSAGES_ROUTE.exec(path);
    if (!route) return this.fail(res, twilioError(404, 20404, `The requested resource ${path} was not found`));
    if (!this.authorized(req.headers.authorization)) {
      return this.fail(res, twilioError(401, 20003, 'Authenticate'), { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    const [, account, sid] = route;
    if (account !== this.accountSid) return this.fail(res, twilioError(404, 20404, `The requested resource ${path} was not found`));
    if (req.method === 'POST' && sid === undefined) return this.create(req, res);
    if (req.method === 'GET' && sid === undefined) return this.list(res, path, query);
    if (req.method === 'GET' && sid !== undefined) return this.fetch(res, path, sid);
    this.fail(res, twilioError(405, 20004, 'Method not allowed'));
  }

  private authorized(header: string | undefined): boolean {
    if (header === this.basicAuth) return true;
    // Twilio accepts any spelling of the scheme; anything else is a wrong account or token.
    const match = header && /^basic\s+(.+)$/i.exec(header);
    return !!match && Buffer.from(match[1]!, 'base64').toString() === `${this.accountSid}:${this.authToken}`;
  }

  private create(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      const receivedAt = Date.now();
      const faults = this.options.faults;
      if (faults?.rate && Math.random() < faults.rate) return this.fault(req, res, faults.kinds ?? ['429', '500', 'timeout', 'reset']);
      const params = validateCreate(body);
      if (isError(params)) return this.reject(res, params);
      const outcome = this.options.outcome?.(params) ?? 'delivered';
      if (typeof outcome === 'object' && 'createError' in outcome) {
        const e = outcome.createError;
        return this.reject(res, twilioError(e.status, e.code, e.message));
      }
      const message = new StoredMessage(newMessageSid(), this.accountSid, params, receivedAt, [], this.options.serviceSender ?? '+15005550006');
      message.timeline.push(...timeline(message, outcome, receivedAt, this.callbacks.delayMs));
      this.store.add(message);
      this.counts.created++;
      this.callbacks.schedule(message);
      if (this.options.acceptThenFail && Math.random() < this.options.acceptThenFail) {
        this.counts.lostAnswers++;
        req.socket.destroy();
        return;
      }
      this.send(res, 201, JSON.stringify(message.toResource(receivedAt)));
    });
  }

  private list(res: ServerResponse, path: string, query: string): void {
    const params = validateListQuery(query);
    if (isError(params)) return this.fail(res, params);
    const now = Date.now();
    this.send(res, 200, JSON.stringify(pageOf(path, params, this.store.find(listQuery(params)), now)));
  }

  private fetch(res: ServerResponse, path: string, sid: string): void {
    const message = isValidSid(sid) ? this.store.get(sid) : undefined;
    if (!message) return this.fail(res, twilioError(404, 20404, `The requested resource ${path} was not found`));
    this.send(res, 200, JSON.stringify(message.toResource()));
  }

  private fault(req: IncomingMessage, res: ServerResponse, kinds: FaultKind[]): void {
    this.counts.faults++;
    const kind = kinds[Math.floor(Math.random() * kinds.length)];
    if (kind === '429') return this.fail(res, twilioError(429, 20429, 'Too Many Requests'));
    if (kind === '500') return this.fail(res, twilioError(500, 20500, 'Internal Server Error'));
    const socket = req.socket;
    if (kind === 'reset') {
      socket.destroy();
      return;
    }
    // 'timeout': answer nothing; the client gives up and closes, or we drop the socket eventually.
    this.hanging.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.options.faults?.hangMs ?? 60_000);
    socket.once('close', () => {
      clearTimeout(timer);
      this.hanging.delete(socket);
    });
  }

  private reject(res: ServerResponse, error: TwilioError): void {
    this.counts.rejected++;
    this.fail(res, error);
  }

  private fail(res: ServerResponse, error: TwilioError, headers?: Record<string, string>): void {
    const body = { code: error.code, message: error.message, more_info: `https://www.twilio.com/docs/errors/${error.code}`, status: error.status };
    this.send(res, error.status, JSON.stringify(body), headers);
  }

  private send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
    const write = () => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    if (this.options.latencyMs) setTimeout(write, this.options.latencyMs);
    else write();
  }
}

/** The statuses after creation, spaced by the callback delay (WhatsApp also reports `read`). */
function timeline(message: StoredMessage, outcome: Exclude<Outcome, { createError: unknown }>, t0: number, step: number): StatusEvent[] {
  const at = (n: number) => t0 + n * step;
  let final: { status: 'undelivered' | 'failed'; code: number } | null = null;
  if (outcome === 'undelivered') final = { status: 'undelivered', code: 30003 };
  else if (outcome === 'failed') final = { status: 'failed', code: 30008 };
  else if (typeof outcome === 'object') {
    const code = outcome.finalErrorCode;
    final = { status: outcome.status ?? (code >= 30000 && code < 31000 ? 'undelivered' : 'failed'), code };
  }
  if (final?.status === 'failed') return [{ status: 'failed', at: at(1), errorCode: final.code }];
  const events: StatusEvent[] = [{ status: 'sent', at: at(1), errorCode: null }];
  if (final) events.push({ status: 'undelivered', at: at(2), errorCode: final.code });
  else {
    events.push({ status: 'delivered', at: at(2), errorCode: null });
    if (message.channel === 'whatsapp') events.push({ status: 'read', at: at(3), errorCode: null });
  }
  return events;
}
