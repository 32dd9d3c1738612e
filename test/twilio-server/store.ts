/**
 * Messages the server accepted, how they look as Twilio Message resources, and how they are listed.
 *
 * A message's later statuses are a timeline fixed at creation and read lazily (status at time t), so a
 * message costs no timer unless somebody asked for its status callbacks.
 */
import { randomUUID } from 'node:crypto';
import { countSegments } from './segments.js';
import { parseDate, type Params } from './validation.js';

export type MessageStatus = 'queued' | 'accepted' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';
export type StatusEvent = { status: MessageStatus; at: number; errorCode: number | null };

const API_VERSION = '2010-04-01';

export class StoredMessage {
  readonly to: string;
  readonly channel: 'sms' | 'whatsapp';
  readonly numSegments: number;

  constructor(
    readonly sid: string,
    readonly accountSid: string,
    /** The create request's parameters, as received. */
    readonly params: Params,
    /** When the create request arrived (ms since the epoch). */
    readonly receivedAt: number,
    /** Statuses after the first one, in the order they happen. */
    readonly timeline: StatusEvent[],
    private readonly serviceSender: string,
  ) {
    this.to = params.To as string;
    this.channel = this.to.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const body = params.Body as string | undefined;
    this.numSegments = this.channel === 'whatsapp' || !body ? 1 : countSegments(body);
  }

  get from(): string | null {
    return (this.params.From as string | undefined) ?? null;
  }

  get initialStatus(): MessageStatus {
    return this.params.MessagingServiceSid ? 'accepted' : 'queued';
  }

  /** The status at time `now`, with when it was reached and its error code. */
  stateAt(now: number): StatusEvent {
    let state: StatusEvent = { status: this.initialStatus, at: this.receivedAt, errorCode: null };
    for (const event of this.timeline) if (event.at <= now) state = event;
    return state;
  }

  /** The sender: a Messaging Service picks one from its pool once the message leaves the queue. */
  senderAt(state: StatusEvent): string | null {
    if (this.from) return this.from;
    if (state.status === 'accepted' || state.status === 'queued') return null;
    return this.channel === 'whatsapp' ? `whatsapp:${this.serviceSender}` : this.serviceSender;
  }

  toResource(now = Date.now()): Record<string, unknown> {
    const state = this.stateAt(now);
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${this.sid}`;
    const media = this.params.MediaUrl;
    return {
      account_sid: this.accountSid,
      api_version: API_VERSION,
      body: (this.params.Body as string | undefined) ?? '',
      date_created: rfc2822(this.receivedAt),
      // Twilio fills date_sent at creation for an immediate send (see the description's examples).
      date_sent: rfc2822(this.receivedAt),
      date_updated: rfc2822(state.at),
      direction: 'outbound-api',
      error_code: state.errorCode,
      error_message: null,
      from: this.senderAt(state),
      messaging_service_sid: (this.params.MessagingServiceSid as string | undefined) ?? null,
      num_media: String(Array.isArray(media) ? media.length : 0),
      num_segments: String(this.numSegments),
      price: null,
      price_unit: null,
      sid: this.sid,
      status: state.status,
      subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
      to: this.to,
      uri: `${uri}.json`,
    };
  }
}

/** SM + 32 hex; randomUUID draws from a cached pool, cheaper than randomBytes per message. */
export function newMessageSid(): string {
  return 'SM' + randomUUID().replaceAll('-', '');
}

let cachedSecond = -1;
let cachedDate = '';
/** "Thu, 24 Aug 2023 05:01:45 +0000", cached per second because a busy server formats the same one often. */
export function rfc2822(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(second * 1000).toUTCString().replace('GMT', '+0000');
  }
  return cachedDate;
}

export type ListQuery = {
  to?: string;
  from?: string;
  /** DateSent filters, as UTC day numbers: Twilio's documented filters are by day, inclusive. */
  onDay?: number;
  fromDay?: number;
  toDay?: number;
};

const DAY_MS = 86_400_000;

export function listQuery(params: Params): ListQuery {
  const day = (name: string) => {
    const value = params[name] as string | undefined;
    return value === undefined ? undefined : Math.floor(parseDate(value)! / DAY_MS);
  };
  return {
    to: params.To as string | undefined,
    from: params.From as string | undefined,
    onDay: day('DateSent'),
    fromDay: day('DateSent>'),
    toDay: day('DateSent<'),
  };
}

export class MessageStore {
  readonly all: StoredMessage[] = [];
  private readonly bySid = new Map<string, StoredMessage>();
  private readonly byTo = new Map<string, StoredMessage[]>();

  add(message: StoredMessage): void {
    this.all.push(message);
    this.bySid.set(message.sid, message);
    const list = this.byTo.get(message.to);
    if (list) list.push(message);
    else this.byTo.set(message.to, [message]);
  }

  get(sid: string): StoredMessage | undefined {
    return this.bySid.get(sid);
  }

  byRecipient(): ReadonlyMap<string, StoredMessage[]> {
    return this.byTo;
  }

  clear(): void {
    this.all.length = 0;
    this.bySid.clear();
    this.byTo.clear();
  }

  /** Matching messages, newest first, as Twilio lists them. */
  find(query: ListQuery): StoredMessage[] {
    const source = query.to !== undefined ? (this.byTo.get(query.to) ?? []) : this.all;
    const out: StoredMessage[] = [];
    for (let i = source.length - 1; i >= 0; i--) {
      const m = source[i]!;
      if (query.from !== undefined && m.from !== query.from) continue;
      const day = Math.floor(m.receivedAt / DAY_MS);
      if (query.onDay !== undefined && day !== query.onDay) continue;
      if (query.fromDay !== undefined && day < query.fromDay) continue;
      if (query.toDay !== undefined && day > query.toDay) continue;
      out.push(m);
    }
    return out;
  }
}
