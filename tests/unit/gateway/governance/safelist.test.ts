import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parseSafelist,
  SafelistError,
} from '../../../../gateway/src/pipeline/index.js';
import { sha256 } from '../../../../subgraphs/kit/src/index.js';

const body = '{ enterprises(first: 1) { totalCount } }';

function manifest(operations: unknown[]): string {
  return JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations,
  });
}

describe('parseSafelist', () => {
  it('reads an Apollo persisted-query manifest into the SHA-256 hashes of its bodies', () => {
    const hashes = parseSafelist(
      manifest([
        { id: sha256(body), name: 'Count', type: 'query', body },
        { body: '{ __typename }' },
      ]),
    );
    assert.deepEqual(
      [...hashes].sort(),
      [sha256(body), sha256('{ __typename }')].sort(),
    );
  });

  it('refuses an id that is not the hash of its body, naming the operation', () => {
    assert.throws(
      () => parseSafelist(manifest([{ id: 'abc', body }]), 'ops.json'),
      (error: unknown) =>
        error instanceof SafelistError &&
        /^ops\.json: operations\[0\]\.id is not the SHA-256 of its body/.test(
          error.message,
        ),
    );
  });

  it('refuses what is not JSON or not a manifest', () => {
    assert.throws(() => parseSafelist('{'), /not valid JSON/);
    assert.throws(
      () => parseSafelist('{"format":"other","version":1,"operations":[]}'),
      /not a persisted-query manifest/,
    );
    assert.throws(
      () => parseSafelist(manifest([])),
      /not a persisted-query manifest/,
    );
  });
});
