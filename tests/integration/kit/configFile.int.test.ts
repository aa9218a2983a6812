// The optional configuration file (issue 16, item 6): govgraph.config.json
// (or the file GOVGRAPH_CONFIG names) feeds every env reader, validated by
// their zod schemas, with the environment overriding it; an unknown key is
// refused naming the nearest variable. Files in a temporary folder; one
// main started to see the message a person gets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  ConsoleEnvSchema,
  readConsoleEnv,
} from '../../../catalog/src/web/env.js';
import { GatewayEnvSchema, readGatewayEnv } from '../../../gateway/src/env.js';
import { readWorkerEnv, WorkerEnvSchema } from '../../../hub/worker/env.js';
import { EmergencyEnvSchema } from '../../../subgraphs/emergency/src/env.js';
import {
  CONFIG_FILE_VARIABLES,
  configuredEnv,
  DEFAULT_CONFIG_FILE,
  readEnv,
  readPort,
} from '../../../subgraphs/kit/src/index.js';
import { EnvSchema } from '../../../subgraphs/kit/src/env.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'govgraph-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** Writes `content` (JSON unless a string) to a new file and returns its path. */
function configFile(content: unknown): string {
  const path = join(dir, `config-${String(++count)}.json`);
  writeFileSync(
    path,
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  return path;
}

describe('the configuration file', () => {
  it('accepts exactly the variables of the zod schemas', () => {
    const schemaVariables = new Set(
      [
        EnvSchema,
        GatewayEnvSchema,
        WorkerEnvSchema,
        EmergencyEnvSchema,
        ConsoleEnvSchema,
      ].flatMap((schema) => Object.keys(schema.shape)),
    );
    schemaVariables.delete('GOVGRAPH_CONFIG');
    assert.deepEqual(
      [...CONFIG_FILE_VARIABLES].sort(),
      [...schemaVariables].sort(),
    );
  });

  it('feeds every reader, converting numbers, booleans and lists; the environment wins', () => {
    const path = configFile({
      DATABASE_URL: 'postgres://file@db/govgraph',
      LOG_LEVEL: 'debug',
      GATEWAY_MAX_DEPTH: 12,
      GATEWAY_STRICT: true,
      PORT: 4100,
      CONSOLE_ALLOWED_HOSTS: ['console.city.gov.cn', '10.0.0.5:4010'],
      GATEWAY_URL: 'http://gateway:4000/graphql',
      GOVGRAPH_TOKEN_SECRET: 'a-development-secret-of-32-bytes-or-more',
      SUBGRAPH_MARKET_URL: 'http://market:4003/graphql',
    });
    const env = configuredEnv(
      { GOVGRAPH_CONFIG: path, LOG_LEVEL: 'error', PORT: '' },
      root,
    );
    const kit = readEnv(env);
    assert.equal(kit.DATABASE_URL, 'postgres://file@db/govgraph');
    assert.equal(kit.LOG_LEVEL, 'error', 'the environment overrides the file');
    const gateway = readGatewayEnv(env);
    assert.equal(gateway.GATEWAY_MAX_DEPTH, 12);
    assert.equal(gateway.GATEWAY_STRICT, true);
    assert.equal(gateway.PORT, 4100, 'an empty variable leaves the file value');
    assert.deepEqual(gateway.subgraphUrls, {
      market: 'http://market:4003/graphql',
    });
    assert.equal(readPort('PORT', 1, env), 4100);
    assert.deepEqual(readConsoleEnv(env).CONSOLE_ALLOWED_HOSTS, [
      'console.city.gov.cn',
      '10.0.0.5:4010',
    ]);
    assert.equal(readWorkerEnv(env).GATEWAY_URL, 'http://gateway:4000/graphql');
  });

  it(`reads ${DEFAULT_CONFIG_FILE} in the working directory, and nothing when there is none`, () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const source = { HOST: '0.0.0.0' };
    assert.equal(configuredEnv(source, cwd), source);
    writeFileSync(
      join(cwd, DEFAULT_CONFIG_FILE),
      JSON.stringify({ REDIS_URL: 'redis://queue:6379', HOST: '10.0.0.1' }),
    );
    const env = readEnv(configuredEnv(source, cwd));
    assert.equal(env.REDIS_URL, 'redis://queue:6379');
    assert.equal(env.HOST, '0.0.0.0');
  });

  it('refuses an unknown key, naming the nearest variable', () => {
    for (const [key, nearest] of [
      ['GATEWAY_MAX_DEPT', 'GATEWAY_MAX_DEPTH'],
      ['database_url', 'DATABASE_URL'],
      ['REDIS_PREFEX', 'REDIS_PREFIX'],
    ] as const) {
      const path = configFile({ [key]: 'x' });
      assert.throws(() => configuredEnv({ GOVGRAPH_CONFIG: path }, root), {
        name: 'EnvError',
        message: `invalid configuration file ${path}: unknown key "${key}" (did you mean "${nearest}"?)`,
      });
    }
  });

  it('refuses a bad value as the schema refuses a bad variable', () => {
    const path = configFile({ GATEWAY_MAX_DEPTH: 'deep' });
    assert.throws(
      () => readGatewayEnv(configuredEnv({ GOVGRAPH_CONFIG: path }, root)),
      /invalid environment: GATEWAY_MAX_DEPTH/,
    );
    const redis = configFile({ REDIS_URL: 'http://queue:6379' });
    assert.throws(
      () => readEnv(configuredEnv({ GOVGRAPH_CONFIG: redis }, root)),
      /invalid environment: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('refuses what a file cannot hold', () => {
    const cases: [unknown, RegExp][] = [
      ['{ "HOST": ', /not JSON/],
      [['HOST'], /must be a JSON object/],
      [
        { HOST: { name: 'x' } },
        /HOST must be a string, a number, a boolean or a list of strings/,
      ],
      [{ HOST: null }, /HOST must be a string/],
      [{ SEED: 2 }, /SEED cannot be set in a file/],
      [
        { GOVGRAPH_CONFIG: 'other.json' },
        /GOVGRAPH_CONFIG cannot be set in a file/,
      ],
    ];
    for (const [content, message] of cases) {
      const path = configFile(content);
      assert.throws(() => configuredEnv({ GOVGRAPH_CONFIG: path }, root), {
        name: 'EnvError',
        message,
      });
    }
    assert.throws(
      () => configuredEnv({ GOVGRAPH_CONFIG: join(dir, 'missing.json') }, root),
      /cannot read the configuration file .*missing\.json/,
    );
  });

  it('stops a main with one clear line, no stack trace', () => {
    const path = configFile({ SUPERGRAPH_PATHS: 'x.graphql' });
    const run = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      ['catalog/src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, GOVGRAPH_CONFIG: path },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stderr,
      `govgraph: invalid configuration file ${path}: unknown key "SUPERGRAPH_PATHS" (did you mean "SUPERGRAPH_PATH"?)\n`,
    );
  });
});
