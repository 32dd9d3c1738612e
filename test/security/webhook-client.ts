/** Posting to our webhooks as Twilio does: form-encoded, signed over the public URL. */
import { twilioSignature } from '../twilio-server/server.js';
import type { Harness } from '../support/harness.js';

export type WebhookAnswer = { status: number; text: string };

/**
 * Signs over `signedUrl` (default: PUBLIC_BASE_URL + path) and sends it in process (inject), so that
 * headers a proxy sets, Host included, arrive as given.
 */
export async function postSigned(h: Harness, path: string, params: Record<string, string>, token: string, options: { signedUrl?: string; headers?: Record<string, string> } = {}): Promise<WebhookAnswer> {
  const url = options.signedUrl ?? h.config.publicBaseUrl + path;
  const response = await h.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(token, url, params), ...options.headers },
    payload: new URLSearchParams(params).toString(),
  });
  return { status: response.statusCode, text: response.body };
}

let sequence = 0;
/** A MessageSid no other test uses. */
export function newSid(): string {
  return `SM${(Date.now().toString(16) + (sequence++).toString(16).padStart(6, '0')).padStart(32, '0')}`;
}
