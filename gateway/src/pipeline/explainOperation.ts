import type { GraphQLSchema } from 'graphql';

import {
  governOperation,
  OperationAnalysisError,
  type ExplainArgs,
  type OwnershipCatalog,
  type GovernedPlan,
  type Principal as PolicyPrincipal,
  type RequestPrincipal,
} from '../../../policies/src/index.js';
import { sha256 } from '../../../subgraphs/kit/src/sha256.js';
import { GatewayError } from './GatewayError.js';
import {
  chargeOperation,
  EXPLAIN_MIN_COST,
  parseAndValidate,
  type CostBudget,
  type OperationLimits,
} from './operationLimits.js';
import type { PolicyInForce } from './policyPrincipalOf.js';

/** What {@link explainOperation} decides under. */
export interface ExplainInput {
  /** The gateway's API schema (with explain). */
  readonly schema: GraphQLSchema;
  readonly limits: OperationLimits;
  readonly ownership: OwnershipCatalog;
  readonly localCoordinates: ReadonlySet<string>;
  readonly principal: PolicyPrincipal;
  readonly identity: RequestPrincipal;
  readonly inForce: PolicyInForce;
  readonly now: Date;
  /** The request's cost budget, which the explained operation is charged to. */
  readonly budget: CostBudget;
}

/**
 * `Query.explain`: governs the operation as if sent, without running it.
 * The operation is held to the limits of a request's own (tokens, depth,
 * aliases, directives) and its cost is charged to the request's budget.
 *
 * @throws GatewayError `BAD_USER_INPUT` naming `argumentName: operation`
 */
export function explainOperation(args: ExplainArgs, input: ExplainInput) {
  const { schema, limits, identity } = input;
  const parsed = parseAndValidate(schema, args.operation, limits);
  if ('errors' in parsed) throw GatewayError.explainRefused(parsed.errors);
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
      input.budget,
      schema,
      document,
      { operationName: args.operationName ?? null, variables },
      limits,
      'the operation to explain',
      EXPLAIN_MIN_COST,
    );
    if (overBudget) throw GatewayError.explainOverBudget(overBudget);
    plan = governOperation({
      schema,
      document,
      operationName: args.operationName ?? null,
      variables,
      principal: input.principal,
      purpose: identity.purpose,
      policy: input.inForce.policy,
      ownership: input.ownership,
      localCoordinates: input.localCoordinates,
      now: input.now,
    });
  } catch (error) {
    if (error instanceof OperationAnalysisError) {
      throw GatewayError.explainBadOperation(error);
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
