import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Services } from '../runtime/services.js';

const Query = Type.Object(
  {
    action: Type.Optional(Type.Union([Type.Literal('opt_out'), Type.Literal('opt_in'), Type.Literal('help'), Type.Literal('none')])),
    contactId: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    before: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'Return messages with a smaller id' })),
  },
  { additionalProperties: false },
);

export function inboundRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/inbound', {
      config: { permission: 'inbound:read' },
      schema: { tags: ['replies'], summary: 'Every message recipients sent us, newest first', querystring: Query },
    }, async (request) => {
      const { action, contactId, limit, before } = request.query;
      const { rows } = await services.db.pool.query(
        `SELECT id::text, provider_sid AS "providerSid", channel, from_address AS "from", body, contact_id AS "contactId", action, received_at AS "receivedAt"
         FROM inbound_messages
         WHERE ($1::text IS NULL OR action = $1) AND ($2::int IS NULL OR contact_id = $2) AND ($3::bigint IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [action ?? null, contactId ?? null, before ?? null, limit],
      );
      return { items: rows, nextBefore: rows.length === limit ? (rows[rows.length - 1] as { id: string }).id : null };
    });
  };
}
