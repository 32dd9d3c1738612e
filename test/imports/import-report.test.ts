import { describe, expect, it } from 'vitest';
import { rowsPerSecond } from '../../src/imports/import-report.js';

const at = (seconds: number) => new Date(Date.UTC(2027, 2, 1, 12, 0, seconds));

describe('rowsPerSecond', () => {
  it('is the rows read over the time since the import started, until it finished', () => {
    expect(rowsPerSecond({ rows_done: 30_000, started_at: at(0), finished_at: null }, at(3))).toBe(10_000);
    expect(rowsPerSecond({ rows_done: 30_000, started_at: at(0), finished_at: at(4) }, at(50))).toBe(7_500);
  });

  it('is 0 before an import starts', () => {
    expect(rowsPerSecond({ rows_done: 0, started_at: null, finished_at: null }, at(3))).toBe(0);
    expect(rowsPerSecond({ rows_done: 10, started_at: at(3), finished_at: null }, at(3))).toBe(0);
  });
});
