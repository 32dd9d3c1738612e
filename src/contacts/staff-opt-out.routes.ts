/**
 * Staff opting a contact out (a parent asked by phone, a letter came) or back in, on the same path as a
 * STOP reply: nothing more is sent, including messages already queued. Recorded in the audit log with
 * who did it and why.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { actorOf, writeAudit } from '../audit/audit-log.js';
import { notFound } from '../http/errors.js';
import { optIn, optOut } from '../optouts/opt-out.js';
import { inTransaction } from '../runtime/database.js';
import type { Services } from '../runtime/services.js';
import { contactJson } from './contacts-store.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Body = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false, examples: [{ reason: 'asked by phone' }] });

export function staffOptOutRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { pool, prisma } = services.db;

  const route = (action: 'opt-out' | 'opt-in') =>
    ({
      config: { permission: 'contacts:write' },
      schema: { tags: ['contacts'], summary: action === 'opt-out' ? 'Opt a contact out on their behalf' : 'Opt a contact back in on their behalf', params: IdParams, body: Body },
      // The body (a reason) is optional: a bare POST is an empty one.
      preValidation: async (request: { body: unknown }) => {
        request.body ??= {};
      },
    }) as const;

  return async (app) => {
    for (const action of ['opt-out', 'opt-in'] as const) {
      app.post(`/v1/contacts/:id/${action}`, route(action), async (request) => {
        const { id } = request.params;
        const actor = actorOf(request);
        await inTransaction(pool, async (client) => {
          const { rows } = await client.query<{ opted_out: boolean }>('SELECT opted_out FROM contacts WHERE id = $1 AND erased_at IS NULL FOR UPDATE', [id]);
          if (!rows[0]) throw notFound(`contact ${id}`);
          const source = `staff:${actor.userId}`;
          const changed = action === 'opt-out' ? await optOut(client, [id], source) : await optIn(client, [id], source);
          if (changed === 0) return;
          await writeAudit(client, actor, {
            action: action === 'opt-out' ? 'contact.opt_out' : 'contact.opt_in',
            entityType: 'contact',
            entityId: id,
            changes: { optedOut: { from: rows[0].opted_out, to: action === 'opt-out' }, ...(request.body.reason ? { reason: request.body.reason } : {}) },
          });
        });
        return contactJson((await prisma.contact.findUnique({ where: { id } }))!);
      });
    }
  };
}
