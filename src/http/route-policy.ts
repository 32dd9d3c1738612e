/**
 * What protects each family of routes, decided by URL prefix in this one table, so that a route added
 * later under a known prefix is protected without asking for it:
 *  - the API (/v1) is rate limited per API key;
 *  - the public pages (archive, verification) per client address;
 *  - Twilio's webhooks are never limited (a refused callback is a lost status) but take small bodies,
 *    and get no security headers: their only reader is Twilio, and at thousands of callbacks a second
 *    the headers were a tenth of the webhook's CPU;
 *  - health, metrics and the docs are not limited.
 */
export type RateLimitScope = 'api-key' | 'client-address' | 'none';

export type RoutePolicy = { rateLimit: RateLimitScope; bodyLimit?: number; securityHeaders?: false };

/** JSON bodies of the API; CSV imports set their own, larger limit on their route. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const POLICIES: Array<{ prefix: string; policy: RoutePolicy }> = [
  { prefix: '/v1/', policy: { rateLimit: 'api-key' } },
  { prefix: '/admin/', policy: { rateLimit: 'api-key' } },
  { prefix: '/archive', policy: { rateLimit: 'client-address', bodyLimit: 64 * 1024 } },
  { prefix: '/v/', policy: { rateLimit: 'client-address', bodyLimit: 64 * 1024 } },
  { prefix: '/verify', policy: { rateLimit: 'client-address', bodyLimit: 64 * 1024 } },
  // Twilio's form posts are a few hundred bytes; 64 KiB leaves room for a long inbound text.
  { prefix: '/webhooks/', policy: { rateLimit: 'none', bodyLimit: 64 * 1024, securityHeaders: false } },
];

const UNLIMITED: RoutePolicy = { rateLimit: 'none' };

export function policyFor(url: string): RoutePolicy {
  return POLICIES.find((p) => url === p.prefix.replace(/\/$/, '') || url.startsWith(p.prefix))?.policy ?? UNLIMITED;
}
