/**
 * The campaign state machine, in one place: no route or worker sets a campaign's status by itself.
 *
 *   draft --approve--> scheduled --(first step fires)--> running --(last step done)--> completed
 *   scheduled/running --pause--> paused --resume--> scheduled/running
 *   anything not finished --cancel--> cancelled
 *   scheduled/running/paused --edit--> draft (what is sent changed: it needs approval again)
 */

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type CampaignAction = 'approve' | 'start' | 'pause' | 'resume' | 'cancel' | 'complete' | 'edit';

export class TransitionError extends Error {
  constructor(
    readonly action: CampaignAction,
    readonly from: CampaignStatus,
  ) {
    super(`cannot ${action} a campaign that is ${from}`);
  }
}

const TRANSITIONS: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  approve: { draft: 'scheduled' },
  start: { scheduled: 'running' },
  pause: { scheduled: 'paused', running: 'paused' },
  // Resuming returns to running when a step already went out, which the caller knows.
  resume: { paused: 'scheduled' },
  cancel: { draft: 'cancelled', scheduled: 'cancelled', running: 'cancelled', paused: 'cancelled' },
  complete: { running: 'completed', scheduled: 'completed' },
  edit: { draft: 'draft', scheduled: 'draft', running: 'draft', paused: 'draft' },
};

export function transition(from: CampaignStatus, action: CampaignAction, options: { started?: boolean } = {}): CampaignStatus {
  const to = TRANSITIONS[action][from];
  if (!to) throw new TransitionError(action, from);
  if (action === 'resume' && options.started) return 'running';
  return to;
}

const SENDING: CampaignStatus[] = ['scheduled', 'running'];

/** Statuses in which due steps fire and batches are sent. */
export function isSending(status: CampaignStatus): boolean {
  return SENDING.includes(status);
}

/** The statuses an action applies to ('send': those in which messages go out), for SQL conditions. */
export function statusesAllowing(action: CampaignAction | 'send'): CampaignStatus[] {
  if (action === 'send') return [...SENDING];
  return Object.keys(TRANSITIONS[action]) as CampaignStatus[];
}
