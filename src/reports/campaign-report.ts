/**
 * A campaign's report: per step and in total, how many deliveries are in each status, by channel and by
 * language. "queued" counts every message not yet handed on by the provider (ours or Twilio's queue).
 */
import type pg from 'pg';

const BUCKETS = ['queued', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'skipped', 'cancelled'] as const;
type Bucket = (typeof BUCKETS)[number];
type Counts = Record<Bucket, number> & { total: number };

/** skippedBy: why deliveries were skipped; whatsappCap: deliveries the WhatsApp sender's daily cap deferred or moved to SMS. */
type Breakdown = Counts & { byChannel: Record<string, Counts>; byLanguage: Record<string, Counts>; skippedBy: Record<string, number>; whatsappCap: Record<string, number> };

export type StepReport = Breakdown & { stepId: number; position: number; sendAt: string; status: string; targeted: number; smsFallbacks: number };
export type CampaignReport = { campaignId: number; steps: StepReport[]; total: Breakdown & { targeted: number; smsFallbacks: number } };

type Row = { step_id: number; channel: string; language: string; status: string; skip_reason: string | null; cap_action: string | null; fallback: boolean; n: number };

export async function campaignReport(pool: pg.Pool, campaignId: number): Promise<CampaignReport> {
  const [{ rows: steps }, { rows }] = await Promise.all([
    pool.query<{ id: number; position: number; send_at: Date; status: string; targeted: number }>(
      `SELECT s.id, s.position, s.send_at, s.status, COALESCE((SELECT sum(r.targeted)::int FROM step_runs r WHERE r.step_id = s.id), 0) AS targeted
       FROM campaign_steps s WHERE s.campaign_id = $1 ORDER BY s.position`,
      [campaignId],
    ),
    pool.query<Row>(
      `SELECT step_id, channel::text, language, status::text, skip_reason, cap_action, fallback_for_id IS NOT NULL AS fallback, count(*)::int AS n
       FROM deliveries WHERE run_id IN (SELECT id FROM step_runs WHERE campaign_id = $1)
       GROUP BY step_id, channel, language, status, skip_reason, cap_action, fallback_for_id IS NOT NULL`,
      [campaignId],
    ),
  ]);
  const total = { ...emptyBreakdown(), targeted: 0, smsFallbacks: 0 };
  const stepReports = steps.map((step) => {
    const report: StepReport = { ...emptyBreakdown(), stepId: step.id, position: step.position, sendAt: step.send_at.toISOString(), status: step.status, targeted: step.targeted, smsFallbacks: 0 };
    for (const row of rows.filter((r) => r.step_id === step.id)) {
      add(report, row);
      add(total, row);
      if (row.fallback) {
        report.smsFallbacks += row.n;
        total.smsFallbacks += row.n;
      }
    }
    total.targeted += step.targeted;
    return report;
  });
  return { campaignId, steps: stepReports, total };
}

function bucketOf(status: string): Bucket {
  return status === 'sending' ? 'queued' : (status as Bucket);
}

function emptyCounts(): Counts {
  return Object.fromEntries([...BUCKETS.map((b) => [b, 0]), ['total', 0]]) as Counts;
}

function emptyBreakdown(): Breakdown {
  return { ...emptyCounts(), byChannel: {}, byLanguage: {}, skippedBy: {}, whatsappCap: {} };
}

function add(into: Breakdown, row: Row): void {
  const bucket = bucketOf(row.status);
  for (const counts of [into, (into.byChannel[row.channel] ??= emptyCounts()), (into.byLanguage[row.language] ??= emptyCounts())]) {
    counts[bucket] += row.n;
    counts.total += row.n;
  }
  if (row.skip_reason) into.skippedBy[row.skip_reason] = (into.skippedBy[row.skip_reason] ?? 0) + row.n;
  if (row.cap_action) into.whatsappCap[row.cap_action] = (into.whatsappCap[row.cap_action] ?? 0) + row.n;
}
