import { createHmac, randomUUID } from 'node:crypto';

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
import type { Attributes, Span } from '@opentelemetry/api';
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
  IdempotencyClaim,
  IdempotencyKeys,
} from '../../../policies/store/src/audit/index.js';
import { sha256 } from '../../../subgraphs/kit/src/sha256.js';
import {
  activeTracer,
  currentTraceId,
  failSpan,
  withSpan,
} from '../../../subgraphs/kit/src/tracing/tracing.js';
import { applyMasks } from './applyMasks.js';
import { PAST_DEADLINE, withinDeadline } from './deadline.js';
import { explainOperation } from './explainOperation.js';
import {
  GatewayError,
  IDEMPOTENCY_KEY_HEADER,
  rejected,
  STRICT_HEADER,
} from './GatewayError.js';
import {
  isIdempotencyKey,
  replayedAnswer,
  requestHashOf,
  storedAnswerOf,
} from './idempotentAnswer.js';
import {
  chargeOperation,
  CostBudget,
  type OperationLimits,
} from './operationLimits.js';
import { PlanCache } from './PlanCache.js';
import { subgraphExtensionsOf } from './subgraphExtensions.js';
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
   * its response leaves (a mutation's attempt before it runs); `null` logs
   * nothing (tests and benchmarks only).
   */
  accessLog: AccessLog | null;
  /**
   * Longest wait for an access-log append, in milliseconds, timed by this
   * process: past it the read (or the mutation, which is then not run) is
   * refused with `AUDIT_UNAVAILABLE`, as when the append fails.
   * @defaultValue {@link DEFAULT_ACCESS_LOG_DEADLINE_MS}
   */
  accessLogDeadlineMs?: number;
  /**
   * Where the idempotency keys of mutations (`Idempotency-Key`) are kept;
   * absent or `null`: a mutation sent with a key is refused (400).
   */
  idempotency?: IdempotencyKeys | null;
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
  /** Told of every governed operation and refusal (metrics, the request log). */
  observer?: GovernanceObserver | null;
}

/** What {@link GovernedGatewayConfig.observer} is told. */
export interface GovernanceObserver {
  /**
   * An operation governed: `operation` is Apollo's per-operation
   * `requestContext.metrics` object (the same for the plugins of that
   * operation), `plan` what was decided.
   */
  governed(
    operation: object,
    plan: GovernedPlan,
    ownership: OwnershipCatalog,
  ): void;
  /** An operation refused because its access-log record could not be written. */
  failClosedRefusal(operation: 'query' | 'mutation'): void;
}

/** The access-log append deadline where none is given: 2 s. */
export const DEFAULT_ACCESS_LOG_DEADLINE_MS = 2_000;

/**
 * How an access-log append ended: written; failed (nothing written);
 * `LATE`: not settled by the deadline (it may still be written); `OFF`:
 * there is no access log.
 */
type Appended = 'WRITTEN' | 'FAILED' | 'LATE' | 'OFF';

/** An idempotency key this request holds: released if it does not run, completed with its answer if it did. */
interface ClaimedKey {
  /** Frees the key (waiting at most the deadline); never rejects. */
  release(): Promise<void>;
  complete(answer: ExecutionResult): Promise<void>;
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
  readonly #deadlineMs: number;
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
    this.#deadlineMs =
      config.accessLogDeadlineMs ?? DEFAULT_ACCESS_LOG_DEADLINE_MS;
    if (!Number.isInteger(this.#deadlineMs) || this.#deadlineMs < 1) {
      throw new RangeError(
        'accessLogDeadlineMs must be a positive whole number of milliseconds',
      );
    }
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
    const tracer = activeTracer();
    if (tracer === null) return this.#governAndRun(requestContext, null);
    return tracer.startActiveSpan(
      'graphql operation',
      { attributes: operationAttributes(requestContext) },
      async (span) => {
        try {
          const result = await this.#governAndRun(requestContext, span);
          span.setAttributes(resultAttributes(result));
          return result;
        } catch (error) {
          failSpan(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** {@link GovernedGateway.#execute}'s pipeline, in the operation's span when traced. */
  async #governAndRun(
    requestContext: GatewayGraphQLRequestContext,
    span: Span | null,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const schema = this.#schema;
    const executor = this.#executor;
    if (schema === undefined || executor === undefined) {
      throw new Error('the governed gateway executed before it loaded');
    }
    const governing =
      span === null
        ? this.#admitAndGovern(requestContext, schema)
        : this.#tracedGovernance(requestContext, schema, span);
    if (governing instanceof GraphQLError) return rejected(governing);
    this.#config.observer?.governed(
      requestContext.metrics,
      governing.plan,
      this.#ownership,
    );
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
    return this.#run(requestContext, executor, governing, record, started);
  }

  /** The refusal before anything is decided, or the operation governed. */
  #admitAndGovern(
    requestContext: GatewayGraphQLRequestContext,
    schema: GraphQLSchema,
  ): Governing | GraphQLError {
    return (
      this.#admit(requestContext) ?? this.#governing(requestContext, schema)
    );
  }

  /**
   * {@link GovernedGateway.#admitAndGovern} in a `governance` span (the
   * decision: cached plan or not, fields withheld and masked, policy
   * version), its figures also on the operation's span.
   */
  #tracedGovernance(
    requestContext: GatewayGraphQLRequestContext,
    schema: GraphQLSchema,
    operationSpan: Span,
  ): Governing | GraphQLError {
    const tracer = activeTracer();
    if (tracer === null) return this.#admitAndGovern(requestContext, schema);
    return tracer.startActiveSpan('governance', (span) => {
      try {
        // Governing is synchronous: the counter moves for this request only.
        const hits = this.#plans.stats.hits;
        const governing = this.#admitAndGovern(requestContext, schema);
        if (governing instanceof GraphQLError) {
          const code = governing.extensions['code'];
          span.setAttribute(
            'govgraph.refusal',
            typeof code === 'string' ? code : 'REFUSED',
          );
          return governing;
        }
        const { plan, inForce } = governing;
        const figures = {
          ...(plan.operationName === null
            ? {}
            : { 'graphql.operation.name': plan.operationName }),
          'graphql.operation.type': plan.operation.operation,
          'govgraph.withheld.count': plan.withheld.length,
          'govgraph.masked.count': plan.masked.length,
          'govgraph.cross_department': plan.crossDepartment,
          'govgraph.policy.version': inForce.policy.version,
        };
        span.setAttributes({
          ...figures,
          'govgraph.plan_cache.hit': this.#plans.stats.hits > hits,
        });
        operationSpan.setAttributes(figures);
        return governing;
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
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
   * cross-department read before answering. A mutation goes on in
   * `#runMutation`.
   */
  async #run(
    requestContext: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    governing: Governing,
    record: (outcome: AccessOutcome) => Promise<GatewayError | null>,
    started: number,
  ): Promise<ExecutionResult> {
    const { plan } = governing;
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
    if (plan.operation.operation === OperationTypeNode.MUTATION) {
      return this.#runMutation(
        requestContext,
        executor,
        governing,
        withheldErrors,
        started,
      );
    }
    const result = await this.#executePlan(requestContext, executor, plan);
    const errors = [...(result.errors ?? []), ...withheldErrors];
    const failure = plan.crossDepartment
      ? await record(outcomeOf(result, errors))
      : null;
    if (failure) return rejected(failure);
    return { ...result, ...(errors.length > 0 ? { errors } : {}) };
  }

  /**
   * Runs the rewritten operation (nothing for an operation all of whose
   * fields are withheld), applies the row-scope probes and the masks.
   */
  async #executePlan(
    requestContext: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    plan: GovernedPlan,
  ): Promise<ExecutionResult> {
    let result: ExecutionResult;
    if (plan.empty) {
      result = { data: {} };
    } else {
      // The row scope goes into a context of this operation's own: the
      // operations of a batched request share one Apollo context.
      const context = { ...requestContext.context, scope: plan.scope };
      result = await executor({
        ...requestContext,
        context,
        document: plan.document,
        operation: plan.operation,
        source: plan.text,
        queryHash: sha256(plan.text),
      });
      // What the subgraphs tell the caller (the search index building).
      const passed = subgraphExtensionsOf(context);
      if (passed !== undefined) {
        result = { ...result, extensions: { ...result.extensions, ...passed } };
      }
    }
    if (plan.scopeProbes) nullOutOfScope(result.data);
    if (plan.masked.length > 0) {
      applyMasks(result.data as Record<string, unknown> | null, plan.masked, {
        hash: this.#hash,
        stripTypenames: plan.typenames,
      });
    }
    return result;
  }

  /**
   * A mutation tells the truth: refused and not run, or run and recorded.
   * With an `Idempotency-Key` the key is claimed first (a retry of a
   * request that ran gets its answer again). A recorded (cross-department)
   * mutation's attempt is then written to the access log — within the
   * deadline, or the mutation is refused and not run — and only then is it
   * run; its outcome record follows, and once it ran it is answered as done
   * even when that record cannot be written. After a policy write it waits
   * for the version it wrote.
   */
  async #runMutation(
    requestContext: GatewayGraphQLRequestContext,
    executor: GatewayExecutor,
    governing: Governing,
    withheldErrors: readonly GraphQLError[],
    started: number,
  ): Promise<ExecutionResult> {
    const { plan, identity } = governing;
    const claimed = await this.#claimKey(requestContext, identity);
    if (claimed instanceof GraphQLError) return rejected(claimed);
    if (claimed !== null && 'replay' in claimed) return claimed.replay;
    const recorded = plan.crossDepartment && this.#config.accessLog !== null;
    const attemptId = randomUUID();
    if (recorded) {
      const appended = await this.#append(
        requestContext,
        plan,
        'ATTEMPTED',
        started,
        attemptId,
      );
      if (this.#refuses(appended)) {
        this.#config.observer?.failClosedRefusal('mutation');
        this.#logger.error(
          { attemptId, appended },
          'access log unavailable; mutation refused and not run',
        );
        await claimed?.release();
        if (appended === 'LATE') {
          // The attempt may still be written: its outcome follows it.
          void this.#append(
            requestContext,
            plan,
            'REJECTED',
            started,
            attemptId,
          );
        }
        return rejected(GatewayError.mutationNotRecorded('attempt'));
      }
    }
    let result: ExecutionResult;
    try {
      result = await this.#executePlan(requestContext, executor, plan);
    } catch (error) {
      // Whether the subgraph wrote is not known: the key stays held.
      if (recorded) {
        void this.#append(requestContext, plan, 'ERROR', started, attemptId);
      }
      throw error;
    }
    const errors = [...(result.errors ?? []), ...withheldErrors];
    if (recorded) {
      const appended = await this.#append(
        requestContext,
        plan,
        outcomeOf(result, errors),
        started,
        attemptId,
      );
      if (appended === 'FAILED' || appended === 'LATE') {
        this.#logger.error(
          { attemptId, appended },
          'a mutation ran and its attempt is in the access log, but its outcome record could not be written in time; it is answered as done',
        );
      }
    }
    let answer: ExecutionResult = {
      ...result,
      ...(errors.length > 0 ? { errors } : {}),
    };
    if (this.#writesPolicy(plan)) answer = await this.#afterPolicyWrite(answer);
    await claimed?.complete(answer);
    return answer;
  }

  /**
   * The mutation's `Idempotency-Key`, claimed for this caller and request:
   * `null` without a key; the first answer again (`replay`) for a retry of
   * a request that ran; a refusal for a key that is malformed, used for
   * another request, held by a request still running, or that cannot be
   * checked in time.
   */
  async #claimKey(
    requestContext: GatewayGraphQLRequestContext,
    identity: RequestPrincipal,
  ): Promise<null | GraphQLError | { replay: ExecutionResult } | ClaimedKey> {
    const key = requestContext.request.http?.headers.get(
      IDEMPOTENCY_KEY_HEADER,
    );
    if (key === undefined || key === null) return null;
    if (!isIdempotencyKey(key)) return GatewayError.idempotencyKeyMalformed();
    const store = this.#config.idempotency ?? null;
    if (store === null) return GatewayError.idempotencyKeysDisabled();
    const subject = identity.subject;
    const requestHash = requestHashOf({
      queryHash: requestContext.queryHash,
      operationName: requestContext.request.operationName ?? null,
      variables: requestContext.request.variables ?? null,
      purpose: identity.purpose,
    });
    const claiming = store.claim(subject, key, requestHash);
    let claim: IdempotencyClaim | typeof PAST_DEADLINE;
    try {
      claim = await withinDeadline(claiming, this.#deadlineMs);
    } catch (error) {
      this.#logger.error(
        { err: error },
        'idempotency key cannot be checked; mutation refused and not run',
      );
      return GatewayError.mutationNotRecorded('idempotency-key');
    }
    // Before the refusal leaves, so that a retry with the key may run.
    const release = async (): Promise<void> => {
      try {
        const released = await withinDeadline(
          store.release(subject, key, requestHash),
          this.#deadlineMs,
        );
        if (released !== PAST_DEADLINE) return;
      } catch (error) {
        this.#logger.error(
          { err: error },
          'releasing an idempotency key failed',
        );
      }
      this.#logger.error(
        'the idempotency key of a mutation that was not run is not released; retries with it are answered IDEMPOTENCY_KEY_IN_PROGRESS until it expires',
      );
    };
    if (claim === PAST_DEADLINE) {
      this.#logger.error(
        'idempotency key not checked within the deadline; mutation refused and not run',
      );
      // A claim that lands late is given back: nothing ran under it.
      claiming
        .then(async (late) => {
          if (late.kind === 'CLAIMED') await release();
        })
        .catch(() => undefined);
      return GatewayError.mutationNotRecorded('idempotency-key');
    }
    switch (claim.kind) {
      case 'MISMATCH':
        return GatewayError.idempotencyKeyReused();
      case 'PENDING':
        return GatewayError.idempotencyKeyInProgress();
      case 'DONE':
        return { replay: replayedAnswer(claim.response) };
      case 'CLAIMED':
        break;
    }
    return {
      release,
      complete: async (answer) => {
        try {
          await store.complete(
            subject,
            key,
            requestHash,
            storedAnswerOf(answer),
          );
        } catch (error) {
          this.#logger.error(
            { err: error },
            'the answer of a mutation that ran could not be stored under its idempotency key; retries with it are answered IDEMPOTENCY_KEY_IN_PROGRESS until it expires',
          );
        }
      },
    };
  }

  /**
   * Appends a read's record to the access log. Resolves with the refusal
   * to answer instead when the log cannot be written in time and fails
   * closed.
   */
  async #record(
    requestContext: GatewayGraphQLRequestContext,
    plan: GovernedPlan,
    outcome: AccessOutcome,
    started: number,
  ): Promise<GatewayError | null> {
    const appended = await this.#append(requestContext, plan, outcome, started);
    if (!this.#refuses(appended)) return null;
    this.#config.observer?.failClosedRefusal('query');
    this.#logger.error(
      { appended },
      'access log unavailable; cross-department read refused',
    );
    return GatewayError.auditUnavailable();
  }

  /** Whether an append's end refuses the operation (fail closed). */
  #refuses(appended: Appended): boolean {
    return (
      (appended === 'FAILED' || appended === 'LATE') &&
      this.#config.accessLog?.failClosed === true
    );
  }

  /**
   * Appends one record of the operation, waiting for it at most the
   * access-log deadline. Never rejects.
   */
  async #append(
    requestContext: GatewayGraphQLRequestContext,
    plan: GovernedPlan,
    outcome: AccessOutcome,
    started: number,
    attemptId?: string,
  ): Promise<Appended> {
    const audit = this.#config.accessLog;
    if (audit === null) return 'OFF';
    return withSpan(
      'audit append',
      { attributes: { 'govgraph.audit.outcome': outcome } },
      async (span) => {
        const appended = await this.#appendRecord(
          audit,
          requestContext,
          plan,
          outcome,
          started,
          attemptId,
        );
        span?.setAttribute('govgraph.audit.appended', appended);
        return appended;
      },
    );
  }

  /** {@link GovernedGateway.#append} with the access log at hand. */
  async #appendRecord(
    audit: AccessLog,
    requestContext: GatewayGraphQLRequestContext,
    plan: GovernedPlan,
    outcome: AccessOutcome,
    started: number,
    attemptId: string | undefined,
  ): Promise<Appended> {
    const identity = (requestContext.context as GovernedContext).principal;
    const traceId = currentTraceId();
    const appending = audit.append({
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
      ...(attemptId === undefined ? {} : { attemptId }),
      ...(traceId === undefined ? {} : { traceId }),
    });
    // An attempt is written now rather than after the batch interval.
    if (outcome === 'ATTEMPTED') void audit.flush();
    try {
      const settled = await withinDeadline(appending, this.#deadlineMs);
      if (settled !== PAST_DEADLINE) return 'WRITTEN';
      this.#logger.error(
        { deadlineMs: this.#deadlineMs, outcome, attemptId },
        'access-log append not settled within its deadline',
      );
      return 'LATE';
    } catch (error) {
      if (audit.failClosed) {
        this.#logger.error(
          { err: error, outcome, attemptId },
          'access-log append failed',
        );
      }
      return 'FAILED';
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

/** What the operation's span says of it from the start (no variable, no text). */
function operationAttributes(
  requestContext: GatewayGraphQLRequestContext,
): Attributes {
  const principal = (requestContext.context as Partial<GovernedContext>)
    .principal;
  const name = requestContext.request.operationName;
  return {
    ...(name ? { 'graphql.operation.name': name } : {}),
    'govgraph.operation.hash': requestContext.queryHash,
    ...(principal
      ? {
          'govgraph.department': principal.department,
          'govgraph.purpose': principal.purpose,
        }
      : {}),
  };
}

/** How the operation ended, for its span: outcome and the errors' codes. */
function resultAttributes(result: ExecutionResult): Attributes {
  const errors = result.errors ?? [];
  const codes = new Set<string>();
  for (const error of errors) {
    const code = error.extensions?.['code'];
    if (typeof code === 'string') codes.add(code);
  }
  return {
    'govgraph.outcome': outcomeOf(result, errors),
    ...(codes.size > 0 ? { 'govgraph.error.codes': [...codes].sort() } : {}),
  };
}
