/** Log lines a service wrote, as rendered (after redaction and scrubbing), for tests to search. */
import type { LogDestination } from '../../src/runtime/logger.js';

export class LogCapture implements LogDestination {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('');
  }

  /** Parsed lines whose message is `msg`. */
  entries(msg?: string): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => msg === undefined || e.msg === msg);
  }
}
