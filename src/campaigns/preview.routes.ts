import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Services } from '../runtime/services.js';
import { CAMPAIGN_EXAMPLE, CampaignBody } from './campaign-input.js';
import { IdParams } from './campaigns.routes.js';
import { previewDraft, previewStoredCampaign } from './preview-campaign.js';

// The body of POST /v1/campaigns, not stored.
const DraftBody = Type.Object(CampaignBody.properties, { additionalProperties: false, examples: [CAMPAIGN_EXAMPLE] });

const SUMMARY = 'Each step rendered for sample recipients of each language and channel: characters, SMS encoding and segments, WhatsApp checks, merge-field gaps, fallback-language count, cost';

export function previewRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/v1/campaigns/:id/preview', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: SUMMARY, params: IdParams },
    }, async (request) => previewStoredCampaign(services, request.params.id));

    app.post('/v1/campaigns/preview', {
      config: { permission: 'campaigns:read' },
      schema: { tags: ['campaigns'], summary: `${SUMMARY} (a campaign body, not stored)`, body: DraftBody },
    }, async (request) => previewDraft(services, request.body));
  };
}
