/** The real provider: Twilio's Messages API through the official `twilio` package. */
import type { TwilioSettings } from '../runtime/config.js';
import { createTwilioClient, type UndiciRequestClient } from './twilio-http-client.js';
import { smsSenderKey, twilioCreateParams } from './twilio-params.js';
import { ProviderError, type AcceptedMessage, type Channel, type MessageProvider, type OutboundMessage, type SentMessage } from './provider.js';

export class TwilioProvider implements MessageProvider {
  readonly name = 'twilio' as const;
  private readonly client;

  constructor(private readonly settings: TwilioSettings) {
    this.client = createTwilioClient({ accountSid: settings.accountSid, authToken: settings.authToken, apiUrl: settings.apiUrl });
  }

  senderFor(channel: Channel): string | null {
    if (channel === 'whatsapp') return this.settings.whatsappFrom ? `whatsapp:${this.settings.whatsappFrom}` : null;
    return smsSenderKey(this.settings);
  }

  async send(message: OutboundMessage): Promise<AcceptedMessage> {
    try {
      const created = await this.client.messages.create(twilioCreateParams(message, this.settings));
      return { sid: created.sid, status: created.status };
    } catch (err) {
      throw toProviderError(err);
    }
  }

  /** Closes the keep-alive connections to Twilio, so that the process can exit. */
  async close(): Promise<void> {
    await (this.client.httpClient as UndiciRequestClient).close();
  }

  async findSent(channel: Channel, to: string, since: Date): Promise<SentMessage[]> {
    const address = channel === 'whatsapp' ? `whatsapp:${to}` : to;
    try {
      // DateSent filters by day; a day before `since` covers a send that crossed midnight UTC.
      const messages = await this.client.messages.list({ to: address, dateSentAfter: new Date(since.getTime() - 86_400_000), limit: 200 });
      return messages
        .filter((m) => m.dateCreated >= new Date(since.getTime() - 60_000))
        .map((m) => ({ sid: m.sid, status: m.status, body: m.body ?? null, dateCreated: m.dateCreated }));
    } catch (err) {
      throw toProviderError(err);
    }
  }
}

function toProviderError(err: unknown): ProviderError {
  const e = err as { message?: string; code?: number; status?: number };
  // The SDK's RestException carries Twilio's code and the HTTP status; network errors carry neither.
  const httpStatus = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  return new ProviderError(e.message ?? String(err), code, httpStatus);
}
