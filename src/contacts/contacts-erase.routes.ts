/** DELETE /v1/contacts/:id: erasure on request (see contacts-erase.ts for what goes and what stays). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { actorOf } from '../audit/audit-log.js';
import type { Services } from '../runtime/services.js';
import { eraseContact } from './contacts-erase.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Erasure = Type.Object({
  id: Type.Integer(),
  erasedAt: Type.String({ format: 'date-time' }),
  deliveriesPurged: Type.Integer({ description: "Deliveries whose message body was removed" }),
  repliesPurged: Type.Integer({ description: "The contact's replies whose text and address were removed" }),
});

export function contactEraseRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.delete('/v1/contacts/:id', {
      config: { permission: 'contacts:erase' },
      schema: {
        tags: ['contacts'],
        summary: 'Erase a contact on request: phone, name, attributes and message texts go; anonymous delivery counts stay; nothing is sent to them again',
        params: IdParams,
        response: { 200: Erasure },
      },
    }, async (request) => {
      const report = await eraseContact(services.db.pool, request.params.id, actorOf(request));
      request.log.info({ contactId: report.id }, 'contact erased');
      return { ...report, erasedAt: report.erasedAt.toISOString() };
    });
  };
}
