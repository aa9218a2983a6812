import { HeaderMap } from '@apollo/server';
import type { ExecutionResult, GraphQLError } from 'graphql';

import type {
  OperationAnalysisError,
  WithheldField,
} from '../../../policies/src/index.js';
import { ErrorCode } from '../../../subgraphs/kit/src/errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';

/** The header with which a request opts into strict mode. */
export const STRICT_HEADER = 'x-govgraph-strict';

/** The header with which a client names a mutation for safe retries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Rule of a refused introspection. */
export const INTROSPECTION_RULE = 'introspection-not-allowed';

/** Rule of a refused operation outside the safelist. */
export const SAFELIST_RULE = 'safelist';

/** Apollo's HTTP status of a whole-request refusal. */
function http(status: number): { status: number; headers: HeaderMap } {
  return { status, headers: new HeaderMap() };
}

/**
 * Every refusal the governed pipeline itself answers with: a coded GraphQL
 * error (`extensions.code`), naming the rule that decided it where one did,
 * and the HTTP status of a request refused as a whole. One factory per
 * refusal, so that each message is written once.
 */
export class GatewayError extends GraphQLErrorWithCode {
  constructor(
    message: string,
    code: ErrorCode,
    extensions: Record<string, unknown> = {},
    path?: readonly (string | number)[],
  ) {
    super(message, code, { extensions, ...(path ? { path } : {}) });
  }

  /** Safelist mode and an operation it does not list: 403. */
  static notInSafelist(): GatewayError {
    return new GatewayError(
      'Only registered operations may run on this gateway (safelist mode); this operation is not one of them.',
      ErrorCode.OPERATION_NOT_IN_SAFELIST,
      { rule: SAFELIST_RULE, http: http(403) },
    );
  }

  /** A client document using the gateway's own response keys: 400. */
  static reservedName(prefix: string): GatewayError {
    return new GatewayError(
      `Names beginning with "${prefix}" are reserved for the gateway.`,
      ErrorCode.BAD_USER_INPUT,
      { http: http(400) },
    );
  }

  /** An operation the analysis refuses (unknown operation name, a variable of the wrong type…): 400. */
  static badOperation(error: OperationAnalysisError): GatewayError {
    return new GatewayError(error.message, ErrorCode.BAD_USER_INPUT, {
      reason: error.code,
      http: http(400),
    });
  }

  /** Introspection or explain beside data fields in one operation: 400. */
  static localWithData(): GatewayError {
    return new GatewayError(
      'Send introspection and explain in an operation of their own, without data fields.',
      ErrorCode.BAD_USER_INPUT,
      { http: http(400) },
    );
  }

  /** Introspection by a caller no role of whom may introspect: 403. */
  static introspectionRefused(): GatewayError {
    return new GatewayError(
      'No role of the caller may introspect the schema.',
      ErrorCode.FORBIDDEN,
      { rule: INTROSPECTION_RULE, http: http(403) },
    );
  }

  /** A field the policy withholds, at its path in the response. */
  static withheld(field: WithheldField): GatewayError {
    return new GatewayError(
      field.reason,
      field.code as ErrorCode,
      { rule: field.rule, reason: field.reason, coordinate: field.coordinate },
      field.path,
    );
  }

  /** The access log cannot be written and fails closed: 503. */
  static auditUnavailable(): GatewayError {
    return new GatewayError(
      'The access log cannot be written, so reads of other departments’ data are refused (fail closed). Try again shortly.',
      ErrorCode.AUDIT_UNAVAILABLE,
      { http: http(503) },
    );
  }

  /**
   * The attempt of a mutation could not be recorded (or its idempotency
   * key checked) in time: it was not run. 503.
   */
  static mutationNotRecorded(
    what: 'attempt' | 'idempotency-key',
  ): GatewayError {
    return new GatewayError(
      what === 'attempt'
        ? 'The access log cannot be written, so the mutation was refused and not run (fail closed). Try again shortly; with the same Idempotency-Key it runs at most once.'
        : 'The idempotency key cannot be checked in the audit store, so the mutation was refused and not run. Try again shortly.',
      ErrorCode.AUDIT_UNAVAILABLE,
      { executed: false, http: http(503) },
    );
  }

  /** An `Idempotency-Key` header that is not 1–255 visible ASCII characters: 400. */
  static idempotencyKeyMalformed(): GatewayError {
    return new GatewayError(
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters (e.g. a UUID).',
      ErrorCode.BAD_USER_INPUT,
      { reason: 'idempotency-key-malformed', http: http(400) },
    );
  }

  /** An `Idempotency-Key` on a gateway that keeps none: 400, nothing run. */
  static idempotencyKeysDisabled(): GatewayError {
    return new GatewayError(
      'This gateway keeps no idempotency keys; send the mutation without an Idempotency-Key header.',
      ErrorCode.BAD_USER_INPUT,
      { reason: 'idempotency-keys-disabled', http: http(400) },
    );
  }

  /** The key was used by this caller for another operation or variables: 422. */
  static idempotencyKeyReused(): GatewayError {
    return new GatewayError(
      'This Idempotency-Key was already used by this caller for another operation or other variables; use a new key for a new mutation.',
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      { executed: false, http: http(422) },
    );
  }

  /** The first request with the key has not stored its answer yet: 409. */
  static idempotencyKeyInProgress(): GatewayError {
    return new GatewayError(
      'A request with this Idempotency-Key is still running, or stopped before its answer was stored: whether it was done is not known. Retry later; read the data before sending it again under a new key.',
      ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
      { executed: false, http: http(409) },
    );
  }

  /** An algorithm identity whose filing the registry does not hold: 403. */
  static filingNotInRegistry(filingId: string): GatewayError {
    return new GatewayError(
      `Algorithm filing ${filingId} is not in the registry; an algorithm identity reads only the inputs of its filing.`,
      ErrorCode.ALGORITHM_INPUT_NOT_FILED,
      { rule: `algorithm-filing:${filingId}`, http: http(403) },
    );
  }

  /** `Query.explain`'s operation fails the request's parse and validation limits. */
  static explainRefused(errors: readonly GraphQLError[]): GatewayError {
    return new GatewayError(
      `The operation to explain is refused: ${errors.map((e) => e.message).join(' ')}`,
      ErrorCode.BAD_USER_INPUT,
      { argumentName: 'operation' },
    );
  }

  /** `Query.explain`'s operation goes over the request's cost budget. */
  static explainOverBudget(overBudget: GraphQLError): GatewayError {
    return new GatewayError(overBudget.message, ErrorCode.BAD_USER_INPUT, {
      argumentName: 'operation',
    });
  }

  /** `Query.explain`'s operation is one the analysis refuses. */
  static explainBadOperation(error: OperationAnalysisError): GatewayError {
    return new GatewayError(error.message, ErrorCode.BAD_USER_INPUT, {
      argumentName: 'operation',
      reason: error.code,
    });
  }
}

/** A whole-operation refusal: errors, no data. */
export function rejected(...errors: GraphQLError[]): ExecutionResult {
  return { errors };
}
