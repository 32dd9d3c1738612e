/**
 * Entry point: `main.ts all` (API and workers in one process, the default), `main.ts api` or
 * `main.ts worker` (any number of them). SIGTERM stops accepting requests, lets workers finish or hand
 * back their jobs, then closes connections.
 */
import type { Server } from 'node:http';
import { startWorkers, type RunningWorkers } from '../workers/index.js';
import { ensureAdminKey } from './access/api-keys.js';
import { buildApp } from './app.js';
import { startMetricsListener } from './operations/metrics-endpoint.js';
import { ConfigError, loadConfig } from './runtime/config.js';
import { createLogger } from './runtime/logger.js';
import { openServices } from './runtime/services.js';

/** Longer than a send batch takes at the slowest configured pace; shorter than a process manager waits. */
const SHUTDOWN_DEADLINE_MS = 25_000;

const mode = process.argv[2] ?? 'all';
if (!['all', 'api', 'worker'].includes(mode)) {
  console.error(`usage: main.ts [all|api|worker] (got "${mode}")`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const services = openServices(config, logger);
let workers: RunningWorkers | undefined;
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
let metricsListener: Server | undefined;

if (mode !== 'worker') {
  const firstKey = await ensureAdminKey(services.db.pool, config.adminKey);
  // Shown once, like any new key, and never logged.
  if (firstKey) process.stderr.write(`\nNo CAMPANA_ADMIN_KEY was set: created the first admin API key (shown only now):\n\n  ${firstKey}\n\n`);
  app = await buildApp(services);
  await app.listen({ port: config.port, host: config.host });
}
if (mode !== 'api') {
  workers = startWorkers(services);
  // The API serves /metrics on PORT; a worker process has no HTTP server unless asked for one.
  if (config.metricsPort) metricsListener = await startMetricsListener(config.metricsPort, config.metricsToken);
}
logger.info({ mode, provider: services.provider.name, publicBaseUrl: config.publicBaseUrl, metricsPort: metricsListener ? config.metricsPort : undefined }, 'campana started');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Named so that a shutdown past its deadline says what it was still waiting for.
  let waitingFor = 'the API';
  // Past this, whatever is still running is handed back the hard way: unfinished sends are claims that
  // expire and are resolved by asking the provider, unfinished jobs are retried by BullMQ.
  setTimeout(() => {
    logger.error({ afterMs: SHUTDOWN_DEADLINE_MS, waitingFor }, 'shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  await app?.close(); // stops accepting, answers the requests in progress
  waitingFor = 'the workers';
  await workers?.close(); // lets each worker finish its current job
  metricsListener?.close();
  waitingFor = 'the connections';
  await services.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
