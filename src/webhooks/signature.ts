/**
 * Twilio signs each webhook with the account's auth token over the URL it called and the POST
 * parameters. Behind a reverse proxy the URL we see is not the one Twilio called, so the URL checked is
 * always PUBLIC_BASE_URL + the path and query of the request.
 */
import webhooks from 'twilio/lib/webhooks/webhooks.js';

export function hasValidSignature(authToken: string, publicBaseUrl: string, requestUrl: string, signature: string | string[] | undefined, params: Record<string, unknown>): boolean {
  if (typeof signature !== 'string' || signature.length === 0) return false;
  return webhooks.validateRequest(authToken, signature, publicBaseUrl + requestUrl, params);
}
