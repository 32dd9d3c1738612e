/**
 * The comparison servers of bench:webhooks, each a process of its own on the same Node as the service:
 *   hello      fastify's hello world (GET / answers {"hello":"world"}), the ceiling of any fastify route;
 *   signature  fastify + @fastify/formbody + our X-Twilio-Signature check on the status callback route,
 *              answering 204 without touching a database.
 * Prints {"url": ...} as its first line once listening.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { hasValidSignature } from '../src/webhooks/signature.js';

const kind = process.argv[2];
const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1]!;
};

const app = Fastify({ logger: false });
if (kind === 'hello') {
  app.get('/', async () => ({ hello: 'world' }));
} else if (kind === 'signature') {
  const tokens = [option('auth-token', '')];
  const publicBaseUrl = option('public-base-url', '');
  await app.register(formbody);
  app.post('/webhooks/twilio/status', async (request, reply) => {
    if (!hasValidSignature(tokens, publicBaseUrl, request.url, request.headers['x-twilio-signature'], (request.body ?? {}) as Record<string, unknown>)) {
      return reply.status(403).send({ error: 'Forbidden' });
    }
    return reply.status(204).send();
  });
} else {
  console.error('usage: webhook-servers.ts hello|signature [--auth-token T --public-base-url URL]');
  process.exit(2);
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url: address }));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
