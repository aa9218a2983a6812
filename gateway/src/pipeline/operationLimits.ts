import { ApolloServerErrorCode } from '@apollo/server/errors';
import { HeaderMap } from '@apollo/server';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';

import {
  operationCost,
  type CostOptions,
  type CostRequest,
} from '../../../policies/src/index.js';

/**
 * The limits on what one request may make the gateway do, applied to every
 * operation it runs and to every operation it is asked to explain.
 */
export interface OperationLimits {
  /** Most tokens in one document (graphql-js's parser limit). */
  readonly maxTokens: number;
  /**
   * Largest cost (see policies' `operationCost`) of one request: of its
   * operation, or of all operations of a batch and the operations they ask
   * to explain, together.
   */
  readonly maxCost: number;
  /**
   * Validation rules beside graphql-js's own: depth, aliases and directives
   * (GraphQL Armor's), as the request's own document is validated with.
   */
  readonly validationRules: readonly ValidationRule[];
  /** How lists are costed (page sizes). */
  readonly cost?: CostOptions;
}

/**
 * What is left of one request's cost budget. A batched request's
 * operations share one (they share the request's context), and so do the
 * operations they explain.
 */
export class CostBudget {
  #spent = 0;

  /** @param limit the most the request may cost */
  constructor(readonly limit: number) {}

  /** What the request has cost so far. */
  get spent(): number {
    return this.#spent;
  }

  /**
   * Charges an operation's cost. Returns the refusal when the request
   * would go over its limit (nothing is charged then), else null.
   */
  charge(cost: number, what: string): GraphQLError | null {
    const total = this.#spent + cost;
    if (total > this.limit) {
      const spent =
        this.#spent > 0
          ? ` on top of ${round(this.#spent)} already spent by this request`
          : '';
      return new GraphQLError(
        `Cost limit of ${this.limit} exceeded: ${what} costs ${round(cost)}${spent} (lists count at their page size: first/last as sent, the default when absent, the maximum page when not known).`,
        {
          extensions: {
            code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
            cost: round(cost),
            limit: this.limit,
            http: { status: 400, headers: new HeaderMap() },
          },
        },
      );
    }
    this.#spent = total;
    return null;
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The least an operation given to `Query.explain` costs: its analysis is
 * the gateway's own work whatever it selects, so that one request explains
 * at most `maxCost / EXPLAIN_MIN_COST` operations (20 by default).
 */
export const EXPLAIN_MIN_COST = 10_000;

/**
 * Charges the cost of an operation to its request's budget (at least
 * `minimum`); returns the refusal when it does not fit.
 */
export function chargeOperation(
  budget: CostBudget,
  schema: GraphQLSchema,
  document: DocumentNode,
  request: CostRequest,
  limits: Pick<OperationLimits, 'cost'>,
  what = 'the operation',
  minimum = 0,
): GraphQLError | null {
  return budget.charge(
    Math.max(operationCost(schema, document, request, limits.cost), minimum),
    what,
  );
}

/**
 * Parses and validates an operation that arrived as data (the text
 * `Query.explain` is asked about) with the same limits as a request's own
 * document: the parser's token limit, graphql-js's rules and the depth,
 * alias and directive rules. Returns the document, or the errors.
 */
export function parseAndValidate(
  schema: GraphQLSchema,
  text: string,
  limits: Pick<OperationLimits, 'maxTokens' | 'validationRules'>,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: limits.maxTokens });
  } catch (error) {
    return { errors: [asGraphQLError(error)] };
  }
  try {
    const errors = validate(schema, document, [
      ...specifiedRules,
      ...limits.validationRules,
    ]);
    return errors.length > 0 ? { errors } : { document };
  } catch (error) {
    // GraphQL Armor's rules throw their refusal out of the visitor.
    return { errors: [asGraphQLError(error)] };
  }
}

function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError
    ? error
    : new GraphQLError(error instanceof Error ? error.message : String(error));
}
