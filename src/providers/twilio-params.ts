/**
 * The parameters of Twilio's "create a Message" request for one outbound message, as named by Twilio's
 * OpenAPI description (paths["/2010-04-01/Accounts/{AccountSid}/Messages.json"].post) in the twilio
 * package's camelCase spelling.
 */
import type { OutboundMessage } from './provider.js';

export type TwilioSenders = { smsFrom?: string; messagingServiceSid?: string; whatsappFrom?: string };

export type TwilioCreateParams = {
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrl?: string[];
  contentSid?: string;
  contentVariables?: string;
  statusCallback: string;
};

export function twilioCreateParams(message: OutboundMessage, senders: TwilioSenders): TwilioCreateParams {
  if (message.channel === 'whatsapp') {
    if (!senders.whatsappFrom) throw new Error('no WhatsApp sender configured');
    const params: TwilioCreateParams = {
      to: `whatsapp:${message.to}`,
      from: `whatsapp:${senders.whatsappFrom}`,
      statusCallback: message.statusCallback,
    };
    // Outside the 24-hour window WhatsApp only accepts approved templates: a template wins over a body.
    if (message.contentSid) {
      params.contentSid = message.contentSid;
      if (message.contentVariables) params.contentVariables = JSON.stringify(message.contentVariables);
    } else {
      params.body = message.body ?? '';
      if (message.mediaUrl) params.mediaUrl = [message.mediaUrl];
    }
    return params;
  }
  const params: TwilioCreateParams = { to: message.to, body: message.body ?? '', statusCallback: message.statusCallback };
  // A Messaging Service picks the number and handles carrier rules; it takes precedence over a bare number.
  if (senders.messagingServiceSid) params.messagingServiceSid = senders.messagingServiceSid;
  else if (senders.smsFrom) params.from = senders.smsFrom;
  else throw new Error('no SMS sender configured');
  return params;
}

export function smsSenderKey(senders: TwilioSenders): string | null {
  return senders.messagingServiceSid ?? senders.smsFrom ?? null;
}
