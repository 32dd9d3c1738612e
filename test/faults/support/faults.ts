/** The faults a scenario injects while its step is being sent, each at a share of the audience received. */
import { randomBytes } from 'node:crypto';
import { twilioSignature } from '../../twilio-server/callbacks.js';
import type { Recipient } from './audience.js';
import { AUTH_TOKEN, SMS_FROM, WHATSAPP_FROM, ACCOUNT_SID } from './environment.js';
import type { StepInProgress } from './scenario.js';

/** kill -9 one worker, and start a replacement, as the provider reaches each share; returns the counts then. */
export async function killWorkersAt(step: StepInProgress, shares: number[]): Promise<number[]> {
  const at: number[] = [];
  for (const share of shares) {
    const received = await step.reached(share);
    await step.deployment.killWorker();
    step.note(`kill -9 of a worker at ${received} messages`);
    at.push(received);
  }
  return at;
}

/** Redis loses all its data while every process keeps running; returns the count then. */
export async function flushRedisAt(step: StepInProgress, share: number): Promise<number> {
  const received = await step.reached(share);
  // FLUSHDB, not FLUSHALL: other engineers' tests and benchmarks use other indexes of the same Redis.
  await step.redis.flushdb();
  step.note(`FLUSHDB at ${received} messages`);
  return received;
}

export type Stop = { contactId: number; address: string; keyword: string; acknowledgedAt: number; reply: string };

/**
 * Each contact replies STOP or BAJA (alternately) as the provider reaches `share`, posted to the inbound
 * webhook signed as Twilio signs it; `acknowledgedAt` is when our answer (the TwiML reply) came back.
 */
export async function stopRepliesAt(step: StepInProgress, share: number, contacts: Recipient[]): Promise<{ received: number; stops: Stop[] }> {
  const received = await step.reached(share);
  const stops: Stop[] = [];
  const inFlight = 20;
  for (let i = 0; i < contacts.length; i += inFlight) {
    stops.push(...(await Promise.all(contacts.slice(i, i + inFlight).map((contact, j) => replyStop(step.deployment.baseUrl, contact, (i + j) % 2 ? 'BAJA' : 'STOP')))));
  }
  step.note(`${contacts.length} STOP/BAJA replies at ${received} messages`);
  return { received, stops };
}

async function replyStop(baseUrl: string, contact: Recipient, keyword: string): Promise<Stop> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const whatsapp = contact.address.startsWith('whatsapp:');
  const params = {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    SmsSid: sid,
    From: contact.address,
    To: whatsapp ? `whatsapp:${WHATSAPP_FROM}` : SMS_FROM,
    Body: keyword,
    NumMedia: '0',
    NumSegments: '1',
  };
  // The API's PUBLIC_BASE_URL is baseUrl: the URL Twilio signs is the public one.
  const url = `${baseUrl}/webhooks/twilio/inbound`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  const reply = await response.text();
  if (!response.ok) throw new Error(`inbound ${keyword} from contact ${contact.contactId}: ${response.status} ${reply}`);
  return { contactId: contact.contactId, address: contact.address, keyword, acknowledgedAt: Date.now(), reply };
}
