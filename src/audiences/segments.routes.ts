import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../http/errors.js';
import type { Services } from '../runtime/services.js';
import { AudienceFilter } from './filter.js';
import { createSegment, deleteSegment, segmentJson } from './segments-store.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

const SegmentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Padres de 3er grado, Central, zona rural'] }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    filter: AudienceFilter,
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'Return segments with a larger id (the previous page’s nextAfter)' })),
  },
  { additionalProperties: false },
);

export function segmentsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { prisma } = services.db;
  return async (app) => {
    app.post('/v1/segments', {
      config: { permission: 'segments:write' },
      schema: { tags: ['audiences'], summary: 'Save an audience filter under a name', body: SegmentBody },
    }, async (request, reply) => {
      const segment = await createSegment(prisma, request.body, request.caller?.userId ?? null);
      return reply.status(201).send(segmentJson(segment));
    });

    app.get('/v1/segments', {
      config: { permission: 'audiences:read' },
      schema: { tags: ['audiences'], summary: 'Saved segments, by id', querystring: ListQuery },
    }, async (request) => {
      const { limit, after } = request.query;
      const items = await prisma.segment.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: limit });
      return { items: items.map(segmentJson), nextAfter: items.length === limit ? items[items.length - 1]!.id : null };
    });

    app.get('/v1/segments/:id', {
      config: { permission: 'audiences:read' },
      schema: { tags: ['audiences'], summary: 'One segment', params: IdParams },
    }, async (request) => {
      const segment = await prisma.segment.findUnique({ where: { id: request.params.id } });
      if (!segment) throw notFound(`segment ${request.params.id}`);
      return segmentJson(segment);
    });

    app.delete('/v1/segments/:id', {
      config: { permission: 'segments:write' },
      schema: { tags: ['audiences'], summary: 'Delete a segment no campaign that may still send uses', params: IdParams },
    }, async (request, reply) => {
      if (!(await deleteSegment(prisma, request.params.id))) throw notFound(`segment ${request.params.id}`);
      return reply.status(204).send();
    });
  };
}
