/**
 * Configuration errors name the variable and the form it expects, never repeat a secret, and stop the
 * process with that message; a process that starts does not log its secrets.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../../src/runtime/config.js';
import { freePort, waitFor } from '../support/harness.js';
import { spawnService } from './service-process.js';

const TWILIO = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'twilio-auth-token-0000', TWILIO_SMS_FROM: '+595210000098' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('configuration at start', () => {
  it.each<{ env: Record<string, string>; problem: string }>([
    { env: { PORT: '70000' }, problem: 'PORT must be a port number from 1 to 65535 (got "70000")' },
    { env: { DATABASE_URL: 'mysql://root:hunter2@db/campana' }, problem: 'DATABASE_URL must be a postgresql:// URL (got a value of 31 characters, not shown)' },
    { env: { REDIS_URL: 'localhost:6379' }, problem: 'REDIS_URL must be a redis:// or rediss:// URL (got a value of 14 characters, not shown)' },
    { env: { PUBLIC_BASE_URL: 'campana.example.org' }, problem: 'PUBLIC_BASE_URL must be an http(s) URL without query, e.g. https://campana.example.org (got "campana.example.org")' },
    { env: { CAMPANA_ADMIN_KEY: 'short-secret' }, problem: 'CAMPANA_ADMIN_KEY must be at least 24 characters (got a value of 12 characters, not shown)' },
    { env: { ...TWILIO, TWILIO_AUTH_TOKEN: 'tiny-secret' }, problem: 'TWILIO_AUTH_TOKEN must be the account auth token (got a value of 11 characters, not shown)' },
    { env: { ...TWILIO, TWILIO_AUTH_TOKEN_SECONDARY: 'tiny-secret' }, problem: 'TWILIO_AUTH_TOKEN_SECONDARY must be an auth token of the account (the other one, during a rotation) (got a value of 11 characters, not shown)' },
    { env: { TWILIO_AUTH_TOKEN_SECONDARY: 'secondary-token-00000' }, problem: 'TWILIO_AUTH_TOKEN_SECONDARY is set but TWILIO_ACCOUNT_SID is not: set both, or neither to use the sandbox provider' },
    { env: { RETENTION_DAYS: '0' }, problem: 'RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "0")' },
    { env: { RATE_LIMIT_API_PER_MINUTE: 'lots' }, problem: 'RATE_LIMIT_API_PER_MINUTE must be a whole number of requests per minute per API key, 1 to 1000000 (got "lots")' },
    { env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '-5' }, problem: 'RATE_LIMIT_PUBLIC_PER_MINUTE must be a whole number of requests per minute per client address, 1 to 1000000 (got "-5")' },
    { env: { TRUST_PROXY: 'yes please' }, problem: 'TRUST_PROXY must be true, false, or the comma-separated addresses/CIDRs of your proxies, such as 10.0.0.0/8 (got "yes please")' },
    { env: { METRICS_PORT: '0' }, problem: 'METRICS_PORT must be a port number from 1 to 65535 (got "0")' },
    { env: { METRICS_TOKEN: 'abc' }, problem: 'METRICS_TOKEN must be at least 16 characters (got a value of 3 characters, not shown)' },
  ])('names the variable and the expected form: $problem', ({ env, problem }) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', RETENTION_DAYS: 'forever' }).map((p) => p.split(' ')[0])).toEqual(['PORT', 'LOG_LEVEL', 'RETENTION_DAYS']);
  });

  it.each([
    { env: {}, read: (c: ReturnType<typeof loadConfig>) => [c.retentionDays, c.rateLimits.apiPerMinute, c.rateLimits.publicPerMinute, c.trustProxy, c.metricsPort], expected: [180, 1200, 120, false, undefined] },
    { env: { TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }, read: (c: ReturnType<typeof loadConfig>) => [c.trustProxy], expected: ['10.0.0.0/8,192.168.1.1'] },
    { env: { ...TWILIO, TWILIO_AUTH_TOKEN_SECONDARY: 'secondary-token-00000' }, read: (c: ReturnType<typeof loadConfig>) => c.webhookVerifyTokens, expected: [TWILIO.TWILIO_AUTH_TOKEN, 'secondary-token-00000'] },
  ])('reads good values: $expected', ({ env, read, expected }) => {
    expect(read(loadConfig(env))).toEqual(expected);
  });

  it('stops the process with the message, exit code 1, before touching anything', async () => {
    const service = spawnService('api', { PORT: 'eighty', TWILIO_AUTH_TOKEN: 'a-secret-that-should-not-leak' });
    expect(await service.exited).toBe(1);
    expect(service.output).toContain('Invalid configuration:\n  - PORT must be a port number from 1 to 65535 (got "eighty")');
    expect(service.output).toContain('TWILIO_AUTH_TOKEN is set but TWILIO_ACCOUNT_SID is not');
    expect(service.output).not.toContain('a-secret-that-should-not-leak');
  });

  it('starts without logging its secrets, even at debug level, and stops on SIGTERM', async () => {
    const port = await freePort();
    const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
    const env = { ...TWILIO, TWILIO_AUTH_TOKEN_SECONDARY: 'secondary-token-00000', TWILIO_API_URL: 'http://127.0.0.1:9', CAMPANA_ADMIN_KEY: adminKey, METRICS_TOKEN: 'metrics-token-000000', PORT: String(port), LOG_LEVEL: 'debug' };
    const service = spawnService('api', env);
    onTestFinished(() => void service.child.kill('SIGKILL'));
    await waitFor('the API', async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok, 30_000, 200);
    await fetch(`http://127.0.0.1:${port}/v1/contacts`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(await service.stop()).toBe(0);
    const { output } = service;
    expect(output).toContain('campana started');
    for (const secret of [adminKey, TWILIO.TWILIO_AUTH_TOKEN, 'secondary-token-00000', 'metrics-token-000000']) expect(output).not.toContain(secret);
  });
});
