import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { callerOf } from '../access/authenticate.js';
import { actorOf } from '../audit/audit-log.js';
import { enqueueRunDeliveries } from '../delivery/send-queue.js';
import { notFound } from '../http/errors.js';
import { campaignReport } from '../reports/campaign-report.js';
import { listDeliveries, DeliveriesQuery } from '../reports/deliveries.js';
import type { Services } from '../runtime/services.js';
import { requeueFanouts } from '../scheduling/fire-due-runs.js';
import { loadSettings } from '../settings/settings-store.js';
import { campaignCalendar } from './calendar.js';
import { approveCampaign, cancelCampaign, pauseCampaign, resumeCampaign, type RunsToQueue } from './campaign-actions.js';
import { editCampaign } from './campaign-edit.js';
import { CampaignBody, CampaignPatch, campaignRules, checkCampaignRequest, type CampaignRules } from './campaign-input.js';
import { campaignJson, createCampaign, findCampaign, STEPS_WITH_RUNS } from './campaigns-store.js';
import { costReport } from './cost-report.js';
import { assertAudienceInScope } from './department-scope.js';
import { mergeFieldWarnings } from './merge-field-warnings.js';
import { CAMPAIGN_STATUSES } from './lifecycle.js';
import { previewStoredCampaign } from './preview-campaign.js';

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(CAMPAIGN_STATUSES.map((s) => Type.Literal(s)))),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    after: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export function campaignsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { prisma, pool } = services.db;
  /** Campaigns are checked against the deployment's languages and zone and today's timing rules. */
  async function rules(): Promise<CampaignRules> {
    return campaignRules(services.config, await loadSettings(pool));
  }

  async function existing(id: number) {
    const campaign = await findCampaign(prisma, id);
    if (!campaign) throw notFound(`campaign ${id}`);
    return campaign;
  }

  async function view(id: number) {
    return campaignJson(await existing(id), await loadSettings(pool));
  }

  /** Runs a pause or an edit caught mid-way go on where they stopped. */
  async function requeue(runs: RunsToQueue, requestId: string): Promise<void> {
    if (runs.fanningOut.length) await requeueFanouts(pool, services.queues.fanout);
    for (const runId of runs.sending) await enqueueRunDeliveries(pool, services.queues.send, runId, services.config.workers.sendBatchSize, requestId);
  }

  return async (app) => {
    app.post('/v1/campaigns', {
      config: { permission: 'campaigns:write' },
      schema: { tags: ['campaigns'], summary: 'Plan a campaign (created as a draft)', body: CampaignBody },
    }, async (request, reply) => {
      const checked = checkCampaignRequest(request.body, await rules());
      await assertAudienceInScope(pool, callerOf(request).departments, checked);
      const warnings = await mergeFieldWarnings(services.db, checked);
      const id = await createCampaign(pool, checked, actorOf(request));
      return reply.status(201).send({ ...(await view(id)), warnings });
    });

    app.get('/v1/campaigns', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: 'Campaigns, newest first', querystring: ListQuery },
    }, async (request) => {
      const { status, limit, after } = request.query;
      const items = await prisma.campaign.findMany({
        where: { ...(status ? { status } : {}), ...(after ? { id: { lt: after } } : {}) },
        orderBy: { id: 'desc' },
        take: limit,
        include: STEPS_WITH_RUNS,
      });
      const settings = await loadSettings(pool);
      return { items: items.map((campaign) => campaignJson(campaign, settings)), nextAfter: items.length === limit ? items[items.length - 1]!.id : null };
    });

    app.get('/v1/campaigns/:id', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: 'One campaign with its steps', params: IdParams },
    }, async (request) => view(request.params.id));

    app.patch('/v1/campaigns/:id', {
      config: { permission: 'campaigns:write' },
      schema: {
        tags: ['campaigns'],
        summary: 'Edit a campaign; changing what is sent takes an approved one back to draft (version + 1) until approved again',
        params: IdParams,
        body: CampaignPatch,
      },
    }, async (request) => {
      await editCampaign(pool, request.params.id, request.body, await rules(), { ...actorOf(request), departments: callerOf(request).departments });
      return view(request.params.id);
    });

    app.get('/v1/campaigns/:id/calendar.ics', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: 'The steps as an iCalendar feed', params: IdParams },
    }, async (request, reply) => {
      const campaign = await existing(request.params.id);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="campaign-${campaign.id}.ics"`)
        .send(campaignCalendar(campaign, services.config.publicBaseUrl));
    });

    app.post('/v1/campaigns/:id/approve', {
      config: { permission: 'campaigns:approve' },
      schema: { tags: ['campaigns'], summary: 'Approve a draft (by someone who neither wrote nor edited it): its unsent steps are scheduled', params: IdParams },
    }, async (request) => {
      await requeue(await approveCampaign(pool, request.params.id, actorOf(request), await loadSettings(pool)), request.id);
      return view(request.params.id);
    });

    app.post('/v1/campaigns/:id/pause', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Stop sending, also in the middle of a step', params: IdParams },
    }, async (request) => {
      await pauseCampaign(pool, request.params.id, actorOf(request));
      return view(request.params.id);
    });

    app.post('/v1/campaigns/:id/resume', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Continue a paused campaign where it stopped', params: IdParams },
    }, async (request) => {
      await requeue(await resumeCampaign(pool, request.params.id, actorOf(request)), request.id);
      return view(request.params.id);
    });

    app.post('/v1/campaigns/:id/cancel', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Stop for good; messages not yet sent never will be', params: IdParams },
    }, async (request) => {
      await cancelCampaign(pool, request.params.id, actorOf(request));
      return view(request.params.id);
    });

    app.get('/v1/campaigns/:id/report', {
      config: { permission: 'reports:read' },
      schema: { tags: ['reports'], summary: 'Counts per step and in total, by channel and language, and the cost estimated and incurred', params: IdParams },
    }, async (request) => {
      await existing(request.params.id);
      const [report, preview] = await Promise.all([campaignReport(pool, request.params.id), previewStoredCampaign(services, request.params.id)]);
      return { ...report, cost: await costReport(pool, request.params.id, preview) };
    });

    app.get('/v1/campaigns/:id/deliveries', {
      config: { permission: 'reports:read' },
      schema: { tags: ['reports'], summary: 'Individual deliveries with their status history', params: IdParams, querystring: DeliveriesQuery },
    }, async (request) => {
      await existing(request.params.id);
      return listDeliveries(pool, request.params.id, request.query);
    });
  };
}
