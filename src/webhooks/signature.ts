/**
 * Twilio signs each webhook with the account's auth token over the URL it called and the POST
 * parameters. Behind a reverse proxy the URL we see is not the one Twilio called, so the URL checked is
 * always PUBLIC_BASE_URL + the path and query of the request. During a rotation of the auth token both
 * the primary and the secondary token are accepted (Twilio signs with whichever is primary at the time).
 */
import webhooks from 'twilio/lib/webhooks/webhooks.js';

export function hasValidSignature(authTokens: readonly string[], publicBaseUrl: string, requestUrl: string, signature: string | string[] | undefined, params: Record<string, unknown>): boolean {
  if (typeof signature !== 'string' || signature.length === 0) return false;
  return authTokens.some((token) => webhooks.validateRequest(token, signature, publicBaseUrl + requestUrl, params));
}
