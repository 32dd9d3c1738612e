/**
 * `npm run bench:audience`: how long an audience preview takes on the national data set (about a million
 * contacts), for filters a communicator would use. Each filter is previewed RUNS times after one warm-up,
 * through the same function POST /v1/audiences/preview runs; prints p50 and max per filter.
 *   --scale 1        size of the national data set (loaded on first use into NATIONAL_DATABASE_URL)
 *   --compare        measure without the proposed covering index first, then with it
 *   --explain        print EXPLAIN ANALYZE of the whole-country preview
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { audienceCondition, type AudienceFilter } from '../src/audiences/filter.js';
import { previewAudience } from '../src/audiences/preview.js';
import { toQuery, sql } from '../src/shared/sql.js';
import { AUDIENCE_INDEX, ensureNationalData, openNationalDatabase } from '../scripts/national/database.js';

const RUNS = 15;

const FILTERS: Array<{ name: string; filter: AudienceFilter }> = [
  { name: 'whole country', filter: {} },
  { name: 'all parents', filter: { roles: ['parent'] } },
  { name: 'Central (11)', filter: { departments: ['11'] } },
  { name: 'parents, Central + Itapúa', filter: { roles: ['parent'], departments: ['11', '07'] } },
  { name: 'rural parents in Guarani', filter: { roles: ['parent'], zones: ['rural'], languages: ['gn'] } },
  { name: 'teachers and directors', filter: { roles: ['teacher', 'director'] } },
  { name: 'parents of grade 3, SMS', filter: { roles: ['parent'], grades: [3], channels: ['sms'] } },
  { name: 'one district (1104)', filter: { districts: ['1104'] } },
  { name: 'five schools', filter: { schoolCodes: ['100001', '100500', '101000', '104000', '107000'] } },
];

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, compare: { type: 'boolean', default: false }, explain: { type: 'boolean', default: false } } });
const pool = await openNationalDatabase();
await ensureNationalData(pool, { scale: Number(values.scale), seed: 1 }, console.log);

if (values.compare) {
  await pool.query('DROP INDEX IF EXISTS contacts_audience_idx');
  await pool.query('VACUUM ANALYZE contacts');
  console.log('\nwithout the covering index (the schema as it is):');
  await measure(pool);
}
await pool.query(AUDIENCE_INDEX);
await pool.query('VACUUM ANALYZE contacts');
console.log('\nwith the covering index contacts_audience_idx:');
await measure(pool);

if (values.explain) {
  const { text, values: params } = toQuery(sql`EXPLAIN (ANALYZE, BUFFERS)
    SELECT c.role, c.department, c.language, c.channel, c.opted_out, count(*)::int FROM contacts c WHERE ${audienceCondition({})}
    GROUP BY c.role, c.department, c.language, c.channel, c.opted_out`);
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(text, params);
  console.log(`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
}
await pool.end();

async function measure(db: pg.Pool): Promise<void> {
  console.log(`${'filter'.padEnd(30)} ${'contacts'.padStart(9)} ${'reachable'.padStart(9)} ${'p50 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const { name, filter } of FILTERS) {
    const preview = await previewAudience(db, audienceCondition(filter));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await previewAudience(db, audienceCondition(filter));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    console.log(`${name.padEnd(30)} ${String(preview.total).padStart(9)} ${String(preview.reachable).padStart(9)} ${p50.toFixed(0).padStart(8)} ${times.at(-1)!.toFixed(0).padStart(8)}`);
  }
}
