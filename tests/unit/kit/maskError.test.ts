import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GraphQLError } from 'graphql';

import {
  DatabaseUnavailableError,
  ErrorCode,
  maskError,
} from '../../../subgraphs/kit/src/index.js';

const formatted = {
  message: 'secret internals',
  path: ['complaint'],
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] },
};

/** An error as a resolver throws it (Apollo wraps it in a GraphQLError). */
function thrown(original: Error): GraphQLError {
  return new GraphQLError(original.message, {
    originalError: original,
    path: ['complaint'],
  });
}

describe('maskError', () => {
  it('hides a bug: no message, no stack, unexpected', () => {
    const masked = maskError(
      formatted,
      thrown(new TypeError('x is undefined')),
    );
    assert.deepEqual(masked, {
      message: 'Internal server error',
      path: ['complaint'],
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, unexpected: true },
    });
  });

  it('tells the database being unavailable from a bug, without internals', () => {
    const unavailable = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), {
        code: 'ECONNREFUSED',
      }),
      Object.assign(
        new Error('terminating connection due to administrator command'),
        {
          code: '57P01',
        },
      ),
      Object.assign(new Error('canceling statement due to statement timeout'), {
        code: '57014',
      }),
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      new Error('wrapped', {
        cause: Object.assign(new Error('x'), { code: '08006' }),
      }),
      new DatabaseUnavailableError('cannot connect', 'postgres://h/db'),
    ];
    for (const error of unavailable) {
      const masked = maskError(formatted, thrown(error));
      assert.equal(
        masked.extensions?.['code'],
        ErrorCode.UPSTREAM_UNAVAILABLE,
        error.message,
      );
      assert.equal(masked.extensions?.['dependency'], 'database');
      assert.doesNotMatch(
        JSON.stringify(masked),
        /secret|ECONNREFUSED|127\.0\.0\.1|stacktrace/,
      );
    }
    // A wrong statement is a bug, not an outage.
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), {
      code: '42601',
    });
    assert.equal(
      maskError(formatted, thrown(syntax)).extensions?.['unexpected'],
      true,
    );
  });
});
