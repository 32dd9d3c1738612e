/**
 * Following a message through the logs: the API call that queued it (its request id), the worker that
 * sent it (the same request id, with the delivery ids of the batch), the status callbacks that came
 * back (the delivery id). Every line is structured JSON.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/harness.js';
import { campaignCompleted, insertSmsContacts } from './campaign-fixture.js';
import { LogCapture } from './log-capture.js';
import { useTwilioHarness } from './twilio-harness.js';

describe('a request id from the API through the workers to the webhook', () => {
  const logs = new LogCapture();
  const campana = useTwilioHarness({
    twilio: { callbacks: { enabled: true, delayMs: 20 } },
    harness: { logDestination: logs, env: { LOG_LEVEL: 'debug', SMS_RATE_PER_SECOND: '20', SEND_BATCH_SIZE: '5', SEND_CONCURRENCY: '1' } },
  });
  const { twilio } = campana;
  beforeAll(async () => {
    await insertSmsContacts(campana.h.services.db.pool, 40);
  });

  // Approved, paused and resumed by an approver (the author may not approve).
  const post = (path: string, requestId: string) => fetch(campana.h.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${campana.approverKey}`, 'x-request-id': requestId } });

  it('logs the resume request, the batches it queued and the callbacks of their deliveries under one trail', async () => {
    const created = await campana.h.api('POST', '/v1/campaigns', { name: 'Trail', audience: { roles: ['parent'] }, steps: [{ sendAt: new Date(Date.now() + 500).toISOString(), content: { es: { body: 'Aviso' } } }] });
    const id = created.body.id as number;
    expect((await post(`/v1/campaigns/${id}/approve`, 'approve-0001')).headers.get('x-request-id')).toBe('approve-0001');
    await waitFor('sending under way', async () => twilio.messages.length >= 5, 20_000, 20);
    expect((await post(`/v1/campaigns/${id}/pause`, 'pause-0001')).status).toBe(200);
    expect((await post(`/v1/campaigns/${id}/resume`, 'resume-0001')).status).toBe(200);
    await waitFor('the step completed', () => campaignCompleted(campana.h.api, id), 30_000, 200);
    await twilio.whenCallbacksSettled();
    await waitFor('callbacks logged', async () => logs.entries('status callback').length >= 40);

    const changes = logs.entries('api change').filter((e) => e.route !== '/v1/campaigns');
    expect(changes.map((e) => [e.requestId, e.route, (e.params as { id: number }).id, e.status])).toEqual([
      ['approve-0001', '/v1/campaigns/:id/approve', id, 200],
      ['pause-0001', '/v1/campaigns/:id/pause', id, 200],
      ['resume-0001', '/v1/campaigns/:id/resume', id, 200],
    ]);

    const resumed = logs.entries('send batch done').filter((e) => e.requestId === 'resume-0001');
    expect(resumed.length).toBeGreaterThan(0);
    const deliveryIds = resumed.flatMap((e) => e.deliveryIds as string[]);
    const callbacks = logs.entries('status callback');
    for (const deliveryId of deliveryIds.slice(0, 5)) {
      expect(callbacks.filter((c) => c.deliveryId === deliveryId).map((c) => c.status)).toContain('delivered');
    }
    for (const entry of [...changes, ...resumed, ...callbacks]) expect(entry).toMatchObject({ service: 'campana', time: expect.any(String), level: expect.any(Number) });
  });
});
