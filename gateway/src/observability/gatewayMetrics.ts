// The gateway's Prometheus metrics (docs/operations.md#metrics): requests,
// governance (withheld and masked fields by rule and owner department, the
// plan cache — the decision cache), the access log, the policy store and
// each subgraph's calls. Counted on the hot path only where an event
// happens (a withheld field, a subgraph call); figures the gateway already
// keeps (plan-cache counters, the access log's queue, the policy's status)
// are read when Prometheus scrapes, in prom-client `collect()` callbacks.
import { Counter, Gauge, Histogram } from 'prom-client';

import type { OwnershipCatalog } from '../../../policies/src/index.js';
import type { GovernedPlan } from '../../../policies/src/govern/governOperation.js';
import type {
  AccessLog,
  AccessLogObserver,
} from '../../../policies/store/src/audit/index.js';
import type { PolicyStoreStatus } from '../../../policies/store/src/policy/index.js';
import {
  createComponentMetrics,
  type ComponentMetrics,
} from '../../../subgraphs/kit/src/metrics/ComponentMetrics.js';
import {
  graphqlRequestMetrics,
  type GraphQLRequestMetrics,
} from '../../../subgraphs/kit/src/metrics/graphqlRequestMetrics.js';
import type { PlanCacheStats } from '../pipeline/PlanCache.js';

/** What the gateway's metrics read when scraped. */
export interface GatewayMetricSources {
  planCache(): PlanCacheStats;
  /** The policy version in force. */
  policyVersion(): string;
  /** The policy store's status; null when the policy is not from a store. */
  policyStatus(): PolicyStoreStatus | null;
  accessLog: AccessLog | null;
}

/** The gateway's metrics; one per gateway. */
export interface GatewayMetrics {
  readonly endpoint: ComponentMetrics;
  readonly requests: GraphQLRequestMetrics;
  /** Reads its scraped figures from `sources` (once the gateway has them). */
  bind(sources: GatewayMetricSources): void;
  /** Counts the withheld and masked fields of a governed operation. */
  governed(plan: GovernedPlan, ownership: OwnershipCatalog): void;
  /** Counts an operation refused because its access-log record could not be written. */
  failClosedRefusal(operation: 'query' | 'mutation'): void;
  /** Counts one subgraph call. */
  subgraphCall(subgraph: string, seconds: number, failed: boolean): void;
  /** Told of the access log's batches (createAccessLog's `observer`). */
  readonly accessLogObserver: AccessLogObserver;
}

const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** The owner label of a coordinate: its department, or `shared`/`gateway`. */
function ownerOf(coordinate: string, ownership: OwnershipCatalog): string {
  const owners = ownership.get(coordinate)?.owners ?? [];
  if (owners.length === 1) return owners[0] ?? 'gateway';
  return owners.length === 0 ? 'gateway' : 'shared';
}

/** Creates the gateway's metrics in a registry of its own (`component="gateway"`). */
export function createGatewayMetrics(): GatewayMetrics {
  const endpoint = createComponentMetrics('gateway');
  const registers = [endpoint.registry];
  const requests = graphqlRequestMetrics(endpoint);
  let sources: GatewayMetricSources | null = null;

  const withheld = new Counter({
    name: 'govgraph_gateway_withheld_fields_total',
    help: 'Fields withheld from answers, by rule, owner department (subgraph) and code',
    labelNames: ['rule', 'owner', 'code'],
    registers,
  });
  const masked = new Counter({
    name: 'govgraph_gateway_masked_fields_total',
    help: 'Fields answered masked, by rule, owner department (subgraph) and mask',
    labelNames: ['rule', 'owner', 'mask'],
    registers,
  });
  new Counter({
    name: 'govgraph_gateway_plan_cache_lookups_total',
    help: 'Governed-plan (decision) cache lookups by result (hit, miss); decisions are cached in the plans',
    labelNames: ['result'],
    registers,
    collect() {
      if (sources === null) return;
      const stats = sources.planCache();
      this.reset();
      this.inc({ result: 'hit' }, stats.hits);
      this.inc({ result: 'miss' }, stats.misses);
    },
  });
  new Gauge({
    name: 'govgraph_gateway_plan_cache_entries',
    help: 'Governed plans in the cache',
    registers,
    collect() {
      if (sources !== null) this.set(sources.planCache().size);
    },
  });
  new Gauge({
    name: 'govgraph_policy_info',
    help: 'The policy version in force (label version), always 1',
    labelNames: ['version'],
    registers,
    collect() {
      if (sources === null) return;
      this.reset();
      this.set({ version: sources.policyVersion() }, 1);
    },
  });
  const policyStatus = (): PolicyStoreStatus | null =>
    sources?.policyStatus() ?? null;
  new Gauge({
    name: 'govgraph_policy_reload_lag_seconds',
    help: 'Seconds since the policy was last loaded successfully from the store',
    registers,
    collect() {
      const loadedAt = policyStatus()?.loadedAt;
      if (loadedAt) this.set((Date.now() - Date.parse(loadedAt)) / 1000);
    },
  });
  new Gauge({
    name: 'govgraph_policy_store_connected',
    help: 'Whether the policy store listens for change notifications (1) or not (0)',
    registers,
    collect() {
      const status = policyStatus();
      if (status !== null) this.set(status.listening ? 1 : 0);
    },
  });
  new Gauge({
    name: 'govgraph_policy_stale',
    help: 'Whether the policy may be out of date: its last load failed, or notifications are down and the last load is old (1)',
    registers,
    collect() {
      const status = policyStatus();
      if (status !== null) this.set(status.stale ? 1 : 0);
    },
  });
  new Gauge({
    name: 'govgraph_access_log_queue_depth',
    help: 'Access-log records appended and not yet committed',
    registers,
    collect() {
      const log = sources?.accessLog;
      if (log) this.set(log.pending);
    },
  });
  new Gauge({
    name: 'govgraph_access_log_healthy',
    help: 'Whether the last access-log batch was written (1) or failed (0)',
    registers,
    collect() {
      const log = sources?.accessLog;
      if (log) this.set(log.healthy ? 1 : 0);
    },
  });
  const batchSize = new Histogram({
    name: 'govgraph_access_log_batch_size',
    help: 'Records per access-log batch committed',
    buckets: BATCH_BUCKETS,
    registers,
  });
  const commit = new Histogram({
    name: 'govgraph_access_log_commit_duration_seconds',
    help: 'Time to commit one access-log batch',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const failures = new Counter({
    name: 'govgraph_access_log_write_failures_total',
    help: 'Access-log batches that could not be written',
    registers,
  });
  const failedRecords = new Counter({
    name: 'govgraph_access_log_failed_records_total',
    help: 'Records of the access-log batches that could not be written',
    registers,
  });
  const refusals = new Counter({
    name: 'govgraph_access_log_fail_closed_refusals_total',
    help: 'Operations refused (fail closed) because their access-log record could not be written in time, by operation type',
    labelNames: ['operation'],
    registers,
  });
  const subgraphDuration = new Histogram({
    name: 'govgraph_gateway_subgraph_request_duration_seconds',
    help: 'Duration of the gateway’s calls to each subgraph, by outcome (ok, error)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ],
    registers,
  });
  const subgraphErrors = new Counter({
    name: 'govgraph_gateway_subgraph_errors_total',
    help: 'Subgraph calls that failed (unreachable, timed out, HTTP error, unreadable answer)',
    labelNames: ['subgraph'],
    registers,
  });

  return {
    endpoint,
    requests,
    bind(next) {
      sources = next;
    },
    governed(plan, ownership) {
      for (const w of plan.withheld) {
        withheld.inc({
          rule: w.rule,
          owner: ownerOf(w.coordinate, ownership),
          code: w.code,
        });
      }
      for (const m of plan.masked) {
        masked.inc({
          rule: m.rule,
          owner: ownerOf(m.coordinate, ownership),
          mask: m.mask,
        });
      }
    },
    failClosedRefusal(operation) {
      refusals.inc({ operation });
    },
    subgraphCall(subgraph, seconds, failed) {
      subgraphDuration.observe(
        { subgraph, outcome: failed ? 'error' : 'ok' },
        seconds,
      );
      if (failed) subgraphErrors.inc({ subgraph });
    },
    accessLogObserver: {
      batchWritten(records, seconds) {
        batchSize.observe(records);
        commit.observe(seconds);
      },
      batchFailed(records) {
        failures.inc();
        failedRecords.inc(records);
      },
    },
  };
}
