// `npm start` (hub/start.ts) as a process whose database cannot be reached:
// one clear line and exit 1, no stack trace. (The start on the embedded
// database is tests/e2e/cli.e2e.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { collect, run } from '../../utils/processes.js';

describe('npm start (hub/start.ts) without its database', () => {
  it('exits 1 with one clear line when the database is unreachable', async () => {
    const child = collect(
      run('hub/start.ts', [], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
      }),
    );
    assert.equal(await child.exit, 1);
    const lines = child.err().trim().split('\n');
    assert.equal(lines.length, 1, child.err());
    assert.match(
      lines[0] ?? '',
      /^govgraph: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:9\/none/,
    );
  });
});
