/**
 * The audit log: who did what to which record, when, what changed, and in which request. Written on the
 * same connection as the change it records, inside its transaction, so neither exists without the other.
 */
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { callerOf } from '../access/authenticate.js';
import type { FieldChanges } from './field-diff.js';

type Queryable = Pick<pg.Pool, 'query'>;

/** Who a change is attributed to: the caller's user and the request it came in. */
export type Actor = { userId: number; requestId: string };

export function actorOf(request: FastifyRequest): Actor {
  return { userId: callerOf(request).userId, requestId: request.id };
}

export const AUDIT_ENTITIES = ['campaign', 'contact', 'user', 'setting', 'archive_entry'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export type AuditRecord = {
  /** `<entity>.<verb>`, e.g. campaign.approve */
  action: string;
  entityType: AuditEntity;
  entityId: string | number;
  changes?: FieldChanges | Record<string, unknown>;
};

export async function writeAudit(db: Queryable, actor: Actor, record: AuditRecord): Promise<void> {
  await db.query('INSERT INTO audit_log (user_id, action, entity_type, entity_id, changes, request_id) VALUES ($1, $2, $3, $4, $5::jsonb, $6)', [
    actor.userId,
    record.action,
    record.entityType,
    String(record.entityId),
    JSON.stringify(record.changes ?? {}),
    actor.requestId,
  ]);
}

/** Whether the user is recorded doing any of these actions to the record. */
export async function hasActed(db: Queryable, userId: number, entityType: AuditEntity, entityId: string | number, actions: string[]): Promise<boolean> {
  const { rows } = await db.query<{ acted: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity_type = $1 AND entity_id = $2 AND user_id = $3 AND action = ANY($4::text[])) AS acted',
    [entityType, String(entityId), userId, actions],
  );
  return rows[0]!.acted;
}
