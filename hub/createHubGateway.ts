// The hub's gateway: over the committed supergraph and the subgraphs' real
// URLs, signing every subgraph call, checking callers' tokens with the
// hub's token secret, governed by the policy store and the access log.
import { randomBytes } from 'node:crypto';

import type { Logger } from 'pino';

import type {
  AccessLog,
  IdempotencyKeys,
} from '../policies/store/src/audit/index.js';
import { createGateway, type Gateway } from '../gateway/src/createGateway.js';
import type { GatewayMetrics } from '../gateway/src/observability/gatewayMetrics.js';
import type { PolicyStore } from '../policies/store/src/policy/index.js';
import type { SigningKey } from '../subgraphs/kit/src/signing/keys.js';
import type { HubConfig } from './Hub.js';

/** What the gateway is built from besides the hub's configuration. */
export interface HubGatewayParts {
  readonly supergraphSdl: string;
  /** Subgraph name → URL. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** The key the gateway signs its subgraph calls with. */
  readonly callKey: SigningKey;
  readonly policy: PolicyStore;
  readonly accessLog: AccessLog;
  /** Where the idempotency keys of mutations are kept. */
  readonly idempotency: IdempotencyKeys;
  /** The gateway's metrics (the access log reports to them too); null: off. */
  readonly metrics: GatewayMetrics | null;
  /** The hub's database, checked by the gateway's `/ready`. */
  readonly database: { query(sql: string): Promise<unknown>; kind: string };
}

/** Creates the gateway (not listening yet). */
export function createHubGateway(
  config: HubConfig,
  parts: HubGatewayParts,
  logger: Logger,
): Gateway {
  return createGateway(
    {
      supergraphSdl: parts.supergraphSdl,
      subgraphUrls: parts.subgraphUrls,
      signing: parts.callKey,
      identity: {
        keys: {
          kind: 'secret',
          secret: new TextEncoder().encode(config.tokenSecret),
        },
        ...(config.maxTokenTtlSeconds === undefined
          ? {}
          : { maxTokenTtlSeconds: config.maxTokenTtlSeconds }),
        ...(config.clockToleranceSeconds === undefined
          ? {}
          : { clockToleranceSeconds: config.clockToleranceSeconds }),
      },
      ...(config.limits ? { limits: config.limits } : {}),
      ...config.bounds,
      governance: {
        policy: parts.policy,
        accessLog: parts.accessLog,
        ...(config.accessLogDeadlineMs === undefined
          ? {}
          : { accessLogDeadlineMs: config.accessLogDeadlineMs }),
        idempotency: parts.idempotency,
        strict: config.strict ?? false,
        maskSecret: config.maskSecret ?? randomBytes(32).toString('base64url'),
        safelist: config.safelist ?? null,
      },
    },
    { logger, metrics: parts.metrics, database: parts.database },
  );
}
