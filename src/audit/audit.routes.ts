import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { badRequest } from '../http/errors.js';
import type { Services } from '../runtime/services.js';
import { AUDIT_ENTITIES } from './audit-log.js';

const Query = Type.Object(
  {
    entityType: Type.Optional(Type.Union(AUDIT_ENTITIES.map((t) => Type.Literal(t)))),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    action: Type.Optional(Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['campaign.approve'] })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this instant' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this instant' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    before: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'Entries with a smaller id (the previous page’s nextBefore)' })),
  },
  { additionalProperties: false },
);

export function auditRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/audit', {
      config: { permission: 'audit:read' },
      schema: { tags: ['audit'], summary: 'Every change and transition, newest first, with who made it and what changed', querystring: Query },
    }, async (request) => {
      const { entityType, entityId, userId, action, from, to, limit, before } = request.query;
      if (from && to && Date.parse(from) >= Date.parse(to)) throw badRequest(`from (${from}) must be before to (${to})`);
      const { rows } = await services.db.pool.query(
        `SELECT a.id::text AS id, a.at, a.user_id AS "userId", u.name AS "userName", a.action, a.entity_type AS "entityType",
                a.entity_id AS "entityId", a.changes, a.request_id AS "requestId"
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         WHERE ($1::text IS NULL OR a.entity_type = $1) AND ($2::text IS NULL OR a.entity_id = $2)
           AND ($3::int IS NULL OR a.user_id = $3) AND ($4::text IS NULL OR a.action = $4)
           AND ($5::timestamptz IS NULL OR a.at >= $5) AND ($6::timestamptz IS NULL OR a.at < $6)
           AND ($7::bigint IS NULL OR a.id < $7)
         ORDER BY a.id DESC LIMIT $8`,
        [entityType ?? null, entityId ?? null, userId ?? null, action ?? null, from ?? null, to ?? null, before ?? null, limit],
      );
      return { items: rows, nextBefore: rows.length === limit ? (rows[rows.length - 1] as { id: string }).id : null };
    });
  };
}
