import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { badRequest, notFound } from '../http/errors.js';
import { parsePhone } from './phone.js';
import type { Services } from '../runtime/services.js';
import { CHANNELS, CONTACT_ROLES, ContactBody, checkContact } from './contact-input.js';
import { contactJson, listContacts, upsertContact } from './contacts-store.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

const ListQuery = Type.Object(
  {
    role: Type.Optional(Type.Union(CONTACT_ROLES.map((r) => Type.Literal(r)))),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    department: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
    district: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    schoolCode: Type.Optional(Type.String({ maxLength: 32 })),
    grade: Type.Optional(Type.Integer({ minimum: 0, maximum: 13 })),
    optedOut: Type.Optional(Type.Boolean()),
    phone: Type.Optional(Type.String({ maxLength: 40, description: 'Any way of writing the number' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'Return contacts with a larger id (the previous page’s nextAfter)' })),
  },
  { additionalProperties: false },
);

export function contactsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { prisma } = services.db;
  return async (app) => {
    app.post('/v1/contacts', {
      config: { permission: 'contacts:write' },
      schema: { tags: ['contacts'], summary: 'Create a contact, or update the one with this phone', body: ContactBody },
    }, async (request, reply) => {
      const checked = checkContact(request.body, { languages: services.config.languages });
      if (!checked.ok) throw badRequest(checked.reason);
      const { contact, created } = await upsertContact(prisma, checked.value, services.config.defaultTimezone);
      return reply.status(created ? 201 : 200).send(contactJson(contact));
    });

    app.get('/v1/contacts/:id', {
      config: { permission: 'contacts:read' },
      schema: { tags: ['contacts'], summary: 'One contact', params: IdParams },
    }, async (request) => {
      const contact = await prisma.contact.findUnique({ where: { id: request.params.id } });
      if (!contact || contact.erasedAt) throw notFound(`contact ${request.params.id}`);
      return contactJson(contact);
    });

    app.get('/v1/contacts', {
      config: { permission: 'contacts:read' },
      schema: { tags: ['contacts'], summary: 'Contacts matching every filter given, by id', querystring: ListQuery },
    }, async (request) => {
      const { limit, after, phone, ...filter } = request.query;
      let e164: string | undefined;
      if (phone) {
        const parsed = parsePhone(phone);
        if (!parsed.ok) throw badRequest(`phone "${phone}": ${parsed.reason}`);
        e164 = parsed.e164;
      }
      const items = await listContacts(prisma, { ...filter, ...(e164 ? { phone: e164 } : {}) }, limit, after);
      return { items: items.map(contactJson), nextAfter: items.length === limit ? items[items.length - 1]!.id : null };
    });
  };
}
