/**
 * What the workers' recovery did, read from their log lines: recovery.ts logs each round of resolving
 * interrupted sends (examined, found at the provider, released for a resend, failed) and each rebuild
 * of the queues after Redis lost its data. A killed worker's lines up to its death count too.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type RecoveryTally = { examined: number; foundAtProvider: number; released: number; failed: number; undecided: number; queueRebuilds: number };

export class RecoveryLog {
  readonly tally: RecoveryTally = { examined: 0, foundAtProvider: 0, released: 0, failed: 0, undecided: 0, queueRebuilds: 0 };

  watch(stdout: Readable): void {
    createInterface({ input: stdout }).on('line', (line) => {
      // Only the two kinds of lines that matter are parsed: workers log a line per send job besides.
      if (line.includes('"msg":"resolved interrupted sends"')) {
        const round = JSON.parse(line) as Partial<RecoveryTally>;
        for (const key of ['examined', 'foundAtProvider', 'released', 'failed', 'undecided'] as const) this.tally[key] += round[key] ?? 0;
      } else if (line.includes('"msg":"rebuilt queues from the database"')) {
        this.tally.queueRebuilds++;
      }
    });
  }
}
