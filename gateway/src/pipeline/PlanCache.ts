import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

import {
  conditionVariables,
  type ConditionVariables,
} from '../../../policies/src/index.js';
import type { GovernedPlan } from '../../../policies/src/govern/governOperation.js';

/** Counters of a {@link PlanCache}, for /health and benchmarks. */
export interface PlanCacheStats {
  hits: number;
  misses: number;
  size: number;
}

/** What of a request a governed plan depends on, beside the caller and policy. */
export interface PlanRequest {
  /** SHA-256 of the request's text. */
  readonly queryHash: string;
  /** The parsed text (the same for every request with {@link queryHash}). */
  readonly document: DocumentNode;
  readonly operationName: string | null;
  readonly variables: Readonly<Record<string, unknown>> | null;
}

/**
 * Governed plans cached per (operation text, operation name, coerced
 * values of every variable an `@skip`/`@include` of the operation reads,
 * principal policy key, policy version), as docs/design.md requires.
 *
 * The condition variables are found in the operation's text, never taken
 * from a plan: which variables a traversal happened to read depends on the
 * values it was given, and a key built from that list would serve a plan
 * decided under one assignment to a request with another. Their values are
 * keyed as coerced (defaults applied, an absent value apart from `null`).
 * And a plan's rewritten operation no longer depends on those values at all
 * (policies' `removeFields` drops what they exclude and the conditions they
 * pass), so even a plan served under other values could only run what was
 * decided.
 *
 * A plan is never used at or after its `expiresAt` (the next instant a
 * validity window or grant expiry changes a decision), so an expired grant
 * stops granting without any cache flush.
 */
export class PlanCache {
  /** Per (text, operation name): its condition variables, from the text. */
  readonly #conditions: LRUCache<string, ConditionVariables>;
  readonly #plans: LRUCache<string, GovernedPlan>;
  #hits = 0;
  #misses = 0;

  constructor(maxPlans = 10_000) {
    this.#conditions = new LRUCache({ max: maxPlans });
    this.#plans = new LRUCache({ max: maxPlans });
  }

  /**
   * The key of a request's plan for a caller under a policy version.
   *
   * @throws OperationAnalysisError when the request selects no operation
   *   of its document (see policies' `conditionVariables`)
   */
  keyOf(
    request: PlanRequest,
    policyKey: string,
    policyVersion: string,
  ): string {
    const documentKey = JSON.stringify([
      request.queryHash,
      request.operationName,
    ]);
    let conditions = this.#conditions.get(documentKey);
    if (conditions === undefined) {
      conditions = conditionVariables(request.document, request.operationName);
      this.#conditions.set(documentKey, conditions);
    }
    return JSON.stringify([
      documentKey,
      conditions.keyOf(request.variables),
      policyKey,
      policyVersion,
    ]);
  }

  /** The plan cached under `key`, unless it has expired by `now` (epoch ms). */
  get(key: string, now: number): GovernedPlan | undefined {
    const plan = this.#plans.get(key);
    if (plan !== undefined && now < plan.expiresAt) {
      this.#hits += 1;
      return plan;
    }
    if (plan !== undefined) this.#plans.delete(key);
    this.#misses += 1;
    return undefined;
  }

  /** Keeps a plan under the key {@link keyOf} gave for its request. */
  set(key: string, plan: GovernedPlan): void {
    this.#plans.set(key, plan);
  }

  get stats(): PlanCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#plans.size };
  }
}
