import { createHmac } from 'node:crypto';

import type { ApolloGateway } from '@apollo/gateway';
import { HeaderMap } from '@apollo/server';
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
  mayIntrospect,
  nextPolicyChange,
  OperationAnalysisError,
  policyKey,
  type AlgorithmState,
  type PolicySet,
  type Principal as PolicyPrincipal,
} from '../../../policies/src/index.js';
import {
  ErrorCode,
  GraphQLErrorWithCode,
} from '../../../subgraphs/kit/src/index.js';
import type {
  AccessLog,
  AccessOutcome,
} from '../../../policies/store/src/audit/index.js';
import type { Principal } from '../identity/index.js';
import { applyMasks } from './applyMasks.js';
import { RESERVED_PREFIX } from '../../../policies/src/index.js';
import {
  withExplain,
  type ExplainArgs,
  type ExplainContext,
} from '../../../policies/src/govern/explainSchema.js';
import {
  POLICY_WRITES,
  readOwnership,
  type OwnershipCatalog,
} from '../../../policies/src/govern/FieldOwnership.js';
import {
  decideCoordinate,
  governOperation,
  type GovernedPlan,
} from '../../../policies/src/govern/governOperation.js';
import { sha256 } from '../../../subgraphs/kit/src/index.js';
import {
  chargeOperation,
  CostBudget,
  EXPLAIN_MIN_COST,
  parseAndValidate,
  type OperationLimits,
} from './operationLimits.js';
import { PlanCache } from './PlanCache.js';
import { visibleSchema } from './visibleSchema.js';

/** An algorithm filing as the gateway needs it. */
export interface FilingBinding {
  readonly filingId: string;
  readonly state: AlgorithmState;
  readonly inputs: readonly string[];
}

/** One consistent policy: negative list, grants, roles, and algorithm filings. */
export interface GovernancePolicy {
  readonly policy: PolicySet;
  readonly algorithms: ReadonlyMap<string, FilingBinding>;
}

/** Where the gateway takes its current policy from (see policies/store/src/policy). */
export interface PolicySource {
  current(): GovernancePolicy;
  /**
   * Loads the policy now, seeing every write committed before the call
   * (a policy store). Without it, a mutation that writes the policy
   * answers with the current version.
   */
  refresh?(): Promise<GovernancePolicy>;
}

/** The header with which a request opts into strict mode. */
export const STRICT_HEADER = 'x-govgraph-strict';

/** Rule of a refused introspection. */
export const INTROSPECTION_RULE = 'introspection-not-allowed';

/** Rule of a refused operation outside the safelist. */
export const SAFELIST_RULE = 'safelist';

/** Configuration of {@link GovernedGateway}. */
export interface GovernanceConfig {
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
  principal: Principal;
  scope?: unknown;
  /** The request's cost budget, shared by a batch's operations. */
  budget?: CostBudget;
}

function coded(
  message: string,
  code: ErrorCode,
  extensions: Record<string, unknown> = {},
): GraphQLErrorWithCode {
  return new GraphQLErrorWithCode(message, code, { extensions });
}

function http(status: number): { status: number; headers: HeaderMap } {
  return { status, headers: new HeaderMap() };
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
  readonly #config: GovernanceConfig;
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

  constructor(inner: ApolloGateway, config: GovernanceConfig, logger: Logger) {
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

  async #execute(
    requestContext: GatewayGraphQLRequestContext,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const schema = this.#schema;
    const executor = this.#executor;
    if (schema === undefined || executor === undefined) {
      throw new Error('the governed gateway executed before it loaded');
    }
    const context = requestContext.context as GovernedContext;
    const identity = context.principal;
    const { request } = requestContext;
    const variables = request.variables ?? null;

    const safelist = this.#config.safelist;
    if (safelist && !safelist.has(requestContext.queryHash)) {
      return rejected(
        coded(
          'Only registered operations may run on this gateway (safelist mode); this operation is not one of them.',
          ErrorCode.OPERATION_NOT_IN_SAFELIST,
          { rule: SAFELIST_RULE, http: http(403) },
        ),
      );
    }
    if (requestContext.source.includes(RESERVED_PREFIX)) {
      return rejected(
        coded(
          `Names beginning with "${RESERVED_PREFIX}" are reserved for the gateway.`,
          ErrorCode.BAD_USER_INPUT,
          { http: http(400) },
        ),
      );
    }

    const governance = this.#config.policy.current();
    const principal = toPolicyPrincipal(identity, governance);
    if (principal instanceof GraphQLError) return rejected(principal);
    const key = policyKey(principal, identity.purpose);
    const now = this.#config.now?.() ?? new Date();
    // The operations of a batched request share the request's budget
    // (they share its context); a context without one gets its own.
    const budget = (context.budget ??= new CostBudget(this.#limits.maxCost));

    let plan: GovernedPlan;
    try {
      const overBudget = chargeOperation(
        budget,
        schema,
        requestContext.document,
        { operationName: request.operationName ?? null, variables },
        this.#limits,
      );
      if (overBudget) return rejected(overBudget);
      plan = this.#plan(requestContext, principal, key, governance, now);
    } catch (error) {
      if (error instanceof OperationAnalysisError) {
        return rejected(
          coded(error.message, ErrorCode.BAD_USER_INPUT, {
            reason: error.code,
            http: http(400),
          }),
        );
      }
      throw error;
    }
    const record = (
      outcome: AccessOutcome,
    ): Promise<GraphQLErrorWithCode | null> =>
      this.#record(requestContext, plan, outcome, started);

    const introspects = plan.introspection.schema || plan.introspection.type;
    const local = plan.rootFields.filter((f) => this.#local.has(f));
    if (introspects || local.length > 0) {
      if (local.length < plan.rootFields.length) {
        return rejected(
          coded(
            'Send introspection and explain in an operation of their own, without data fields.',
            ErrorCode.BAD_USER_INPUT,
            { http: http(400) },
          ),
        );
      }
      if (introspects && !mayIntrospect(principal, governance.policy)) {
        const failure = await record('REJECTED');
        return rejected(
          failure ??
            coded(
              'No role of the caller may introspect the schema.',
              ErrorCode.FORBIDDEN,
              { rule: INTROSPECTION_RULE, http: http(403) },
            ),
        );
      }
      const explainContext: ExplainContext = {
        explain: (args) =>
          this.#explain(args, principal, identity, governance, now, budget),
      };
      const result = await execute({
        schema: introspects
          ? this.#visibleSchema(principal, identity, key, governance, now)
          : schema,
        document: plan.document,
        variableValues: variables,
        operationName: plan.operationName,
        contextValue: explainContext,
      });
      // Explain tells what the policy decides; introspection what the
      // caller may read: both are recorded like any read.
      const failure = await record(outcomeOf(result, result.errors ?? []));
      return failure ? rejected(failure) : result;
    }

    const withheldErrors = plan.withheld.map(
      (w) =>
        new GraphQLErrorWithCode(w.reason, w.code as ErrorCode, {
          path: [...w.path],
          extensions: {
            rule: w.rule,
            reason: w.reason,
            coordinate: w.coordinate,
          },
        }),
    );
    const strict =
      this.#config.strict === true ||
      request.http?.headers.get(STRICT_HEADER)?.trim().toLowerCase() === 'true';
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
        context: { ...context, scope: plan.scope },
        document: plan.document,
        operation: plan.operation,
        source: plan.text,
        queryHash: sha256(plan.text),
      });
    }
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
  ): Promise<GraphQLErrorWithCode | null> {
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
      return auditUnavailable();
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
  #plan(
    requestContext: GatewayGraphQLRequestContext,
    principal: PolicyPrincipal,
    key: string,
    governance: GovernancePolicy,
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
      governance.policy.version,
    );
    const cached = this.#plans.get(cacheKey, now.getTime());
    if (cached) return cached;
    const plan = this.#govern(
      requestContext.document,
      operationName,
      variables,
      principal,
      requestContext.context as GovernedContext,
      governance,
      now,
    );
    this.#plans.set(cacheKey, plan);
    return plan;
  }

  #govern(
    document: GatewayGraphQLRequestContext['document'],
    operationName: string | null,
    variables: Readonly<Record<string, unknown>> | null,
    principal: PolicyPrincipal,
    context: GovernedContext,
    governance: GovernancePolicy,
    now: Date,
  ): GovernedPlan {
    return governOperation({
      schema: this.#schema as GraphQLSchema,
      document,
      operationName,
      variables,
      principal,
      purpose: context.principal.purpose,
      policy: governance.policy,
      ownership: this.#ownership,
      localCoordinates: this.#local,
      now,
    });
  }

  /** The schema one principal may use, cached per policy key and version. */
  #visibleSchema(
    principal: PolicyPrincipal,
    identity: Principal,
    key: string,
    governance: GovernancePolicy,
    now: Date,
  ): GraphQLSchema {
    const cacheKey = JSON.stringify([key, governance.policy.version]);
    const cached = this.#visible.get(cacheKey);
    if (cached && now.getTime() < cached.expiresAt) return cached.schema;
    const schema = visibleSchema(
      this.#schema as GraphQLSchema,
      (coordinate) =>
        decideCoordinate(coordinate, {
          principal,
          purpose: identity.purpose,
          policy: governance.policy,
          ownership: this.#ownership,
          now,
        }).decision.effect !== 'DENY',
      this.#local,
    );
    const next = nextPolicyChange(governance.policy, now);
    this.#visible.set(cacheKey, {
      schema,
      expiresAt: next === null ? Number.POSITIVE_INFINITY : next.getTime(),
    });
    return schema;
  }

  /**
   * `Query.explain`: governs the operation as if sent, without running it.
   * The operation is held to the limits of a request's own (tokens, depth,
   * aliases, directives) and its cost is charged to the request's budget.
   */
  #explain(
    args: ExplainArgs,
    principal: PolicyPrincipal,
    identity: Principal,
    governance: GovernancePolicy,
    now: Date,
    budget: CostBudget,
  ): unknown {
    const schema = this.#schema as GraphQLSchema;
    const parsed = parseAndValidate(schema, args.operation, this.#limits);
    if ('errors' in parsed) {
      throw new GraphQLErrorWithCode(
        `The operation to explain is refused: ${parsed.errors.map((e) => e.message).join(' ')}`,
        ErrorCode.BAD_USER_INPUT,
        { extensions: { argumentName: 'operation' } },
      );
    }
    const { document } = parsed;
    const variables =
      args.variables !== null &&
      typeof args.variables === 'object' &&
      !Array.isArray(args.variables)
        ? (args.variables as Record<string, unknown>)
        : null;
    let plan: GovernedPlan;
    try {
      const overBudget = chargeOperation(
        budget,
        schema,
        document,
        { operationName: args.operationName ?? null, variables },
        this.#limits,
        'the operation to explain',
        EXPLAIN_MIN_COST,
      );
      if (overBudget) {
        throw new GraphQLErrorWithCode(
          overBudget.message,
          ErrorCode.BAD_USER_INPUT,
          { extensions: { argumentName: 'operation' } },
        );
      }
      plan = governOperation({
        schema,
        document,
        operationName: args.operationName ?? null,
        variables,
        principal,
        purpose: identity.purpose,
        policy: governance.policy,
        ownership: this.#ownership,
        localCoordinates: this.#local,
        now,
      });
    } catch (error) {
      if (error instanceof OperationAnalysisError) {
        throw new GraphQLErrorWithCode(
          error.message,
          ErrorCode.BAD_USER_INPUT,
          {
            extensions: { argumentName: 'operation', reason: error.code },
          },
        );
      }
      throw error;
    }
    return {
      operationHash: sha256(args.operation),
      operationName: plan.operationName,
      purpose: identity.purpose,
      policyVersion: plan.policyVersion,
      rejectedInStrictMode: plan.withheld.length > 0,
      crossDepartment: plan.crossDepartment,
      fields: plan.decisions.map(({ coordinate, owners, paths, decision }) => ({
        coordinate,
        owners,
        paths,
        effect: decision.effect,
        code: decision.code ?? null,
        rule: decision.rule,
        reason: decision.reason,
        mask: decision.mask ?? null,
        trail: decision.trail,
      })),
      rowScope: plan.scope,
      rewrittenOperation: plan.text,
    };
  }
}

/** A whole-operation refusal: errors, no data. */
function rejected(...errors: GraphQLError[]): ExecutionResult {
  return { errors };
}

function auditUnavailable(): GraphQLErrorWithCode {
  return coded(
    'The access log cannot be written, so reads of other departments’ data are refused (fail closed). Try again shortly.',
    ErrorCode.AUDIT_UNAVAILABLE,
    { http: http(503) },
  );
}

function outcomeOf(
  result: ExecutionResult,
  errors: readonly unknown[],
): AccessOutcome {
  if (errors.length === 0) return 'OK';
  const data = result.data;
  return data === null || data === undefined ? 'ERROR' : 'PARTIAL';
}

/**
 * The policy engine's principal for an authenticated caller; for an
 * algorithm identity, with its filing as the registry holds it now. An
 * algorithm whose filing the registry does not know reads nothing.
 */
function toPolicyPrincipal(
  identity: Principal,
  governance: GovernancePolicy,
): PolicyPrincipal | GraphQLError {
  const base = {
    subject: identity.subject,
    department: identity.department,
    roles: identity.roles,
    level: identity.level,
    regionCode: identity.regionCode,
    purposes: identity.purposes,
  };
  if (identity.filingId === undefined) return base;
  const filing = governance.algorithms.get(identity.filingId);
  if (filing === undefined) {
    return coded(
      `Algorithm filing ${identity.filingId} is not in the registry; an algorithm identity reads only the inputs of its filing.`,
      ErrorCode.ALGORITHM_INPUT_NOT_FILED,
      { rule: `algorithm-filing:${identity.filingId}`, http: http(403) },
    );
  }
  return {
    ...base,
    algorithm: {
      filingId: filing.filingId,
      state: filing.state,
      inputs: filing.inputs,
    },
  };
}
