import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES, statusesAllowing, transition, TransitionError } from '../../src/campaigns/lifecycle.js';

describe('campaign lifecycle', () => {
  it('follows draft → scheduled → running → completed', () => {
    expect(transition('draft', 'approve')).toBe('scheduled');
    expect(transition('scheduled', 'start')).toBe('running');
    expect(transition('running', 'complete')).toBe('completed');
  });

  it('resumes to running only once a step went out', () => {
    expect(transition('running', 'pause')).toBe('paused');
    expect(transition('paused', 'resume', { started: true })).toBe('running');
    expect(transition('paused', 'resume', { started: false })).toBe('scheduled');
  });

  it('refuses moves the state machine has no arrow for', () => {
    expect(() => transition('completed', 'cancel')).toThrow(TransitionError);
    expect(() => transition('cancelled', 'resume')).toThrow('cannot resume a campaign that is cancelled');
    expect(() => transition('draft', 'pause')).toThrow(TransitionError);
    expect(() => transition('scheduled', 'approve')).toThrow(TransitionError);
  });

  it('lets nothing out of a finished campaign', () => {
    for (const action of ['approve', 'start', 'pause', 'resume', 'cancel', 'edit'] as const) {
      expect(() => transition('completed', action)).toThrow(TransitionError);
      expect(() => transition('cancelled', action)).toThrow(TransitionError);
    }
    expect(statusesAllowing('send')).toEqual(['scheduled', 'running']);
    expect(statusesAllowing('cancel').sort()).toEqual(CAMPAIGN_STATUSES.filter((s) => !['completed', 'cancelled'].includes(s)).sort());
  });
});
