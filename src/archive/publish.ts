/**
 * Publishing in the public archive. A step is published when its first run starts fanning out: one
 * entry per language with the text as written (merge fields left as {{...}}: no personal data), the
 * deployment's sender name, the audience described, and a fresh verification code. Publishing again
 * (another zone's run of the step, a retried fan-out) changes nothing: the unique index on originals
 * (step, language) keeps the first entry. Entries are never updated or deleted; a correction is a new
 * entry pointing at the one it corrects.
 */
import type pg from 'pg';
import type { AudienceFilter } from '../audiences/filter.js';
import type { StepContent } from '../campaigns/model.js';
import type { StepVerification, VerificationMode } from '../content/verification-line.js';
import { loadSettings } from '../settings/settings-store.js';
import { describeAudience } from './audience-description.js';
import { newCode } from './codes.js';

type Queryable = Pick<pg.Pool, 'query'>;

const CODE_ATTEMPTS = 5;

export async function publishStep(db: Queryable, stepId: number): Promise<void> {
  const { rows } = await db.query<{ campaign_id: number; campaign_name: string; content: StepContent; audience: AudienceFilter; segment_name: string | null }>(
    `SELECT s.campaign_id, c.name AS campaign_name, s.content, c.audience, sg.name AS segment_name
     FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id LEFT JOIN segments sg ON sg.id = c.segment_id
     WHERE s.id = $1`,
    [stepId],
  );
  const step = rows[0];
  if (!step) return;
  const { senderName } = await loadSettings(db);
  const audience = { description: describeAudience(step.audience, step.segment_name), filter: step.audience, segment: step.segment_name };
  for (const [language, text] of Object.entries(step.content)) {
    await withFreshCode(async (code) => {
      const inserted = await db.query(
        `INSERT INTO archive_entries (code, campaign_id, campaign_name, step_id, language, body, sender, audience) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [code, step.campaign_id, step.campaign_name, stepId, language, text.body, senderName, audience],
      );
      if (inserted.rowCount) return true;
      // Nothing inserted: the step was published already, or (rarely) the code was taken.
      const published = await db.query('SELECT 1 FROM archive_entries WHERE step_id = $1 AND language = $2 AND corrects_id IS NULL', [stepId, language]);
      return published.rowCount ? true : undefined;
    });
  }
}

/** Inserts with a new code until one is free; `insert` answers undefined when its code was taken. */
export async function withFreshCode<T>(insert: (code: string) => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const result = await insert(newCode());
    if (result !== undefined) return result;
  }
  throw new Error(`no free verification code after ${CODE_ATTEMPTS} attempts`);
}

/** What a step's messages end with: its archive codes per language, unless the campaign wants none. */
export async function stepVerification(db: Queryable, stepId: number, mode: VerificationMode, verifyUrl: string): Promise<StepVerification | undefined> {
  if (mode === 'none') return undefined;
  const { rows } = await db.query<{ language: string; code: string }>('SELECT language, code FROM archive_entries WHERE step_id = $1 AND corrects_id IS NULL', [stepId]);
  return { mode, verifyUrl, codes: Object.fromEntries(rows.map((r) => [r.language, r.code])) };
}
