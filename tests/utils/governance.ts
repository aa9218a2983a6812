// Governance for tests that build a gateway by hand: a fixed policy instead
// of the policy store, and no access log unless a test brings one.
import { randomBytes } from 'node:crypto';

import type {
  FilingBinding,
  GovernedGatewayConfig,
  PolicySource,
} from '../../gateway/src/pipeline/index.js';
import type { PolicySet } from '../../policies/src/index.js';
import { demoUsers } from '../../hub/demoUsers.js';

/** A policy source that always answers the same policy. */
export function staticPolicy(
  policy: PolicySet,
  algorithms: ReadonlyMap<string, FilingBinding> = new Map(),
): PolicySource {
  const current = { policy, algorithms };
  return { current: () => current };
}

/**
 * No negative-list entry, and every demo user's roles read everything and
 * may introspect: the gateway governs, but withholds nothing. For tests
 * about other things (signing, partial failures).
 */
export const OPEN_POLICY: PolicySet = Object.freeze({
  version: 'open-test-policy',
  entries: [],
  grants: [],
  roles: Object.fromEntries(
    [...new Set(demoUsers.flatMap((u) => u.claims.roles))].map((role) => [
      role,
      [
        { action: 'read', subject: 'all' },
        { action: 'introspect', subject: 'Schema' },
      ],
    ]),
  ),
});

/** Governance config for a hand-built test gateway. */
export function testGovernance(
  overrides: Partial<GovernedGatewayConfig> = {},
): GovernedGatewayConfig {
  return {
    policy: staticPolicy(OPEN_POLICY),
    accessLog: null,
    maskSecret: randomBytes(32).toString('base64url'),
    ...overrides,
  };
}
