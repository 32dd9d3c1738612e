/** Campaigns and their steps as stored, and as the API shows them. */
import type pg from 'pg';
import { writeAudit, type Actor } from '../audit/audit-log.js';
import { diffFields } from '../audit/field-diff.js';
import type { Campaign, CampaignStep, PrismaClient, StepRun } from '../generated/prisma/client.js';
import { inTransaction } from '../runtime/database.js';
import { join, sql, toQuery } from '../shared/sql.js';
import type { CheckedCampaign, CheckedStep } from './campaign-input.js';
import type { CampaignSchedule } from './schedule.js';
import { explainStoredTime, timingJson } from './step-timing.js';
import type { TimingRules } from './timing-rules.js';

export type CampaignWithSteps = Campaign & { steps: Array<CampaignStep & { runs: StepRun[] }> };

/** Creates the draft and its steps, and records who created it, in one transaction. */
export async function createCampaign(pool: pg.Pool, campaign: CheckedCampaign, actor: Actor): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>(
      'INSERT INTO campaigns (name, audience, segment_id, schedule, options, author_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [campaign.name, campaign.audience, campaign.segmentId, campaign.schedule, campaign.options, actor.userId],
    );
    const id = rows[0]!.id;
    await writeSteps(client, id, campaign.steps);
    await writeAudit(client, actor, { action: 'campaign.create', entityType: 'campaign', entityId: id, changes: diffFields({}, auditedCampaign(campaign)) });
    return id;
  });
}

/** Inserts steps, or resets the unsent step at the same position to what is given (pending approval). */
export async function writeSteps(client: pg.PoolClient, campaignId: number, steps: CheckedStep[]): Promise<void> {
  if (steps.length === 0) return;
  const rows = steps.map(
    (step) =>
      sql`(${campaignId}, ${step.position}, ${step.week}, ${step.requestedSendAt}, ${step.sendAt}, ${JSON.stringify(step.content)}::jsonb, ${step.whatsappTemplate ? JSON.stringify(step.whatsappTemplate) : null}::jsonb)`,
  );
  await client.query(
    toQuery(sql`
      INSERT INTO campaign_steps (campaign_id, position, week, requested_send_at, send_at, content, whatsapp_template)
      VALUES ${join(rows, ', ')}
      ON CONFLICT (campaign_id, position) DO UPDATE
        SET week = EXCLUDED.week, requested_send_at = EXCLUDED.requested_send_at, send_at = EXCLUDED.send_at, content = EXCLUDED.content,
            whatsapp_template = EXCLUDED.whatsapp_template, status = 'pending', updated_at = now()`),
  );
}

/** A campaign as the audit log records it: what is sent, to whom and when. */
export function auditedCampaign(campaign: Omit<CheckedCampaign, 'steps'> & { steps: Array<Pick<CheckedStep, 'week' | 'requestedSendAt' | 'sendAt' | 'content' | 'whatsappTemplate'>> }) {
  return {
    name: campaign.name,
    audience: campaign.audience,
    segmentId: campaign.segmentId,
    schedule: campaign.schedule,
    options: campaign.options,
    steps: campaign.steps.map((step) => ({
      week: step.week,
      sendAt: step.sendAt.toISOString(),
      requestedSendAt: step.requestedSendAt?.toISOString() ?? null,
      content: step.content,
      whatsappTemplate: step.whatsappTemplate,
    })),
  };
}

export async function findCampaign(prisma: PrismaClient, id: number): Promise<CampaignWithSteps | null> {
  return prisma.campaign.findUnique({ where: { id }, include: STEPS_WITH_RUNS });
}

export const STEPS_WITH_RUNS = { steps: { orderBy: { position: 'asc' }, include: { runs: { orderBy: { id: 'asc' } } } } } as const;

export function campaignJson(campaign: CampaignWithSteps, rules: TimingRules) {
  const schedule = campaign.schedule as CampaignSchedule;
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    audience: campaign.audience,
    segmentId: campaign.segmentId,
    schedule: campaign.schedule,
    options: campaign.options,
    authorId: campaign.authorId,
    approvedById: campaign.approvedById,
    approvedAt: campaign.approvedAt,
    version: campaign.version,
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
    steps: campaign.steps.map((step) => ({
      id: step.id,
      position: step.position,
      week: step.week,
      ...timingJson(explainStoredTime(step, schedule, rules)),
      status: step.status,
      content: step.content,
      whatsappTemplate: step.whatsappTemplate,
      // One run per recipients' zone with recipientLocalTime, each timed by the rules in that zone.
      runs: step.runs.map((run) => ({ id: run.id, timezone: run.timezone, dueAt: run.dueAt.toISOString(), status: run.status })),
    })),
  };
}
