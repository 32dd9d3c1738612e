/**
 * Editing a campaign, read top to bottom, in one transaction:
 *   1. lock the campaign and its steps; a finished campaign cannot be edited (409);
 *   2. merge the patch into what is stored and check the result as a new campaign is checked, times
 *      computed again under today's timing rules; the audience must stay in the editor's departments;
 *   3. steps already sent (sending or completed, or with a run that fired) stay as they were: the patch
 *      must give them unchanged, or it is refused (409 naming them);
 *   4. a change to what is sent — anything but the name, or the name too when a text uses
 *      {{campaign.name}} — takes the campaign back to draft (the state machine's `edit`) and raises its
 *      version: the approval was for the old one. The unsent steps are written again as pending and
 *      lose their runs; approval schedules them again. Runs of sent steps keep going once re-approved;
 *   5. one audit entry with every field that changed. A patch that changes nothing writes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { writeAudit, type Actor } from '../audit/audit-log.js';
import { diffFields } from '../audit/field-diff.js';
import { fieldsIn } from '../content/template.js';
import { conflict } from '../http/errors.js';
import { inTransaction } from '../runtime/database.js';
import { checkCampaignRequest, type CampaignBody, type CampaignPatch, type CampaignRules, type CheckedCampaign, type CheckedStep } from './campaign-input.js';
import { auditedCampaign, writeSteps } from './campaigns-store.js';
import { assertAudienceInScope } from './department-scope.js';
import { lockCampaign, move, type LockedCampaign } from './locked-campaign.js';
import type { StepContent, WhatsappTemplate } from './model.js';

type StoredStep = {
  id: number;
  position: number;
  week: number | null;
  requestedSendAt: Date | null;
  sendAt: Date;
  content: StepContent;
  whatsappTemplate: WhatsappTemplate | null;
  sent: boolean;
};

export type Editor = Actor & { departments: string[] };

export async function editCampaign(pool: pg.Pool, id: number, patch: CampaignPatch, rules: CampaignRules, editor: Editor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const campaign = await lockCampaign(client, id);
    const draftStatus = move(campaign, 'edit');
    const stored = await lockSteps(client, id);
    const checked = checkCampaignRequest(merge(campaign, stored, patch), rules);
    await assertAudienceInScope(client, editor.departments, checked);

    const changedSent = stored.filter((step) => step.sent && !sameStep(step, checked.steps[step.position - 1]));
    if (changedSent.length) {
      const positions = changedSent.map((s) => s.position);
      throw conflict(`step${positions.length > 1 ? 's' : ''} ${positions.join(', ')} already went out and cannot be changed or removed: give ${positions.length > 1 ? 'them' : 'it'} as stored`, { steps: positions });
    }
    // A sent step keeps the time it went out at, whatever the schedule says now.
    const steps = checked.steps.map((step) => stored.find((s) => s.sent && s.position === step.position) ?? step);
    const before = auditedCampaign({ ...storedCampaign(campaign), steps: stored });
    const after = auditedCampaign({ ...checked, steps });
    const changes = diffFields(before, after);
    if (Object.keys(changes).length === 0) return;

    const affectsSending = Object.keys(changes).some((field) => field !== 'name') || usesCampaignName(checked);
    const status = affectsSending ? draftStatus : campaign.status;
    await client.query(
      `UPDATE campaigns SET name = $2, audience = $3, segment_id = $4, schedule = $5, options = $6, status = $7, version = version + $8,
              approved_by_id = CASE WHEN $8 = 1 THEN NULL ELSE approved_by_id END, approved_at = CASE WHEN $8 = 1 THEN NULL ELSE approved_at END,
              updated_at = now()
       WHERE id = $1`,
      [id, checked.name, checked.audience, checked.segmentId, checked.schedule, checked.options, status, affectsSending ? 1 : 0],
    );
    if (affectsSending) await rewriteUnsentSteps(client, id, stored, checked.steps);
    await writeAudit(client, editor, {
      action: 'campaign.edit',
      entityType: 'campaign',
      entityId: id,
      changes: {
        ...changes,
        ...(status !== campaign.status ? { status: { from: campaign.status, to: status } } : {}),
        ...(affectsSending ? { version: { from: campaign.version, to: campaign.version + 1 } } : {}),
      },
    });
  });
}

async function lockSteps(client: pg.PoolClient, campaignId: number): Promise<StoredStep[]> {
  const { rows } = await client.query<StoredStep>(
    `SELECT s.id, s.position, s.week, s.requested_send_at AS "requestedSendAt", s.send_at AS "sendAt", s.content, s.whatsapp_template AS "whatsappTemplate",
            s.status IN ('sending', 'completed') OR EXISTS (SELECT 1 FROM step_runs r WHERE r.step_id = s.id AND r.status NOT IN ('scheduled', 'cancelled')) AS sent
     FROM campaign_steps s WHERE s.campaign_id = $1 ORDER BY s.position FOR UPDATE OF s`,
    [campaignId],
  );
  return rows;
}

/** The stored campaign as a request body, with the patch applied (schedule and options merged). */
function merge(campaign: LockedCampaign, stored: StoredStep[], patch: CampaignPatch): CampaignBody {
  const segmentId = patch.segmentId === undefined ? campaign.segment_id : patch.segmentId;
  return {
    name: patch.name ?? campaign.name,
    audience: patch.audience ?? campaign.audience,
    ...(segmentId !== null ? { segmentId } : {}),
    schedule: { ...campaign.schedule, ...patch.schedule },
    options: { ...campaign.options, ...patch.options },
    steps:
      patch.steps ??
      stored.map((step) => ({
        ...(step.week !== null ? { week: step.week } : { sendAt: (step.requestedSendAt ?? step.sendAt).toISOString() }),
        content: step.content,
        ...(step.whatsappTemplate ? { whatsappTemplate: step.whatsappTemplate } : {}),
      })),
  };
}

function storedCampaign(campaign: LockedCampaign): Omit<CheckedCampaign, 'steps'> {
  return { name: campaign.name, audience: campaign.audience, segmentId: campaign.segment_id, schedule: campaign.schedule, options: campaign.options };
}

/** Whether a step as given is the stored one: same timing as asked for, same texts, same template. */
function sameStep(stored: StoredStep, given: CheckedStep | undefined): boolean {
  return (
    given !== undefined &&
    given.week === stored.week &&
    given.requestedSendAt?.getTime() === stored.requestedSendAt?.getTime() &&
    isDeepStrictEqual(given.content, stored.content) &&
    isDeepStrictEqual(given.whatsappTemplate, stored.whatsappTemplate)
  );
}

function usesCampaignName(campaign: CheckedCampaign): boolean {
  return campaign.steps.some((step) =>
    [...Object.values(step.content).map((text) => text.body), ...Object.values(step.whatsappTemplate?.variables ?? {})].some((text) => fieldsIn(text).includes('campaign.name')),
  );
}

/** Unsent steps lose their runs and are written again as pending; steps beyond the new last one go. */
async function rewriteUnsentSteps(client: pg.PoolClient, campaignId: number, stored: StoredStep[], steps: CheckedStep[]): Promise<void> {
  const unsent = stored.filter((s) => !s.sent);
  await client.query('DELETE FROM step_runs WHERE step_id = ANY($1::int[])', [unsent.map((s) => s.id)]);
  await client.query('DELETE FROM campaign_steps WHERE id = ANY($1::int[]) AND position > $2', [unsent.map((s) => s.id), steps.length]);
  const sentPositions = new Set(stored.filter((s) => s.sent).map((s) => s.position));
  await writeSteps(client, campaignId, steps.filter((step) => !sentPositions.has(step.position)));
}
