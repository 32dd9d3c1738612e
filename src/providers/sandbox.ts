/**
 * The provider used when no Twilio account is configured: it accepts every message, stores it in
 * `sandbox_messages`, and later plays the status callbacks Twilio would send (sent, delivered, read, and
 * some failures), signed, to the message's StatusCallback URL. The callbacks therefore travel the same
 * webhook code path as Twilio's, and a newcomer sees the whole flow without an account.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import webhooks from 'twilio/lib/webhooks/webhooks.js';
import type { Logger } from '../runtime/logger.js';
import type { AcceptedMessage, Channel, MessageProvider, OutboundMessage, SentMessage } from './provider.js';

export type SandboxSettings = {
  smsFrom: string;
  whatsappFrom: string;
  failureRate: number;
  callbackDelayMs: number;
  /** Where to deliver callbacks when the public URL is not reachable from here (a container network). */
  webhookTarget?: string;
};

type Callback = { status: string; errorCode?: number };

export class SandboxProvider implements MessageProvider {
  readonly name = 'sandbox' as const;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: SandboxSettings,
    private readonly signingToken: string,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  senderFor(channel: Channel): string {
    return channel === 'whatsapp' ? `whatsapp:${this.settings.whatsappFrom}` : this.settings.smsFrom;
  }

  async send(message: OutboundMessage): Promise<AcceptedMessage> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const from = this.senderFor(message.channel);
    const to = message.channel === 'whatsapp' ? `whatsapp:${message.to}` : message.to;
    await this.pool.query(
      `INSERT INTO sandbox_messages (sid, to_address, from_address, body, content_sid, media_url, status_callback, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued')`,
      [sid, to, from, message.body ?? null, message.contentSid ?? null, message.mediaUrl ?? null, message.statusCallback],
    );
    this.playCallbacks(sid, from, to, message.statusCallback, this.outcome(message.channel));
    return { sid, status: 'queued' };
  }

  async findSent(channel: Channel, to: string, since: Date): Promise<SentMessage[]> {
    const address = channel === 'whatsapp' ? `whatsapp:${to}` : to;
    const { rows } = await this.pool.query<{ sid: string; status: string; body: string | null; created_at: Date }>(
      'SELECT sid, status, body, created_at FROM sandbox_messages WHERE to_address = $1 AND created_at >= $2',
      [address, since],
    );
    return rows.map((r) => ({ sid: r.sid, status: r.status, body: r.body, dateCreated: r.created_at }));
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** The statuses Twilio would report, with a realistic share of failures. */
  private outcome(channel: Channel): Callback[] {
    const failed = this.random() < this.settings.failureRate;
    if (channel === 'whatsapp') {
      if (failed) return [{ status: 'failed', errorCode: 63016 }];
      const read = this.random() < 0.7;
      return read ? [{ status: 'sent' }, { status: 'delivered' }, { status: 'read' }] : [{ status: 'sent' }, { status: 'delivered' }];
    }
    if (failed) return [{ status: 'sent' }, { status: 'undelivered', errorCode: 30003 }];
    return [{ status: 'sent' }, { status: 'delivered' }];
  }

  private playCallbacks(sid: string, from: string, to: string, url: string, callbacks: Callback[]): void {
    callbacks.forEach((callback, i) => {
      const delay = this.settings.callbackDelayMs * (i + 1) * (0.5 + this.random());
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.post(url, {
          MessageSid: sid,
          SmsSid: sid,
          MessageStatus: callback.status,
          SmsStatus: callback.status,
          AccountSid: 'ACsandbox',
          From: from,
          To: to,
          ApiVersion: '2010-04-01',
          ...(callback.errorCode ? { ErrorCode: String(callback.errorCode) } : {}),
        });
      }, delay);
      this.timers.add(timer);
    });
  }

  private async post(url: string, params: Record<string, string>): Promise<void> {
    // Signed over the public URL, as Twilio does, whichever address the request actually goes to.
    const signature = webhooks.getExpectedTwilioSignature(this.signingToken, url, params);
    const target = this.settings.webhookTarget ? this.settings.webhookTarget + new URL(url).pathname + new URL(url).search : url;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      if (!response.ok) this.logger.warn({ status: response.status, sid: params.MessageSid }, 'sandbox status callback refused');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, sid: params.MessageSid }, 'sandbox status callback failed');
    }
  }
}
