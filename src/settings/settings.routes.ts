import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { actorOf, writeAudit } from '../audit/audit-log.js';
import { diffFields } from '../audit/field-diff.js';
import { badRequest } from '../http/errors.js';
import { inTransaction } from '../runtime/database.js';
import type { Services } from '../runtime/services.js';
import { DEFAULT_SETTINGS, SETTING_KEYS, SETTINGS, settingProblems, type SettingKey } from './settings.js';
import { saveSetting, storedSettings, type StoredSetting } from './settings-store.js';

const KeyParams = Type.Object({ key: Type.Union(SETTING_KEYS.map((key) => Type.Literal(key)), { description: SETTING_KEYS.join(', ') }) });
const PutBody = Type.Object(
  { value: Type.Unknown({ description: 'The new value; its shape depends on the key (see GET /v1/settings)' }) },
  { additionalProperties: false, required: ['value'], examples: [{ value: [{ from: '2027-07-12', to: '2027-07-23', reason: 'Vacaciones de invierno' }] }] },
);

function settingJson(key: SettingKey, stored: StoredSetting | undefined) {
  return {
    key,
    value: stored ? stored.value : DEFAULT_SETTINGS[key],
    isDefault: !stored,
    updatedAt: stored?.updatedAt ?? null,
    description: SETTINGS[key].description,
  };
}

export function settingsRoutes(services: Services): FastifyPluginAsyncTypebox {
  const { pool } = services.db;
  return async (app) => {
    app.get('/v1/settings', {
      config: { permission: 'settings:read' },
      schema: { tags: ['settings'], summary: 'Every deployment setting in force, and whether it is still the default' },
    }, async () => {
      const stored = await storedSettings(pool);
      return { items: SETTING_KEYS.map((key) => settingJson(key, stored.get(key))) };
    });

    app.put('/v1/settings/:key', {
      config: { permission: 'settings:write' },
      schema: { tags: ['settings'], summary: 'Replace one setting (prices, quietHours, blackoutDates, senderName)', params: KeyParams, body: PutBody },
    }, async (request) => {
      const { key } = request.params;
      const { value } = request.body;
      const problems = settingProblems(key, value);
      if (problems.length) throw badRequest(problems.join('; '), problems);
      await inTransaction(pool, async (client) => {
        const previous = await saveSetting(client, key, value);
        await writeAudit(client, actorOf(request), { action: 'setting.update', entityType: 'setting', entityId: key, changes: diffFields({ [key]: previous }, { [key]: value }) });
      });
      return settingJson(key, (await storedSettings(pool)).get(key));
    });
  };
}
