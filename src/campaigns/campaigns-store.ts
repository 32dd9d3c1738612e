/** Campaigns and their steps as stored, and as the API shows them. */
import type { Campaign, CampaignStep, PrismaClient } from '../generated/prisma/client.js';
import type { CheckedCampaign } from './campaign-input.js';

export type CampaignWithSteps = Campaign & { steps: CampaignStep[] };

export async function createCampaign(prisma: PrismaClient, campaign: CheckedCampaign, authorId: number): Promise<CampaignWithSteps> {
  return prisma.campaign.create({
    data: {
      name: campaign.name,
      audience: campaign.audience,
      segmentId: campaign.segmentId,
      schedule: campaign.schedule,
      options: campaign.options,
      authorId,
      steps: {
        create: campaign.steps.map((step) => ({
          position: step.position,
          week: step.week,
          requestedSendAt: step.requestedSendAt,
          sendAt: step.sendAt,
          content: step.content,
          whatsappTemplate: step.whatsappTemplate ?? undefined,
        })),
      },
    },
    include: { steps: { orderBy: { position: 'asc' } } },
  });
}

export async function findCampaign(prisma: PrismaClient, id: number): Promise<CampaignWithSteps | null> {
  return prisma.campaign.findUnique({ where: { id }, include: { steps: { orderBy: { position: 'asc' } } } });
}

export function campaignJson(campaign: CampaignWithSteps) {
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
      sendAt: step.sendAt.toISOString(),
      status: step.status,
      content: step.content,
      whatsappTemplate: step.whatsappTemplate,
    })),
  };
}
