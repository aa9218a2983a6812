import { GraphQLError, type ExecutionResult } from 'graphql';

import { canonicalJson } from '../../../policies/src/index.js';
import { maskError } from '../../../subgraphs/kit/src/errors/maskError.js';
import { sha256 } from '../../../subgraphs/kit/src/sha256.js';

/** An `Idempotency-Key`: 1–255 visible ASCII characters. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** Whether a header value is a valid idempotency key. */
export function isIdempotencyKey(value: string): boolean {
  return KEY.test(value);
}

/**
 * What binds a key to one request: SHA-256 of the canonical JSON of the
 * operation's hash, its name, its variables and the declared purpose.
 */
export function requestHashOf(request: {
  queryHash: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  purpose: string;
}): string {
  return sha256(
    canonicalJson({
      queryHash: request.queryHash,
      operationName: request.operationName,
      variables: request.variables ?? {},
      purpose: request.purpose,
    }),
  );
}

interface StoredError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

interface StoredAnswer {
  data?: unknown;
  errors?: StoredError[];
  extensions?: Record<string, unknown>;
}

/**
 * The answer of a mutation as it is kept for replays: data, extensions
 * and each error as the client got it (masked as the gateway masks
 * unexpected errors, without its HTTP status).
 */
export function storedAnswerOf(result: ExecutionResult): StoredAnswer {
  return {
    ...(result.data === undefined ? {} : { data: result.data }),
    ...(result.errors && result.errors.length > 0
      ? {
          errors: result.errors.map((error) => {
            const formatted = maskError(error.toJSON(), error);
            const { http: _http, ...extensions } = formatted.extensions ?? {};
            return {
              message: formatted.message,
              ...(formatted.path ? { path: formatted.path } : {}),
              extensions,
            };
          }),
        }
      : {}),
    ...(result.extensions ? { extensions: { ...result.extensions } } : {}),
  };
}

/** A stored answer given again, marked `extensions.idempotentReplay`. */
export function replayedAnswer(stored: unknown): ExecutionResult {
  const answer = (stored ?? {}) as StoredAnswer;
  return {
    ...(answer.data === undefined
      ? {}
      : { data: answer.data as Record<string, unknown> | null }),
    ...(answer.errors
      ? {
          errors: answer.errors.map(
            (e) =>
              new GraphQLError(e.message, {
                ...(e.path ? { path: e.path } : {}),
                ...(e.extensions ? { extensions: e.extensions } : {}),
              }),
          ),
        }
      : {}),
    extensions: { ...answer.extensions, idempotentReplay: true },
  };
}
