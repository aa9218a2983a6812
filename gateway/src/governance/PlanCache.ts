import { LRUCache } from 'lru-cache';

import type { GovernedPlan } from './governOperation.js';

/** Counters of a {@link PlanCache}, for /health and benchmarks. */
export interface PlanCacheStats {
  hits: number;
  misses: number;
  size: number;
}

/**
 * Governed plans cached per (operation hash, operation name, values of the
 * variables that decide `@skip`/`@include`, principal policy key, policy
 * version), as DESIGN.md requires. A plan is never used at or after its
 * `expiresAt` (the next instant a validity window or grant expiry changes a
 * decision), so an expired grant stops granting without any cache flush.
 */
export class PlanCache {
  readonly #conditions: LRUCache<string, readonly string[]>;
  readonly #plans: LRUCache<string, GovernedPlan>;
  #hits = 0;
  #misses = 0;

  constructor(maxPlans = 10_000) {
    this.#conditions = new LRUCache({ max: maxPlans });
    this.#plans = new LRUCache({ max: maxPlans });
  }

  static documentKey(queryHash: string, operationName: string | null): string {
    return JSON.stringify([queryHash, operationName]);
  }

  #key(
    documentKey: string,
    conditions: readonly string[],
    variables: Readonly<Record<string, unknown>> | null,
    policyKey: string,
    policyVersion: string,
  ): string {
    return JSON.stringify([
      documentKey,
      conditions.map((name) => variables?.[name] ?? null),
      policyKey,
      policyVersion,
    ]);
  }

  get(
    documentKey: string,
    variables: Readonly<Record<string, unknown>> | null,
    policyKey: string,
    policyVersion: string,
    now: number,
  ): GovernedPlan | undefined {
    const conditions = this.#conditions.get(documentKey);
    if (conditions !== undefined) {
      const key = this.#key(
        documentKey,
        conditions,
        variables,
        policyKey,
        policyVersion,
      );
      const plan = this.#plans.get(key);
      if (plan !== undefined && now < plan.expiresAt) {
        this.#hits += 1;
        return plan;
      }
      if (plan !== undefined) this.#plans.delete(key);
    }
    this.#misses += 1;
    return undefined;
  }

  set(
    documentKey: string,
    variables: Readonly<Record<string, unknown>> | null,
    policyKey: string,
    plan: GovernedPlan,
  ): void {
    this.#conditions.set(documentKey, plan.conditionVariables);
    this.#plans.set(
      this.#key(
        documentKey,
        plan.conditionVariables,
        variables,
        policyKey,
        plan.policyVersion,
      ),
      plan,
    );
  }

  get stats(): PlanCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#plans.size };
  }
}
