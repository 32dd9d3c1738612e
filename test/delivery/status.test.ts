import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { advance, advanceSql, DELIVERY_STATUSES, fromProviderStatus, type DeliveryStatus } from '../../src/delivery/status.js';

describe('delivery status lattice', () => {
  it.each([
    ['queued', 'sent', 'sent'],
    ['sent', 'queued', 'sent'],
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'sent', 'delivered'],
    ['delivered', 'read', 'read'],
    ['read', 'delivered', 'read'],
    ['sent', 'undelivered', 'undelivered'],
    ['undelivered', 'delivered', 'undelivered'],
    ['failed', 'sent', 'failed'],
    ['delivered', 'failed', 'delivered'],
    ['skipped', 'sent', 'skipped'],
    ['cancelled', 'delivered', 'cancelled'],
  ] as const)('%s + %s = %s', (current, incoming, expected) => {
    expect(advance(current, incoming)).toBe(expected);
  });

  it('ends in the true final status whatever order and repetition the callbacks come in', () => {
    const lifecycles: DeliveryStatus[][] = [['sent', 'delivered', 'read'], ['sent', 'delivered'], ['sent', 'undelivered'], ['failed']];
    for (const lifecycle of lifecycles) {
      for (let trial = 0; trial < 200; trial++) {
        const shuffled = [...lifecycle, ...lifecycle.filter(() => Math.random() < 0.5)].sort(() => Math.random() - 0.5);
        expect(shuffled.reduce<DeliveryStatus>((status, incoming) => advance(status, incoming), 'queued')).toBe(lifecycle[lifecycle.length - 1]);
      }
    }
  });

  it('maps Twilio’s statuses', () => {
    expect(fromProviderStatus('accepted')).toBe('queued');
    expect(fromProviderStatus('read')).toBe('read');
    expect(fromProviderStatus('canceled')).toBe('failed');
    expect(fromProviderStatus('receiving')).toBeNull();
  });

  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  afterAll(() => client.end());

  it('says the same in SQL as in TypeScript, for every pair', async () => {
    await client.connect();
    const pairs = DELIVERY_STATUSES.flatMap((current) => DELIVERY_STATUSES.map((incoming) => [current, incoming] as const));
    const { rows } = await client.query<{ current: string; incoming: string; result: string }>(
      `SELECT p.current, p.incoming, ${advanceSql('p.current::delivery_status', 'p.incoming')}::text AS result
       FROM unnest($1::text[], $2::text[]) AS p(current, incoming)`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    expect(rows).toHaveLength(pairs.length);
    for (const row of rows) expect(row.result, `${row.current} + ${row.incoming}`).toBe(advance(row.current as DeliveryStatus, row.incoming as DeliveryStatus));
  });
});
