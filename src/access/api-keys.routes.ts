/**
 * Key management for administrators: POST /v1/api-keys answers the new key once; GET lists keys (never
 * a hash); DELETE revokes a key: at once in this process, within the verifier's cache time (30 s) in
 * every other API process.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Services } from '../runtime/services.js';
import type { ApiKeyVerifier } from './api-keys.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys-store.js';

const CreateBody = Type.Object(
  {
    userId: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The user the key acts as (and takes its role from)' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for', examples: ['reporting dashboard'] })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the key stops working; never when absent', examples: ['2027-12-31T23:59:59Z'] })),
  },
  { additionalProperties: false, examples: [{ userId: 2, name: 'reporting dashboard', expiresAt: '2027-12-31T23:59:59Z' }] },
);

const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const KeyListing = Type.Object({
  id: Type.Integer(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  name: Type.String(),
  user: Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String() }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Timestamp,
  lastUsedAt: Type.Union([Type.String({ format: 'date-time', description: 'Recorded at most once a minute' }), Type.Null()]),
  revokedAt: Timestamp,
});
const CreatedKey = Type.Object({ ...KeyListing.properties, key: Type.String({ description: 'The key itself: shown only in this answer' }) });

const ListQuery = Type.Object(
  {
    userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    includeRevoked: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export function apiKeyRoutes(services: Services, verifier: ApiKeyVerifier): FastifyPluginAsyncTypebox {
  const { pool } = services.db;
  return async (app) => {
    app.post('/v1/api-keys', {
      config: { permission: 'keys:admin' },
      schema: { tags: ['access'], summary: 'Create an API key for a user; the key is shown only in this answer', body: CreateBody, response: { 201: CreatedKey } },
    }, async (request, reply) => reply.status(201).send(await createApiKey(pool, request.body)));

    app.get('/v1/api-keys', {
      config: { permission: 'keys:admin' },
      schema: { tags: ['access'], summary: 'API keys with their owner, expiry and last use (never the key or its hash)', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(KeyListing) }) } },
    }, async (request) => ({ items: await listApiKeys(pool, request.query) }));

    app.delete('/v1/api-keys/:id', {
      config: { permission: 'keys:admin' },
      schema: { tags: ['access'], summary: 'Revoke a key: refused at once by this process, within 30 seconds by the others', params: IdParams, response: { 200: KeyListing } },
    }, async (request) => {
      const revoked = await revokeApiKey(pool, request.params.id);
      verifier.forget(revoked.id);
      return revoked;
    });
  };
}
