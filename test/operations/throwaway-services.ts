/**
 * Stores a test may break without breaking anyone else's: a Redis server of its own (killed and
 * restarted on the same port, losing its data like a Redis without persistence), and a TCP proxy in
 * front of the shared PostgreSQL that can be cut and restored (PostgreSQL itself keeps running).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort, waitFor } from '../support/harness.js';

export class ThrowawayRedis {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    await waitFor('redis-server to listen', () => canConnect(this.port), 10_000, 50);
  }

  /** As abruptly as a crash: no shutdown, no chance to save. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export class PostgresCut {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** A proxy to the database of `databaseUrl`; `url` is the same URL through the proxy. */
  static async start(databaseUrl: string): Promise<PostgresCut & { url: string }> {
    const target = new URL(databaseUrl);
    const cut = new PostgresCut(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await cut.restore();
    target.port = String(cut.port);
    return Object.assign(cut, { url: target.toString() });
  }

  async restore(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Refuses new connections and breaks the open ones, as a network partition would. */
  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
