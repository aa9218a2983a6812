// The emergency department's settings from the environment, parsed once at
// start (the subgraph's main.ts and `npm start`); the only emergency module
// that reads process.env.
import { z } from 'zod';

import { configuredEnv, EnvError } from '../../kit/src/env.js';
import {
  parseWebhookAllowList,
  WEBHOOK_ALLOW_LIST_VARIABLE,
  WebhookAllowListError,
  type WebhookAllowList,
} from './alerting/webhookTargets.js';

/** The emergency department's settings. */
export interface EmergencyEnv {
  /**
   * Alert webhook targets allowed besides public addresses over https
   * (`ALERT_WEBHOOK_ALLOWED_TARGETS`: CIDR ranges, addresses and host
   * names, each optionally with `:port`, separated by commas).
   * @defaultValue none: only https to public unicast addresses
   */
  readonly webhookAllowList: WebhookAllowList;
}

export const EmergencyEnvSchema = z.object({
  [WEBHOOK_ALLOW_LIST_VARIABLE]: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseWebhookAllowList(raw);
      } catch (error) {
        if (!(error instanceof WebhookAllowListError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
});

/**
 * Parses the emergency settings of `source` (by default the environment over the configuration file);
 * an unset or empty variable takes its default.
 *
 * @throws EnvError naming the variable and the entry it cannot read
 */
export function readEmergencyEnv(
  source: Record<string, string | undefined> = configuredEnv(),
): EmergencyEnv {
  const parsed = EmergencyEnvSchema.safeParse({
    [WEBHOOK_ALLOW_LIST_VARIABLE]: source[WEBHOOK_ALLOW_LIST_VARIABLE],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(
      `invalid environment: ${issue?.message ?? WEBHOOK_ALLOW_LIST_VARIABLE}`,
    );
  }
  return Object.freeze({
    webhookAllowList: parsed.data[WEBHOOK_ALLOW_LIST_VARIABLE],
  });
}
