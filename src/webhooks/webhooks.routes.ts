/**
 * The two URLs Twilio calls, form-encoded: status callbacks and inbound replies. Both refuse (403)
 * anything not signed with our auth token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { queueSmsFallbacks } from '../delivery/send-queue.js';
import { handleInbound, twiml } from '../optouts/inbound.js';
import type { Services } from '../runtime/services.js';
import { hasValidSignature } from './signature.js';
import { applyStatusCallbacks, parseStatusCallback, StatusCallbackWriter, type StatusCallback } from './status-callbacks.js';
import { observeInbound, observeStatusCallback } from './webhook-observations.js';

const TwilioForm = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 20 })]), { maxProperties: 100 });
const StatusQuery = Type.Object({ d: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })) }, { additionalProperties: true });

export function createStatusWriter(services: Services): StatusCallbackWriter {
  const { pool } = services.db;
  return new StatusCallbackWriter(async (callbacks: StatusCallback[]) => {
    const applied = await applyStatusCallbacks(pool, callbacks);
    if (applied.whatsappFailures.length && services.provider.senderFor('sms')) await queueSmsFallbacks(pool, services.queues.send, applied.whatsappFailures);
  });
}

export function webhookRoutes(services: Services, writer: StatusCallbackWriter): FastifyPluginAsyncTypebox {
  const { config } = services;
  return async (app) => {
    app.addHook('preHandler', async (request, reply) => {
      const params = (request.body ?? {}) as Record<string, unknown>;
      if (!hasValidSignature(config.webhookVerifyTokens, config.publicBaseUrl, request.url, request.headers['x-twilio-signature'], params)) {
        return reply.status(403).send({ error: 'Forbidden', message: 'missing or invalid X-Twilio-Signature' });
      }
    });

    app.post('/webhooks/twilio/status', {
      schema: { tags: ['webhooks'], summary: "Twilio's message status callbacks", body: TwilioForm, querystring: StatusQuery },
    }, async (request, reply) => {
      const callback = parseStatusCallback(request.body, request.query.d);
      // Statuses we do not track (receiving, ...) are acknowledged, or Twilio would retry them.
      if (callback) {
        await writer.write(callback);
        observeStatusCallback(request, callback);
      }
      return reply.status(204).send();
    });

    app.post('/webhooks/twilio/inbound', {
      schema: { tags: ['webhooks'], summary: 'Replies from recipients (opt-out keywords, help)', body: TwilioForm },
    }, async (request, reply) => {
      const fields = Object.fromEntries(Object.entries(request.body).map(([k, v]) => [k, Array.isArray(v) ? v[0] ?? '' : v]));
      if (!/^(SM|MM)[0-9a-f]{32}$/i.test(fields.MessageSid ?? '') || !fields.From) {
        return reply.status(400).send({ error: 'Bad Request', message: 'MessageSid and From are required' });
      }
      const result = await handleInbound(services.db.pool, fields);
      observeInbound(request, fields, result);
      return reply.type('text/xml').send(twiml(result.reply));
    });
  };
}
