/**
 * The report's cost section: per step, the estimate (the preview's, for today's audience and prices)
 * beside the cost of what was actually handed to the provider — WhatsApp messages, and SMS segments as
 * counted when each message was composed. Sends the provider refused (failed) are not paid.
 */
import type pg from 'pg';
import type { Channel } from '../providers/provider.js';
import { money, sendingCost } from './cost.js';
import type { CampaignPreview } from './preview.js';

type SentRow = { position: number; channel: Channel; messages: number; segments: number };

export async function costReport(pool: pg.Pool, campaignId: number, preview: Pick<CampaignPreview, 'steps' | 'cost'>) {
  const { prices } = preview.cost;
  const { rows } = await pool.query<SentRow>(
    `SELECT s.position, d.channel::text AS channel, count(*)::int AS messages, coalesce(sum(d.segments), count(*))::int AS segments
     FROM deliveries d JOIN campaign_steps s ON s.id = d.step_id
     WHERE d.run_id IN (SELECT id FROM step_runs WHERE campaign_id = $1) AND d.provider_sid IS NOT NULL AND d.status <> 'failed'
     GROUP BY 1, 2`,
    [campaignId],
  );
  const costOf = (sent: SentRow[]) => sent.reduce((total, row) => total + sendingCost(row.channel, row, prices), 0);
  const steps = preview.steps.map((step) => {
    const sent = rows.filter((row) => row.position === step.position);
    return {
      position: step.position,
      estimated: step.cost,
      actual: money(costOf(sent)),
      sent: Object.fromEntries(sent.map((row) => [row.channel, { messages: row.messages, segments: row.segments }])),
    };
  });
  return { currency: prices.currency, prices, estimated: preview.cost.total, actual: money(costOf(rows)), steps };
}
