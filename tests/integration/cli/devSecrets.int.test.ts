// npm start's development secrets, kept in the state folder (.govgraph by
// default) owner-only, so that tokens survive restarts and `npm run token`
// signs with the secret the running hub verifies with.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  createTokenVerifier,
  mintToken,
} from '../../../gateway/src/identity/index.js';
import { findDemoUser } from '../../../hub/demoUsers.js';
import {
  devSecretsPath,
  loadOrCreateDevSecrets,
  readDevSecrets,
  stateDirOf,
} from '../../../hub/devSecrets.js';
import { LAUNCHER } from '../../utils/processes.js';

const root = new URL('../../..', import.meta.url);

describe('kept development secrets', () => {
  it('leave the mode of a shared folder with the sticky bit alone (PGLITE_DATA_DIR=/tmp/x)', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'govgraph-shared-'));
    try {
      await chmod(shared, 0o1777);
      assert.equal(stateDirOf(join(shared, 'pglite')), shared);
      loadOrCreateDevSecrets(shared);
      assert.equal((await stat(shared)).mode & 0o7777, 0o1777);
      assert.equal((await stat(devSecretsPath(shared))).mode & 0o777, 0o600);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('are made once, owner-only, and npm run token signs with them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-secrets-'));
    const state = join(dir, '.govgraph');
    try {
      assert.equal(stateDirOf(join(state, 'pglite')), state);
      assert.equal(readDevSecrets(state), null);
      const made = loadOrCreateDevSecrets(state);
      assert.equal((await stat(state)).mode & 0o777, 0o700);
      assert.equal((await stat(devSecretsPath(state))).mode & 0o777, 0o600);
      // A restart keeps them: tokens printed before still verify.
      const kept = loadOrCreateDevSecrets(state);
      assert.deepEqual(kept, made);
      const user = findDemoUser('water-duty-qijiang');
      assert.ok(user);
      const verify = createTokenVerifier({
        keys: {
          kind: 'secret',
          secret: new TextEncoder().encode(kept.tokenSecret),
        },
      });
      const earlier = await mintToken(
        user.claims,
        new TextEncoder().encode(made.tokenSecret),
      );
      assert.equal((await verify(`Bearer ${earlier}`)).sub, user.claims.sub);
      // npm run token, with no GOVGRAPH_TOKEN_SECRET, beside that hub.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PGLITE_DATA_DIR: join(state, 'pglite'),
      };
      delete env['GOVGRAPH_TOKEN_SECRET'];
      const token = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [LAUNCHER, 'hub/tokenMain.ts', user.id],
          { cwd: root, env, timeout: 60_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(stderr)) : resolve(stdout.trim()),
        );
      });
      const claims = await verify(`Bearer ${token}`);
      assert.equal(claims.sub, user.claims.sub);
      assert.deepEqual(claims.purposes, user.claims.purposes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
