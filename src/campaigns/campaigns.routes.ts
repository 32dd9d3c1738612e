import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { callerOf } from '../access/authenticate.js';
import { enqueueRunDeliveries } from '../delivery/send-queue.js';
import { badRequest, notFound } from '../http/errors.js';
import { campaignReport } from '../reports/campaign-report.js';
import { listDeliveries, DeliveriesQuery } from '../reports/deliveries.js';
import type { Services } from '../runtime/services.js';
import { requeueFanouts } from '../scheduling/fire-due-runs.js';
import { approveCampaign, cancelCampaign, pauseCampaign, resumeCampaign } from './campaign-actions.js';
import { CampaignBody, CampaignInputError, checkCampaign } from './campaign-input.js';
import { campaignJson, createCampaign, findCampaign } from './campaigns-store.js';
import { CAMPAIGN_STATUSES } from './lifecycle.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
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
  const rules = { languages: services.config.languages, defaultTimezone: services.config.defaultTimezone };

  async function existing(id: number) {
    const campaign = await findCampaign(prisma, id);
    if (!campaign) throw notFound(`campaign ${id}`);
    return campaign;
  }

  return async (app) => {
    app.post('/v1/campaigns', {
      config: { permission: 'campaigns:write' },
      schema: { tags: ['campaigns'], summary: 'Plan a campaign (created as a draft)', body: CampaignBody },
    }, async (request, reply) => {
      let checked;
      try {
        checked = checkCampaign(request.body, rules);
      } catch (err) {
        if (err instanceof CampaignInputError) throw badRequest(err.message, err.problems);
        throw err;
      }
      if (checked.segmentId && !(await prisma.segment.findUnique({ where: { id: checked.segmentId } }))) throw badRequest(`unknown segment ${checked.segmentId}`);
      const campaign = await createCampaign(prisma, checked, callerOf(request).userId);
      return reply.status(201).send(campaignJson(campaign));
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
        include: { steps: { orderBy: { position: 'asc' } } },
      });
      return { items: items.map(campaignJson), nextAfter: items.length === limit ? items[items.length - 1]!.id : null };
    });

    app.get('/v1/campaigns/:id', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: 'One campaign with its steps', params: IdParams },
    }, async (request) => campaignJson(await existing(request.params.id)));

    app.post('/v1/campaigns/:id/approve', {
      config: { permission: 'campaigns:approve' },
      schema: { tags: ['campaigns'], summary: 'Approve a draft: its steps are scheduled', params: IdParams },
    }, async (request) => {
      await approveCampaign(pool, request.params.id, callerOf(request).userId);
      return campaignJson(await existing(request.params.id));
    });

    app.post('/v1/campaigns/:id/pause', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Stop sending, also in the middle of a step', params: IdParams },
    }, async (request) => {
      await pauseCampaign(pool, request.params.id);
      return campaignJson(await existing(request.params.id));
    });

    app.post('/v1/campaigns/:id/resume', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Continue a paused campaign where it stopped', params: IdParams },
    }, async (request) => {
      const runs = await resumeCampaign(pool, request.params.id);
      if (runs.fanningOut.length) await requeueFanouts(pool, services.queues.fanout);
      for (const runId of runs.sending) await enqueueRunDeliveries(pool, services.queues.send, runId, services.config.workers.sendBatchSize, request.id);
      return campaignJson(await existing(request.params.id));
    });

    app.post('/v1/campaigns/:id/cancel', {
      config: { permission: 'campaigns:control' },
      schema: { tags: ['campaigns'], summary: 'Stop for good; messages not yet sent never will be', params: IdParams },
    }, async (request) => {
      await cancelCampaign(pool, request.params.id);
      return campaignJson(await existing(request.params.id));
    });

    app.get('/v1/campaigns/:id/report', {
      config: { permission: 'reports:read' },
      schema: { tags: ['reports'], summary: 'Counts per step and in total, by channel and language', params: IdParams },
    }, async (request) => {
      await existing(request.params.id);
      return campaignReport(pool, request.params.id);
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
