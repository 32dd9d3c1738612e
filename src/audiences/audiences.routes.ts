import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { isKnownField } from '../content/template.js';
import { badRequest } from '../http/errors.js';
import type { Services } from '../runtime/services.js';
import { countMissingFields } from './missing-fields.js';
import { previewAudience } from './preview.js';
import { AudienceRequest, audienceOf } from './resolve.js';

const PreviewBody = Type.Object(
  {
    ...AudienceRequest.properties,
    fields: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50, description: 'Merge fields, e.g. school.results.grade3.math.level: how many reachable contacts lack each', examples: [['school.results.grade3.math.level']] }),
    ),
  },
  { additionalProperties: false },
);

export function audiencesRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { prisma, pool } = services.db;
  return async (app) => {
    app.post('/v1/audiences/preview', {
      config: { permission: 'audiences:read' },
      schema: {
        tags: ['audiences'],
        summary: 'How many contacts a filter or segment addresses, how many opted out, and the reachable ones by role, department, language and channel',
        body: PreviewBody,
      },
    }, async (request) => {
      const { fields = [], ...audienceRequest } = request.body;
      const unknown = fields.filter((field) => !isKnownField(field));
      if (unknown.length) throw badRequest(`unknown merge field(s): ${unknown.join(', ')}`);
      const audience = await audienceOf(prisma, audienceRequest);
      const [preview, missing] = await Promise.all([previewAudience(pool, audience), countMissingFields(pool, audience, fields.map((field) => ({ field })))]);
      return { ...preview, ...(fields.length ? { missingFields: fields.map((field, i) => ({ field, missing: missing[i]! })) } : {}) };
    });
  };
}
