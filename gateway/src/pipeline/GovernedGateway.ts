import { createHmac } from 'node:crypto';

import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
} from '@apollo/server-gateway-interface';
import {
  execute,
  GraphQLError,
  OperationTypeNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

import {
  decideCoordinate,
  governOperation,
  mayIntrospect,
  nextPolicyChange,
  nullOutOfScope,
  OperationAnalysisError,
  policyKey,
  POLICY_WRITES,
  readOwnership,
  RESERVED_PREFIX,
  withExplain,
  type ExplainContext,
  type GovernedPlan,
  type OwnershipCatalog,
  type Principal as PolicyPrincipal,
  type RequestPrincipal,
} from '../../../policies/src/index.js';
import type {
  AccessLog,
  AccessOutcome,
} from '../../../policies/store/src/audit/index.js';
import { sha256 } from '../../../subgraphs/kit/src/index.js';
import { applyMasks } from './applyMasks.js';
import { explainOperation } from './explainOperation.js';
import { GatewayError, rejected, STRICT_HEADER } from './GatewayError.js';
import {
  chargeOperation,
  CostBudget,
  type OperationLimits,
} from './operationLimits.js';
import { PlanCache } from './PlanCache.js';
import {
  policyPrincipalOf,
  type PolicyInForce,
  type PolicySource,
} from './policyPrincipalOf.js';
import { visibleSchema } from './visibleSchema.js';

/** Configuration of {@link GovernedGateway}. */
export interface GovernedGatewayConfig {
  /** The policy every decision is taken under. */
  policy: PolicySource;
  /**
   * The access log every cross-department operation is appended to before
   * its response leaves; `null` logs nothing (tests and benchmarks only).
   */
  accessLog: AccessLog | null;
  /**
   * Refuse a whole operation when any field of it is withheld, instead of
   * answering the rest. A request can also opt in with `x-govgraph-strict: true`.
   * @defaultValue false
   */
  strict?: boolean;
  /**
   * Secret of the keyed digest behind `HASH` masks (HMAC-SHA-256), so that
   * hashed values link across records but cannot be reversed by hashing
   * every candidate.
   */
  maskSecret: string | Uint8Array;
  /**
   * When set, only operations whose SHA-256 (the persisted-query hash of
   * their text) is listed are run; anything else is refused with
   * `OPERATION_NOT_IN_SAFELIST`.
   */
  safelist?: ReadonlySet<string> | null;
  /** Most governed plans kept. @defaultValue 10000 */
  planCacheSize?: number;
  /**
   * Limits on each request: its cost (all operations of a batch, and the
   * operations they explain, together), and the parse and validation
   * limits an operation given to `Query.explain` is held to.
   * @defaultValue {@link DEFAULT_OPERATION_LIMITS}
   */
  limits?: OperationLimits;
  /** The clock. */
  now?: () => Date;
}

/** The limits where none are given: 1000 tokens, a cost of 200000. */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = Object.freeze({
  maxTokens: 1_000,
  maxCost: 200_000,
  validationRules: [],
});

/** The Apollo context the governed gateway reads and writes. */
interface GovernedContext {
  principal: RequestPrincipal;
  scope?: unknown;
  /** The request's cost budget, shared by a batch's operations. */
  budget?: CostBudget;
}

/** One operation being governed: who asks, under what, and its plan. */
interface Governing {
  /** The caller as authenticated (the wire principal). */
  readonly identity: RequestPrincipal;
  /** The policy engine's principal (with its filing, for an algorithm). */
  readonly principal: PolicyPrincipal;
  /** The principal's policy key (see policyKey). */
  readonly key: string;
  readonly inForce: PolicyInForce;
  readonly now: Date;
  readonly budget: CostBudget;
  readonly plan: GovernedPlan;
}

/**
 * @apollo/gateway with govgraph's governance around its executor: for every
 * operation it decides each field (negative list, grants, CASL roles,
 * algorithm filings), removes withheld fields before the query plan is
 * built, signs the row scope into every subgraph call, masks values before
 * they leave, answers introspection with the schema the caller may use,
 * resolves `Query.explain`, and appends cross-department reads to the
 * access log before answering (fail closed).
 */
export class GovernedGateway implements GatewayInterface {
  readonly #inner: ApolloGateway;
  readonly #config: GovernedGatewayConfig;
  readonly #logger: Logger;
  readonly #plans: PlanCache;
  readonly #visible = new LRUCache<
    string,
    { schema: GraphQLSchema; expiresAt: number }
  >({ max: 200 });
  readonly #hash: (value: string) => string;
  readonly #limits: OperationLimits;
  #schema: GraphQLSchema | undefined;
  #local: ReadonlySet<string> = new Set();
  #ownership: OwnershipCatalog = new Map();
  #executor: GatewayExecutor | undefined;

  constructor(
    inner: ApolloGateway,
    config: GovernedGatewayConfig,
    logger: Logger,
  ) {
    this.#inner = inner;
    this.#config = config;
    this.#logger = logger;
    this.#plans = new PlanCache(config.planCacheSize);
    this.#limits = config.limits ?? DEFAULT_OPERATION_LIMITS;
    const key =
      typeof config.maskSecret === 'string'
        ? Buffer.from(config.maskSecret, 'utf8')
        : config.maskSecret;
    this.#hash = (value) =>
      createHmac('sha256', key).update(value).digest('hex');
  }

  /** Plan-cache counters (hits, misses, size). */
  get planCache(): PlanCache['stats'] {
    return this.#plans.stats;
  }

  onSchemaLoadOrUpdate(
    callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0],
  ): () => void {
    return this.#inner.onSchemaLoadOrUpdate(
      ({ apiSchema, coreSupergraphSdl }) => {
        const { schema, localCoordinates } = withExplain(apiSchema);
        this.#schema = schema;
        this.#local = localCoordinates;
        this.#ownership = readOwnership(coreSupergraphSdl);
        this.#visible.clear();
        callback({ apiSchema: schema, coreSupergraphSdl });
      },
    );
  }

  async load(
    options: Parameters<GatewayInterface['load']>[0],
  ): Promise<GatewayLoadResult> {
    const { executor } = await this.#inner.load(options);
    this.#executor = executor ?? undefined;
    return { executor: (requestContext) => this.#execute(requestContext) };
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }

  /**
   * The pipeline of one operation, in the decision order of
   * docs/design.md: admit it, govern it (principal, cost, plan), answer
   * introspection and explain locally or run the rewritten operation, mask,
   * record, and after a policy write wait for the new version.
   */
  async #execute(
    requestContext: GatewayGraphQLRequestContext,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const schema = this.#schema;
    const executor = this.#executor;
    if (schema === undefined || executor === undefined) {
      throw new Error('the governed gateway executed before it loaded');
    }
    const refusal = this.#admit(requestContext);
    if (refusal) return rejected(refusal);
    const governing = this.#governing(requestContext, schema);
    if (governing instanceof GraphQLError) return rejected(governing);
    const record = (outcome: AccessOutcome): Promise<GatewayError | null> =>
      this.#record(requestContext, governing.plan, outcome, started);
    const { plan } = governing;
    const local = plan.rootFields.filter((f) => this.#local.has(f));
    if (
      plan.introspection.schema ||
      plan.introspection.type ||
      local.length > 0
    ) {
      if (local.length < plan.rootFields.length) {
        return rejected(GatewayError.localWithData());
      }
      return this.#answerLocally(requestContext, schema, governing, record);
    }
    return this.#run(requestContext, executor, governing, record);
  }

  /** Safelist and reserved names: refusals before anything is decided. */
  #admit(requestContext: GatewayGraphQLRequestContext): GatewayError | null {
    const safelist = this.#config.safelist;
    if (safelist && !safelist.has(requestContext.queryHash)) {
      return GatewayError.notInSafelist();
    }
    if (requestContext.source.includes(RESERVED_PREFIX)) {
      return GatewayError.reservedName(RESERVED_PREFIX);
    }
    return null;
  }

  /**
   * Who asks under which policy, the request's cost charged to its budget,
   * and the governed plan (from the cache or made now).
   */
  #governing(
    requestContext: GatewayGraphQLRequestContext,
    schema: GraphQLSchema,
  ): Governing | GraphQLError {
    const context = requestContext.context as GovernedContext;
    const identity = context.principal;
    const { request } = requestContext;
    const inForce = this.#config.policy.current();
    const principal = policyPrincipalOf(identity, inForce);
    if (principal instanceof GraphQLError) return principal;
    const key = policyKey(principal, identity.purpose);
    const now = this.#config.now?.() ?? new Date();
    // The operations of a batched request share the request's budget
    // (they share its context); a context without one gets its own.
    const budget = (context.budget ??= new CostBudget(this.#limits.maxCost));
    try {
      const overBudget = chargeOperation(
        budget,
        schema,
        requestContext.document,
        {
          operationName: request.operationName ?? null,
          variables: request.variables ?? null,
        },
        this.#limits,
      );
      if (overBudget) return overBudget;
      const plan = this.#planOf(requestContext, principal, key, inForce, now);
      return { identity, principal, key, inForce, now, budget, plan };
    } catch (error) {
      if (error instanceof OperationAnalysisError) {
        return GatewayError.badOperation(error);
      }
      throw error;
    }
  }

  /**
   * Introspection (with the schema the caller may use) and `Query.explain`,
   * answered by the gateway itself and recorded like any read.
   */
  async #answerLocally(
    requestContext: GatewayGraphQLRequestContext,
    schema: GraphQLSchema,
    governing: Governing,
    record: (outcome: AccessOutcome) => Promise<GatewayError | null>,
  ): Promise<ExecutionResult> {
    const { plan, principal, identity, inForce, now, budget } = governing;
    const introspects = plan.introspection.schema || plan.introspection.type;
    if (introspects && !mayIntrospect(principal, inForce.policy)) {
      const failure = await record('REJECTED');
      return rejected(failure ?? GatewayError.introspectionRefused());
    }
    const explainContext: ExplainContext = {
      explain: (args) =>
        explainOperation(args, {
          schema,
          limits: this.#limits,
          ownership: this.#ownership,
          localCoordinates: this.#local,
          principal,
          identity,
          inForce,
          now,
          budget,
        }),
    };
    const result = await execute({
      schema: introspects ? this.#visibleSchema(governing) : schema,
      document: plan.document,
      variableValues: requestContext.request.variables ?? null,
      operationName: plan.operationName,
      contextValue: explainContext,
    });
    // Explain tells what the policy decides; introspection what the
    // caller may read: both are recorded like any read.
    const failure = await record(outcomeOf(result, result.errors ?? []));
    return failure ? rejected(failure) : result;
  }

  /**
   * Runs the rewritten operation through the query planner (or refuses it
   * whole in strict mode), masks what must be masked, records a
   * cross-department read before answering, and after a policy write waits
   * for the version it wrote.
   */
  async #run(
    requestContext: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    { plan }: Governing,
    record: (outcome: AccessOutcome) => Promise<GatewayError | null>,
  ): Promise<ExecutionResult> {
    const withheldErrors = plan.withheld.map((w) => GatewayError.withheld(w));
    const strict =
      this.#config.strict === true ||
      requestContext.request.http?.headers
        .get(STRICT_HEADER)
        ?.trim()
        .toLowerCase() === 'true';
    if (strict && withheldErrors.length > 0) {
      const failure = plan.crossDepartment ? await record('REJECTED') : null;
      return rejected(...(failure ? [failure] : withheldErrors));
    }
    let result: ExecutionResult;
    if (plan.empty) {
      result = { data: {} };
    } else {
      // The row scope goes into a context of this operation's own: the
      // operations of a batched request share one Apollo context.
      result = await executor({
        ...requestContext,
        context: { ...requestContext.context, scope: plan.scope },
        document: plan.document,
        operation: plan.operation,
        source: plan.text,
        queryHash: sha256(plan.text),
      });
    }
    if (plan.scopeProbes) nullOutOfScope(result.data);
    if (plan.masked.length > 0) {
      applyMasks(result.data as Record<string, unknown> | null, plan.masked, {
        hash: this.#hash,
        stripTypenames: plan.typenames,
      });
    }
    const errors = [...(result.errors ?? []), ...withheldErrors];
    const failure = plan.crossDepartment
      ? await record(outcomeOf(result, errors))
      : null;
    if (failure) return rejected(failure);
    const answer = { ...result, ...(errors.length > 0 ? { errors } : {}) };
    return this.#writesPolicy(plan) ? this.#afterPolicyWrite(answer) : answer;
  }

  /**
   * Appends the operation to the access log. Resolves with the refusal to
   * answer instead when the log cannot be written and fails closed.
   */
  async #record(
    requestContext: GatewayGraphQLRequestContext,
    plan: GovernedPlan,
    outcome: AccessOutcome,
    started: number,
  ): Promise<GatewayError | null> {
    const audit = this.#config.accessLog;
    if (audit === null) return null;
    const identity = (requestContext.context as GovernedContext).principal;
    try {
      await audit.append({
        subject: identity.subject,
        department: identity.department,
        roles: identity.roles,
        purpose: identity.purpose,
        operationHash: requestContext.queryHash,
        operationText: requestContext.source,
        operationName: plan.operationName,
        read: plan.read,
        withheld: plan.withheld.map((w) => ({
          coordinate: w.coordinate,
          path: w.path,
          code: w.code,
          rule: w.rule,
        })),
        masked: plan.masked.map((m) => ({
          coordinate: m.coordinate,
          rule: m.rule,
          mask: m.mask,
        })),
        outcome,
        latencyMs: Math.round(performance.now() - started),
      });
      return null;
    } catch (error) {
      if (!audit.failClosed) return null;
      this.#logger.error(
        { err: error },
        'access log unavailable; cross-department read refused',
      );
      return GatewayError.auditUnavailable();
    }
  }

  /** Whether the operation runs a mutation that writes the policy. */
  #writesPolicy(plan: GovernedPlan): boolean {
    return (
      plan.operation.operation === OperationTypeNode.MUTATION &&
      plan.rootFields.some((root) =>
        this.#ownership.get(root)?.writes.includes(POLICY_WRITES),
      )
    );
  }

  /**
   * Read-your-writes for the policy: a mutation that wrote it answers once
   * this gateway decides from a policy loaded after the write (a reload
   * starts after the call, so it sees every committed write), and reports
   * that version as `extensions.policyVersion`. Other gateways follow on
   * the store's change notification.
   */
  async #afterPolicyWrite(result: ExecutionResult): Promise<ExecutionResult> {
    const source = this.#config.policy;
    let version = source.current().policy.version;
    let reloaded = true;
    if (source.refresh !== undefined) {
      try {
        version = (await source.refresh()).policy.version;
      } catch (error) {
        reloaded = false;
        this.#logger.warn(
          { err: error },
          'policy reload after a policy write failed; the gateway decides from the previous policy until the next reload',
        );
      }
    }
    return {
      ...result,
      extensions: {
        ...result.extensions,
        policyVersion: version,
        ...(reloaded ? {} : { policyReload: 'FAILED' }),
      },
    };
  }

  /** The governed plan of the request, from the cache or made now. */
  #planOf(
    requestContext: GatewayGraphQLRequestContext,
    principal: PolicyPrincipal,
    key: string,
    inForce: PolicyInForce,
    now: Date,
  ): GovernedPlan {
    const operationName = requestContext.request.operationName ?? null;
    const variables = requestContext.request.variables ?? null;
    const cacheKey = this.#plans.keyOf(
      {
        queryHash: requestContext.queryHash,
        document: requestContext.document,
        operationName,
        variables,
      },
      key,
      inForce.policy.version,
    );
    const cached = this.#plans.get(cacheKey, now.getTime());
    if (cached) return cached;
    const plan = governOperation({
      schema: this.#schema as GraphQLSchema,
      document: requestContext.document,
      operationName,
      variables,
      principal,
      purpose: (requestContext.context as GovernedContext).principal.purpose,
      policy: inForce.policy,
      ownership: this.#ownership,
      localCoordinates: this.#local,
      now,
    });
    this.#plans.set(cacheKey, plan);
    return plan;
  }

  /** The schema one principal may use, cached per policy key and version. */
  #visibleSchema({
    principal,
    identity,
    key,
    inForce,
    now,
  }: Governing): GraphQLSchema {
    const cacheKey = JSON.stringify([key, inForce.policy.version]);
    const cached = this.#visible.get(cacheKey);
    if (cached && now.getTime() < cached.expiresAt) return cached.schema;
    const schema = visibleSchema(
      this.#schema as GraphQLSchema,
      (coordinate) =>
        decideCoordinate(coordinate, {
          principal,
          purpose: identity.purpose,
          policy: inForce.policy,
          ownership: this.#ownership,
          now,
        }).decision.effect !== 'DENY',
      this.#local,
    );
    const next = nextPolicyChange(inForce.policy, now);
    this.#visible.set(cacheKey, {
      schema,
      expiresAt: next === null ? Number.POSITIVE_INFINITY : next.getTime(),
    });
    return schema;
  }
}

function outcomeOf(
  result: ExecutionResult,
  errors: readonly unknown[],
): AccessOutcome {
  if (errors.length === 0) return 'OK';
  const data = result.data;
  return data === null || data === undefined ? 'ERROR' : 'PARTIAL';
}
