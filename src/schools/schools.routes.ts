import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { badRequest, notFound } from '../http/errors.js';
import type { Services } from '../runtime/services.js';
import { SchoolBody, SchoolCode, checkSchool } from './school-input.js';
import { findSchool, listSchools, schoolJson, upsertSchool } from './schools-store.js';

const ListQuery = Type.Object(
  {
    department: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
    district: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    zone: Type.Optional(Type.Union([Type.Literal('urban'), Type.Literal('rural')])),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    after: Type.Optional(Type.String({ maxLength: 32, description: 'Return schools with a larger code (the previous page’s nextAfter)' })),
  },
  { additionalProperties: false },
);

export function schoolsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { prisma, pool } = services.db;
  return async (app) => {
    app.post('/v1/schools', {
      config: { permission: 'schools:write' },
      schema: { tags: ['schools'], summary: 'Create a school, or update the one with this code', body: SchoolBody },
    }, async (request, reply) => {
      const checked = checkSchool(request.body);
      if (!checked.ok) throw badRequest(checked.reason);
      const { school, created } = await upsertSchool(pool, checked.value);
      return reply.status(created ? 201 : 200).send(schoolJson(school));
    });

    app.get('/v1/schools', {
      config: { permission: 'schools:read' },
      schema: { tags: ['schools'], summary: 'Schools matching every filter given, by code', querystring: ListQuery },
    }, async (request) => {
      const { limit, after, ...filter } = request.query;
      const items = await listSchools(prisma, filter, limit, after);
      return { items: items.map((school) => schoolJson(school)), nextAfter: items.length === limit ? items[items.length - 1]!.code : null };
    });

    app.get('/v1/schools/:code', {
      config: { permission: 'schools:read' },
      schema: { tags: ['schools'], summary: 'One school with its assessment results', params: Type.Object({ code: SchoolCode }) },
    }, async (request) => {
      const school = await findSchool(prisma, request.params.code);
      if (!school) throw notFound(`school ${request.params.code}`);
      return schoolJson(school, school.results);
    });
  };
}
