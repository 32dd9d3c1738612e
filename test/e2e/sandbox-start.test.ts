/**
 * The README's command (`npm start`) with no Twilio settings: the sandbox provider accepts the messages
 * and plays signed status callbacks through the real webhook, and the whole flow completes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUTH_TOKEN } from '../../src/runtime/config.js';
import { twilioSignature } from '../twilio-server/server.js';
import { freePort, resetDatabase, waitFor } from '../support/harness.js';

describe('npm start with the sandbox provider', () => {
  const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
  let child: ChildProcess;
  let base: string;
  let output = '';

  const api = async (method: string, path: string, body?: unknown, key = adminKey) => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    await resetDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn('npm', ['start'], {
      env: {
        ...process.env,
        PORT: String(port),
        PUBLIC_BASE_URL: base,
        CAMPANA_ADMIN_KEY: adminKey,
        QUEUE_PREFIX: `{sandbox-${randomBytes(3).toString('hex')}}`,
        SANDBOX_CALLBACK_DELAY_MS: '100',
        SANDBOX_FAILURE_RATE: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor('the service to be ready', async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 60_000, 250);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('sends a two-step campaign, applies the sandbox callbacks, and honours STOP', async () => {
    for (const [phone, language, channel] of [['0982 200 001', 'es', 'whatsapp'], ['0982 200 002', 'gn', 'sms'], ['0982 200 003', 'gn', 'whatsapp']] as const) {
      expect((await api('POST', '/v1/contacts', { phone, role: 'parent', language, channel, name: 'Familia' })).status).toBe(201);
    }
    const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const created = await api('POST', '/v1/campaigns', {
      name: 'Sandbox',
      steps: [
        { sendAt: at(1), content: { es: { body: 'Hola {{contact.name}}' }, gn: { body: 'Maitei {{contact.name}}' } } },
        { sendAt: at(5), content: { es: { body: 'Semana 2' } } },
      ],
    });
    expect(created.status).toBe(201);
    // A refused report request says so, rather than failing later on a missing field.
    const fetchReport = async () => {
      const { status, body } = await api('GET', `/v1/campaigns/${created.body.id}/report`);
      if (status !== 200) throw new Error(`the report answered ${status}: ${JSON.stringify(body)}`);
      return body;
    };
    // Four eyes: a second person, an approver created through the API, approves.
    const approver = await api('POST', '/v1/users', { name: 'Aprobadora', role: 'approver' });
    const approverKey = await api('POST', '/v1/api-keys', { userId: approver.body.id, name: 'test' });
    expect((await api('POST', `/v1/campaigns/${created.body.id}/approve`, undefined, approverKey.body.key)).status).toBe(200);

    await waitFor('step 1 delivered', async () => {
      const body = await fetchReport();
      return body.steps[0].delivered + body.steps[0].read === 3;
    });
    // A STOP from the Guarani WhatsApp contact, signed as Twilio (here: the sandbox token) would sign it.
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: 'whatsapp:+595982200003', To: 'whatsapp:+595210000001', Body: 'BAJA' };
    const url = `${base}/webhooks/twilio/inbound`;
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(SANDBOX_AUTH_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toMatch(/<Message>.+<\/Message>/);

    const report = await waitFor('the campaign to complete with callbacks applied', async () => {
      const body = await fetchReport();
      return body.total.queued === 0 && body.total.sent === 0 && body.steps[1].total === 3 && body;
    });
    expect(report.steps[1]).toMatchObject({ targeted: 3, skipped: 1, skippedBy: { opted_out: 1 } });
    expect(report.steps[1].delivered + report.steps[1].read).toBe(2);
    expect(output).not.toContain('+595982200003');
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // What a process manager does: signal the service process (npm passes its exit code on).
    const service = execFileSync('pgrep', ['-g', String(child.pid), '-f', '^node .*src/main.ts all']).toString().trim().split('\n')[0]!;
    process.kill(Number(service), 'SIGTERM');
    // On failure the end of the log shows why: a deadline names what it waited for, a crash its stack.
    const code = await exited;
    expect(code, `exit code ${code}; the log ends:\n${output.split('\n').slice(-40).join('\n')}`).toBe(0);
    expect(output).toContain('shutting down');
  });
});
