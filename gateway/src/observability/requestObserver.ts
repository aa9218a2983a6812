// One structured log line per GraphQL operation the gateway answers, and
// its request metrics (docs/operations.md#the-request-log): who asked
// (subject, department, purpose), which operation (name and hash), how it
// ended (outcome, HTTP status, fields withheld and masked), how long it
// took and the trace it belongs to. Never a variable or a value.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';

import type { OwnershipCatalog } from '../../../policies/src/index.js';
import type { GovernedPlan } from '../../../policies/src/govern/governOperation.js';
import {
  operationLabelOf,
  outcomeOfResponse,
} from '../../../subgraphs/kit/src/metrics/graphqlRequestMetrics.js';
import type { GovernanceObserver } from '../pipeline/index.js';
import type { GatewayMetrics } from './gatewayMetrics.js';

/** The trace id of the active span, when a tracing SDK records one. */
export function currentTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context !== undefined && isSpanContextValid(context)
    ? context.traceId
    : undefined;
}

/** Who asked, as the gateway's context holds them. */
interface CallerContext {
  principal?: {
    subject?: string;
    department?: string;
    purpose?: string;
  };
}

/** What governance decided for one operation, for its log line. */
interface Governed {
  withheld: number;
  masked: number;
}

/** The request log and metrics of a gateway. */
export interface RequestObserver {
  /** Told by the governance (GovernedGatewayConfig.observer). */
  readonly governance: GovernanceObserver;
  /** The Apollo plugin that logs and counts each operation. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext>;
  /**
   * Logs and counts a request refused before any operation ran (its
   * token or purpose refused).
   */
  refused(
    headers: { purpose?: string | undefined },
    status: number,
    code: string,
    seconds: number,
  ): void;
}

/**
 * The request log (always) and metrics (unless `metrics` is null) of a
 * gateway. A batched request logs one line per operation.
 */
export function createRequestObserver(
  logger: Logger,
  metrics: GatewayMetrics | null,
): RequestObserver {
  const governed = new WeakMap<object, Governed>();
  return {
    governance: {
      governed(
        operation: object,
        plan: GovernedPlan,
        ownership: OwnershipCatalog,
      ) {
        governed.set(operation, {
          withheld: plan.withheld.length,
          masked: plan.masked.length,
        });
        metrics?.governed(plan, ownership);
      },
      failClosedRefusal(operation) {
        metrics?.failClosedRefusal(operation);
      },
    },
    plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
      return {
        requestDidStart() {
          const started = performance.now();
          return Promise.resolve({
            willSendResponse(requestContext) {
              const seconds = (performance.now() - started) / 1000;
              const operation = operationLabelOf(requestContext);
              const outcome = outcomeOfResponse(requestContext);
              const status = requestContext.response.http.status ?? 200;
              metrics?.requests.observe(operation, outcome, status, seconds);
              const caller = (requestContext.contextValue as CallerContext)
                .principal;
              const decided = governed.get(requestContext.metrics);
              const traceId = currentTraceId();
              logger.info(
                {
                  subject: caller?.subject ?? null,
                  department: caller?.department ?? null,
                  purpose: caller?.purpose ?? null,
                  operationName: requestContext.operationName ?? null,
                  operationHash: requestContext.queryHash ?? null,
                  outcome,
                  status,
                  errors:
                    requestContext.response.body.kind === 'single'
                      ? (requestContext.response.body.singleResult.errors
                          ?.length ?? 0)
                      : 0,
                  withheld: decided?.withheld ?? 0,
                  masked: decided?.masked ?? 0,
                  durationMs: Math.round(seconds * 1000 * 10) / 10,
                  ...(traceId === undefined ? {} : { traceId }),
                },
                'graphql request',
              );
              return Promise.resolve();
            },
          });
        },
      };
    },
    refused(headers, status, code, seconds) {
      metrics?.requests.observe('anonymous', 'refused', status, seconds);
      const traceId = currentTraceId();
      logger.info(
        {
          subject: null,
          department: null,
          purpose: headers.purpose ?? null,
          operationName: null,
          operationHash: null,
          outcome: 'refused',
          code,
          status,
          errors: 1,
          withheld: 0,
          masked: 0,
          durationMs: Math.round(seconds * 1000 * 10) / 10,
          ...(traceId === undefined ? {} : { traceId }),
        },
        'graphql request',
      );
    },
  };
}
