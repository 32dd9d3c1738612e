/**
 * The setup most of these tests share: a fresh database, a Twilio-compatible server, a harness talking
 * to it, and the key of an approver (campaigns are approved by someone other than their author), started
 * before the tests of the calling `describe` and stopped after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { TwilioCompatibleServer, type TwilioServerOptions } from '../twilio-server/server.js';
import { createUserKey, resetDatabase, startHarness, type Harness, type HarnessOptions } from '../support/harness.js';

export type TwilioHarness = { twilio: TwilioCompatibleServer; h: Harness; approverKey: string };

export function useTwilioHarness(options: { twilio?: TwilioServerOptions; harness?: Omit<HarnessOptions, 'twilio'> } = {}): TwilioHarness {
  const context = { twilio: new TwilioCompatibleServer(options.twilio) } as TwilioHarness;
  beforeAll(async () => {
    await resetDatabase();
    await context.twilio.start();
    context.h = await startHarness({ twilio: context.twilio, ...options.harness });
    context.approverKey = await createUserKey(context.h.services.db.pool, 'approver');
  });
  afterAll(async () => {
    await context.h?.close();
    await context.twilio.stop();
  });
  return context;
}
