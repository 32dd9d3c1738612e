/**
 * A one-step campaign to every parent, planned by the admin and approved by a second person (four
 * eyes), through the public API exactly as a communicator and an approver would.
 */
import type { CampaignReport } from '../../../src/reports/campaign-report.js';

type Api = <T>(method: string, path: string, body?: unknown, key?: string) => Promise<T>;

export function apiClient(baseUrl: string, adminKey: string): Api {
  return async <T>(method: string, path: string, body?: unknown, key = adminKey) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** Creates and approves the campaign; its step is due two seconds later. Returns the campaign's id. */
export async function startOneStepCampaign(api: Api): Promise<number> {
  // Quiet hours (20:00-07:00 in Asunción by default) would hold the step until morning on a night run.
  await api('PUT', '/v1/settings/quietHours', { value: null });
  const campaign = await api<{ id: number }>('POST', '/v1/campaigns', {
    name: `Fault test ${new Date().toISOString()}`,
    audience: { roles: ['parent'] },
    steps: [
      {
        sendAt: new Date(Date.now() + 2000).toISOString(),
        content: {
          es: { body: 'Hola {{contact.name}}, los resultados de la evaluación ya están disponibles.' },
          gn: { body: 'Maitei {{contact.name}}, oĩma resultado.' },
        },
      },
    ],
  });
  const approver = await api<{ id: number }>('POST', '/v1/users', { name: 'Fault test approver', role: 'approver' });
  const { key } = await api<{ key: string }>('POST', '/v1/api-keys', { userId: approver.id });
  await api('POST', `/v1/campaigns/${campaign.id}/approve`, undefined, key);
  return campaign.id;
}

export function campaignReport(api: Api, campaignId: number): Promise<CampaignReport> {
  return api<CampaignReport>('GET', `/v1/campaigns/${campaignId}/report`);
}
