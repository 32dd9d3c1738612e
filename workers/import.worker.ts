/**
 * BullMQ processor: run an uploaded import too large to run in its request. The import runs in a thread
 * of its own (import.thread.ts) with a bounded heap; this process only waits for its outcome.
 */
import { Worker } from 'bullmq';
import { Worker as Thread } from 'node:worker_threads';
import { failImport } from '../src/imports/imports-store.js';
import type { ImportRun } from '../src/imports/run-import.js';
import { QUEUE_NAMES, WORKER_SETTINGS, type ImportJob } from '../src/runtime/queues.js';
import type { Services } from '../src/runtime/services.js';
import type { ImportThreadData } from './import.thread.js';

// An import holds a batch of rows at a time: a few MB live. The limit keeps the garbage of reading a
// large file collected early, and stops a runaway import instead of the whole process.
const THREAD_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32 };

export function startImportWorker(services: Services): Worker<ImportJob> {
  const { config, logger } = services;
  const threads = new Set<Thread>();
  const worker = new Worker<ImportJob>(
    QUEUE_NAMES.imports,
    async (job) => {
      const { importId, requestId } = job.data;
      const run = await runInThread(threads, { importId, databaseUrl: config.databaseUrl, rules: { languages: config.languages, defaultTimezone: config.defaultTimezone } });
      logger.info({ importId, run, requestId }, 'import run');
      return run;
    },
    { connection: services.redis, prefix: config.queuePrefix, ...WORKER_SETTINGS.imports },
  );
  // A stopping process does not wait for an import of a million rows: the job fails now and its next
  // attempt, on any worker, resumes after the last batch applied.
  worker.on('closing', () => threads.forEach((thread) => void thread.terminate()));
  // A crash or a database error is retried (the import resumes where it stopped); after the last attempt
  // the import is marked failed so that nobody waits for it.
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      failImport(services.db.pool, job.data.importId, `failed after ${job.attemptsMade} attempts: ${err.message}`).catch(() => undefined);
    }
  });
  return worker;
}

function runInThread(threads: Set<Thread>, data: ImportThreadData): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const thread = new Thread(threadBoot(), { eval: true, workerData: data, resourceLimits: THREAD_LIMITS });
    threads.add(thread);
    let outcome: ImportRun | undefined;
    thread.once('message', (run: ImportRun) => (outcome = run));
    thread.once('error', reject);
    thread.once('exit', (code) => {
      threads.delete(thread);
      if (outcome) resolve(outcome);
      else reject(new Error(`the import thread stopped (exit code ${code}) before the import ended`));
    });
  });
}

/** The thread's first code: load import.thread, through tsx when this runs from TypeScript sources. */
function threadBoot(): string {
  const entry = new URL(`./import.thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  if (!entry.endsWith('.ts')) return `import(${JSON.stringify(entry)})`;
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
}
