/**
 * People who use Campana, each with one role. A communicator may be limited to some departments (their
 * campaigns may address no one else); other roles act on the whole country. API keys for a user are
 * created through the API-key routes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import Type from 'typebox';
import { ROLES } from '../access/permissions.js';
import { actorOf, writeAudit } from '../audit/audit-log.js';
import { diffFields } from '../audit/field-diff.js';
import { badRequest, conflict } from '../http/errors.js';
import { inTransaction } from '../runtime/database.js';
import type { Services } from '../runtime/services.js';

const UserBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    role: Type.Enum(ROLES),
    departments: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2}$' }), { uniqueItems: true, maxItems: 18, description: 'Communicators only: the department codes they may address; none means the whole country' })),
  },
  { additionalProperties: false, examples: [{ name: 'Lucía Benítez', email: 'lucia@inee.edu.py', role: 'communicator', departments: ['11'] }] },
);

const ListQuery = Type.Object({ role: Type.Optional(Type.Enum(ROLES)) }, { additionalProperties: false });

const USER_COLUMNS = `id, name, email, role, departments, created_at AS "createdAt", disabled_at AS "disabledAt"`;

export function usersRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { pool } = services.db;
  return async (app) => {
    app.post('/v1/users', {
      config: { permission: 'users:admin' },
      schema: { tags: ['users'], summary: 'Add a user with a role (admin, communicator, approver, viewer)', body: UserBody },
    }, async (request, reply) => {
      const { name, email, role, departments = [] } = request.body;
      if (departments.length && role !== 'communicator') throw badRequest(`departments limit communicators only; a ${role} acts on the whole country`);
      const user = await inTransaction(pool, async (client) => {
        const created = await insertUser(client, { name, email: email ?? null, role, departments });
        await writeAudit(client, actorOf(request), { action: 'user.create', entityType: 'user', entityId: created.id, changes: diffFields({}, { name, email: email ?? null, role, departments }) });
        return created;
      });
      return reply.status(201).send(user);
    });

    app.get('/v1/users', {
      config: { permission: 'users:admin' },
      schema: { tags: ['users'], summary: 'Every user, by id', querystring: ListQuery },
    }, async (request) => {
      const { rows } = await pool.query(`SELECT ${USER_COLUMNS} FROM users WHERE ($1::user_role IS NULL OR role = $1) ORDER BY id`, [request.query.role ?? null]);
      return { items: rows };
    });
  };
}

async function insertUser(client: pg.PoolClient, user: { name: string; email: string | null; role: string; departments: string[] }) {
  try {
    const { rows } = await client.query(`INSERT INTO users (name, email, role, departments) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`, [user.name, user.email, user.role, user.departments]);
    return rows[0] as { id: number };
  } catch (err) {
    if ((err as { constraint?: string }).constraint === 'users_email_key') throw conflict(`a user with email ${user.email} exists already`);
    throw err;
  }
}
