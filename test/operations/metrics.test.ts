/**
 * /metrics in Prometheus' text format: request and webhook counters, status callbacks, opt-outs, queue
 * depth and the age of the oldest waiting job, import progress; the worker processes' own listener; the
 * optional scrape token.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { metrics } from '../../src/operations/metrics.js';
import { startMetricsListener } from '../../src/operations/metrics-endpoint.js';
import { newSid, postSigned } from '../security/webhook-client.js';
import { freePort, waitFor } from '../support/harness.js';
import { spawnService } from './service-process.js';
import { useTwilioHarness } from './twilio-harness.js';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metrics', () => {
  const campana = useTwilioHarness({ harness: { workers: false } });
  const { twilio } = campana;
  const scrape = async () => (await fetch(`${campana.h.baseUrl}/metrics`)).text();

  it('answers in the Prometheus text format, with process metrics', async () => {
    const response = await fetch(`${campana.h.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('# TYPE campana_http_requests_total counter');
    expect(text).toContain('# TYPE campana_process_resident_memory_bytes gauge');
  });

  it('counts requests by route pattern and status, webhooks included', async () => {
    const route = 'campana_http_requests_total{method="POST",route="/webhooks/twilio/status",status="204"}';
    const before = sample(await scrape(), route);
    for (let i = 0; i < 3; i++) await postSigned(campana.h, '/webhooks/twilio/status?d=7', { MessageSid: newSid(), MessageStatus: 'delivered', AccountSid: twilio.accountSid, To: 'whatsapp:+595981000001' }, twilio.authToken);
    await fetch(`${campana.h.baseUrl}/v1/contacts/12345`, { headers: { authorization: `Bearer ${campana.h.adminKey}` } });
    const after = await scrape();
    expect(sample(after, route) - before).toBe(3);
    expect(sample(after, 'campana_http_requests_total{method="GET",route="/v1/contacts/:id",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'campana_message_status_callbacks_total{channel="whatsapp",status="delivered"}')).toBeGreaterThanOrEqual(3);
  });

  it('counts opt-outs by replies once per message, however often Twilio repeats it', async () => {
    const series = 'campana_opt_outs_total{source="reply"}';
    const before = sample(await scrape(), series);
    await campana.h.api('POST', '/v1/contacts', { phone: '0981 700 001', role: 'parent' });
    const stop = { MessageSid: newSid(), AccountSid: twilio.accountSid, From: '+595981700001', To: '+595210000098', Body: 'SALIR' };
    for (let i = 0; i < 2; i++) expect((await postSigned(campana.h, '/webhooks/twilio/inbound', stop, twilio.authToken)).status).toBe(200);
    expect(sample(await scrape(), series) - before).toBe(1);
  });

  it('reports each queue’s jobs by state and how long the oldest has waited', async () => {
    await campana.h.services.queues.send.add('send', { runId: 0, deliveryIds: [] });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await campana.h.services.queues.send.add('send', { runId: 0, deliveryIds: [] });
    await campana.h.services.queues.send.add('send', { runId: 0, deliveryIds: [] }, { delay: 60_000 });
    const text = await scrape();
    expect(sample(text, 'campana_queue_jobs{queue="send",state="waiting"}')).toBe(2);
    expect(sample(text, 'campana_queue_jobs{queue="send",state="delayed"}')).toBe(1);
    expect(sample(text, 'campana_queue_jobs{queue="fanout",state="waiting"}')).toBe(0);
    expect(text).toContain('campana_queue_jobs{queue="imports",state="active"} 0');
    expect(sample(text, 'campana_queue_oldest_waiting_seconds{queue="send"}')).toBeGreaterThanOrEqual(1.2);
    expect(sample(text, 'campana_queue_oldest_waiting_seconds{queue="fanout"}')).toBe(0);
  });

  it('reports import progress from the database', async () => {
    const { rows } = await campana.h.services.db.pool.query<{ id: number }>(`INSERT INTO imports (kind, status, rows_done) VALUES ('contacts', 'running', 41500) RETURNING id`);
    const text = await scrape();
    expect(sample(text, `campana_import_rows_done{import_id="${rows[0]!.id}",kind="contacts"}`)).toBe(41500);
    expect(sample(text, 'campana_imports{status="running"}')).toBe(1);
  });

  it('exposes what workers count through the typed API', async () => {
    metrics.messagesSent.inc({ channel: 'sms', status: 'accepted' }, 2);
    metrics.providerErrors.inc({ code: '21211' });
    metrics.sendLatency.observe({ channel: 'sms' }, 0.12);
    const text = await scrape();
    expect(sample(text, 'campana_messages_sent_total{channel="sms",status="accepted"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'campana_provider_errors_total{code="21211"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'campana_send_latency_seconds_bucket{le="0.25",channel="sms"}')).toBeGreaterThanOrEqual(1);
  });

  it('is served by a worker process on METRICS_PORT', async () => {
    const port = await freePort();
    const worker = spawnService('worker', { METRICS_PORT: String(port) });
    onTestFinished(() => void worker.child.kill('SIGKILL'));
    const text = await waitFor('the worker’s metrics', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      return response?.ok && response.text();
    });
    expect(text).toContain('# TYPE campana_messages_sent_total counter');
    expect(text).not.toContain('campana_queue_jobs'); // the API reports the shared stores, once
    expect(await worker.stop()).toBe(0);
  });

  describe('on worker processes (METRICS_PORT), with METRICS_TOKEN', () => {
    let listener: Server;
    let url: string;
    beforeAll(async () => {
      const port = await freePort();
      listener = await startMetricsListener(port, 'metrics-token-000000');
      url = `http://127.0.0.1:${port}`;
    });
    afterAll(() => listener?.close());

    it.each([
      { path: '/metrics', authorization: 'Bearer metrics-token-000000', status: 200 },
      { path: '/metrics', authorization: undefined, status: 401 },
      { path: '/metrics', authorization: 'Bearer metrics-token-000001', status: 401 },
      { path: '/other', authorization: 'Bearer metrics-token-000000', status: 404 },
    ])('answers $status to $path with $authorization', async ({ path, authorization, status }) => {
      const response = await fetch(url + path, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(status);
      if (status === 200) expect(await response.text()).toContain('campana_messages_sent_total');
    });
  });
});
