/**
 * A whole Campana as real processes, the way it runs in production: the Twilio-compatible server, one
 * API and N workers (`node --import tsx src/main.ts api|worker`), on the fault tests' database and
 * Redis db. Workers can be killed with SIGKILL and replaced while a step is being sent.
 */
import { randomBytes } from 'node:crypto';
import { deploymentEnv, getJson, sleep, startProcess, startTwilioServer, stop, type Child } from '../../../bench/support.js';
import { freePort } from '../../support/harness.js';
import { ACCOUNT_SID, AUTH_TOKEN, FAULTS_DATABASE_URL, FAULTS_REDIS_URL, SMS_FROM, WHATSAPP_FROM } from './environment.js';
import { RecoveryLog } from './recovery-log.js';

export type DeploymentOptions = {
  workers: number;
  /** Extra flags of test/twilio-server/main.ts: faults, duplicated and shuffled callbacks. */
  twilioArgs: string[];
  /** Extra environment of the API and the workers (rates, concurrency). */
  env: Record<string, string>;
};

export class Deployment {
  readonly recovery = new RecoveryLog();
  private readonly workers: Child[] = [];
  private workersStarted = 0;

  private constructor(
    private readonly children: Child[],
    readonly twilioUrl: string,
    readonly baseUrl: string,
    readonly adminKey: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(options: DeploymentOptions): Promise<Deployment> {
    const children: Child[] = [];
    try {
      const twilio = await startTwilioServer(ACCOUNT_SID, AUTH_TOKEN, options.twilioArgs);
      children.push(twilio.child);
      const twilioUrl = twilio.url;
      const port = await freePort();
      const adminKey = `cmp_${randomBytes(24).toString('base64url')}`;
      const env = {
        ...deploymentEnv({ databaseUrl: FAULTS_DATABASE_URL, redisUrl: FAULTS_REDIS_URL, port, adminKey, twilioUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsFrom: SMS_FROM, whatsappFrom: WHATSAPP_FROM }),
        // Fast senders: what is tested is exactly-once delivery, not pacing.
        SMS_RATE_PER_SECOND: '2000',
        WHATSAPP_RATE_PER_SECOND: '2000',
        // Workers log each recovery round at info (see RecoveryLog); the API's info lines are noise here.
        LOG_LEVEL: 'info',
        ...options.env,
      };
      const deployment = new Deployment(children, twilioUrl, `http://127.0.0.1:${port}`, adminKey, env);
      const api = startProcess('api', 'src/main.ts', ['api'], { ...env, LOG_LEVEL: 'warn' });
      children.push(api);
      for (let i = 0; i < options.workers; i++) deployment.startWorker();
      await deployment.untilReady(api);
      return deployment;
    } catch (err) {
      await stop(children);
      throw err;
    }
  }

  /** SIGKILL the oldest running worker (no shutdown of any kind), then start a replacement. */
  async killWorker(): Promise<void> {
    const victim = this.workers.shift();
    if (!victim) throw new Error('no worker left to kill');
    const exited = new Promise((resolve) => victim.process.once('exit', resolve));
    victim.process.kill('SIGKILL');
    await exited;
    this.startWorker();
  }

  async counts(): Promise<{ messages: number }> {
    return getJson<{ messages: number }>(`${this.twilioUrl}/_control/counts`);
  }

  /** Output of every process, for a failure message. */
  output(): string {
    return this.children.map((c) => `--- ${c.name} ---\n${c.output().slice(-3000)}`).join('\n');
  }

  async stop(): Promise<void> {
    await stop(this.children);
  }

  private startWorker(): void {
    const worker = startProcess(`worker ${++this.workersStarted}`, 'src/main.ts', ['worker'], this.env);
    this.recovery.watch(worker.process.stdout!);
    this.workers.push(worker);
    this.children.push(worker);
  }

  private async untilReady(api: Child): Promise<void> {
    for (let tries = 0; !(await fetch(`${this.baseUrl}/readyz`).then((r) => r.ok, () => false)); tries++) {
      if (tries > 240) throw new Error(`the API did not start:\n${api.output()}`);
      await sleep(250);
    }
  }
}
