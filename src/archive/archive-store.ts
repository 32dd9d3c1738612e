/** Reading the public archive, and adding corrections (the only write besides publishing). */
import type pg from 'pg';
import { withFreshCode } from './publish.js';

type Queryable = Pick<pg.Pool, 'query'>;

export type ArchivedMessage = {
  id: number;
  code: string;
  campaignId: number;
  campaignName: string | null;
  language: string;
  body: string;
  sender: string;
  audience: { description?: string };
  publishedAt: Date;
  /** The code of the entry this one corrects. */
  corrects: string | null;
  /** Codes of the entries that correct this one, oldest first. */
  correctedBy: string[];
};

const SELECT = `
  WITH corrections AS (
    SELECT corrects_id, array_agg(code ORDER BY id) AS codes FROM archive_entries WHERE corrects_id IS NOT NULL GROUP BY corrects_id
  )
  SELECT a.id, a.code, a.campaign_id AS "campaignId", a.campaign_name AS "campaignName", a.language, a.body, a.sender, a.audience,
         a.published_at AS "publishedAt", o.code AS corrects, COALESCE(k.codes, '{}') AS "correctedBy"
  FROM archive_entries a
  LEFT JOIN archive_entries o ON o.id = a.corrects_id
  LEFT JOIN corrections k ON k.corrects_id = a.id`;

export type ArchiveQuery = { campaignId?: number; language?: string; before?: number; limit: number };

/** Newest first; `before` is the id the previous page ended at. */
export async function listArchive(db: Queryable, query: ArchiveQuery): Promise<ArchivedMessage[]> {
  const { rows } = await db.query<ArchivedMessage>(
    `${SELECT}
     WHERE ($1::int IS NULL OR a.campaign_id = $1) AND ($2::text IS NULL OR a.language = $2) AND ($3::int IS NULL OR a.id < $3)
     ORDER BY a.id DESC LIMIT $4`,
    [query.campaignId ?? null, query.language ?? null, query.before ?? null, query.limit],
  );
  return rows;
}

export async function findArchived(db: Queryable, code: string): Promise<ArchivedMessage | undefined> {
  const { rows } = await db.query<ArchivedMessage>(`${SELECT} WHERE a.code = $1`, [code]);
  return rows[0];
}

/** Every entry, for checking a pasted text against all of them (thousands at most: a few a week). */
export async function allArchived(db: Queryable): Promise<ArchivedMessage[]> {
  const { rows } = await db.query<ArchivedMessage>(`${SELECT} ORDER BY a.id`);
  return rows;
}

/** A new entry for the same step and language that corrects `original`; answers its code. */
export async function insertCorrection(db: Queryable, original: ArchivedMessage, body: string): Promise<string> {
  return withFreshCode(async (code) => {
    const { rows } = await db.query<{ code: string }>(
      `INSERT INTO archive_entries (code, campaign_id, campaign_name, step_id, language, body, sender, audience, corrects_id)
       SELECT $1, campaign_id, campaign_name, step_id, language, $2, sender, audience, id FROM archive_entries WHERE id = $3
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [code, body, original.id],
    );
    return rows[0]?.code;
  });
}
