/**
 * Everything a scenario ends with, read once every delivery is final: what the provider received (its
 * control API), what PostgreSQL holds, what the report says, and what recovery did.
 */
import type pg from 'pg';
import { getJson } from '../../../bench/support.js';
import type { CampaignReport } from '../../../src/reports/campaign-report.js';
import type { ServerStats } from '../../twilio-server/server.js';
import { recipients, type Recipient } from './audience.js';
import type { RecoveryTally } from './recovery-log.js';

export type ServerMessage = { sid: string; to: string; status: string; receivedAt: number };

export type DeliveryRow = {
  id: string;
  contactId: number;
  status: string;
  pending: boolean;
  providerSid: string | null;
  attempts: number;
  skipReason: string | null;
  errorMessage: string | null;
};

export type ScenarioOutcome = {
  name: string;
  audience: number;
  /** From approval until every delivery was final and every callback applied. */
  seconds: number;
  recipients: Recipient[];
  messages: ServerMessage[];
  stats: ServerStats & { messages: number; distinctTo: number; duplicates: number };
  deliveries: DeliveryRow[];
  report: CampaignReport;
  campaignStatus: string;
  recovery: RecoveryTally;
  /** Attempt-log events: sends refused with a transient error and retried later; sends that got no answer. */
  events: { retrying: number; noAnswer: number };
  /** The faults the scenario injected, as it described them. */
  faults: string[];
};

export type OutcomeSources = {
  name: string;
  audience: number;
  seconds: number;
  pool: pg.Pool;
  twilioUrl: string;
  campaignId: number;
  report: CampaignReport;
  recovery: RecoveryTally;
  faults: string[];
};

export async function collectOutcome(sources: OutcomeSources): Promise<ScenarioOutcome> {
  const { pool, campaignId, twilioUrl } = sources;
  const [messages, stats, deliveries, campaign, events, contacts] = await Promise.all([
    getJson<Array<Omit<ServerMessage, 'receivedAt'> & { receivedAt: string }>>(`${twilioUrl}/_control/messages`),
    getJson<ScenarioOutcome['stats']>(`${twilioUrl}/_control/stats`),
    pool.query<DeliveryRow>(
      `SELECT id::text, contact_id AS "contactId", status::text, pending, provider_sid AS "providerSid", attempts,
              skip_reason AS "skipReason", error_message AS "errorMessage"
       FROM deliveries WHERE campaign_id = $1 ORDER BY id`,
      [campaignId],
    ),
    pool.query<{ status: string }>('SELECT status::text FROM campaigns WHERE id = $1', [campaignId]),
    pool.query<{ retrying: number; noAnswer: number }>(
      `SELECT count(*) FILTER (WHERE e->>'event' = 'retrying')::int AS retrying, count(*) FILTER (WHERE e->>'event' = 'no answer')::int AS "noAnswer"
       FROM deliveries d, jsonb_array_elements(d.attempt_log) e WHERE d.campaign_id = $1`,
      [campaignId],
    ),
    recipients(pool),
  ]);
  return {
    name: sources.name,
    audience: sources.audience,
    seconds: sources.seconds,
    recipients: contacts,
    messages: messages.map((m) => ({ sid: m.sid, to: m.to, status: m.status, receivedAt: Date.parse(m.receivedAt) })),
    stats,
    deliveries: deliveries.rows,
    report: sources.report,
    campaignStatus: campaign.rows[0]!.status,
    recovery: sources.recovery,
    events: events.rows[0]!,
    faults: sources.faults,
  };
}
