/** Campana as operators run it: `node --import tsx src/main.ts <mode>` in a process of its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export type ServiceProcess = {
  child: ChildProcess;
  /** stdout and stderr so far. */
  readonly output: string;
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
};

/** Starts main.ts on the test database and Redis, with a queue prefix of its own unless `env` gives one. */
export function spawnService(mode: 'all' | 'api' | 'worker', env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', mode], {
    env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: `{proc-${randomBytes(3).toString('hex')}}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    get output() {
      return output;
    },
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
