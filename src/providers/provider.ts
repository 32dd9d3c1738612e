/**
 * What the delivery engine needs from a messaging provider. Twilio is the real one; the sandbox stands in
 * when no Twilio account is configured. Both speak Twilio's statuses and error codes.
 */
export type Channel = 'whatsapp' | 'sms';

export type OutboundMessage = {
  channel: Channel;
  /** E.164, without any channel prefix. */
  to: string;
  body?: string;
  mediaUrl?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
  statusCallback: string;
};

export type AcceptedMessage = { sid: string; status: string };

export type SentMessage = { sid: string; status: string; body: string | null; dateCreated: Date };

/** A refusal or failure of the provider; `httpStatus` is absent when no answer came at all. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export interface MessageProvider {
  readonly name: 'twilio' | 'sandbox';
  /** The sender a channel goes out from (pacing key), or null when the channel is not configured. */
  senderFor(channel: Channel): string | null;
  send(message: OutboundMessage): Promise<AcceptedMessage>;
  /** Messages already sent to `to` since `since`: how an interrupted send is resolved before resending. */
  findSent(channel: Channel, to: string, since: Date): Promise<SentMessage[]>;
  close?(): Promise<void>;
}
