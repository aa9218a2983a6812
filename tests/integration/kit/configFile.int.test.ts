// The optional configuration file (issue 16, item 6): govgraph.config.json
// (or the file GOVGRAPH_CONFIG names) feeds every env reader, validated by
// their zod schemas, with the environment overriding it; an unknown key is
// refused naming the nearest variable. Files in a temporary folder; one
// main started to see the message a person gets.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';

import {
  ConsoleEnvSchema,
  readConsoleEnv,
} from '../../../catalog/src/web/env.js';
import { GatewayEnvSchema, readGatewayEnv } from '../../../gateway/src/env.js';
import { readWorkerEnv, WorkerEnvSchema } from '../../../hub/worker/env.js';
import { HubEnvSchema, readHubEnv } from '../../../hub/env.js';
import { EmergencyEnvSchema } from '../../../subgraphs/emergency/src/env.js';
import {
  CONFIG_FILE_VARIABLES,
  configuredEnv,
  DEFAULT_CONFIG_FILE,
  readEnv,
  readPort,
} from '../../../subgraphs/kit/src/index.js';
import { EnvSchema } from '../../../subgraphs/kit/src/env.js';
import { LAUNCHER } from '../../utils/processes.js';

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
        HubEnvSchema,
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

  it("gives npm start its SUBGRAPH_PORTS and SEED, refusing bad ones as the environment's", () => {
    const path = configFile({ SUBGRAPH_PORTS: 'free', SEED: 7 });
    assert.deepEqual(
      { ...readHubEnv(configuredEnv({ GOVGRAPH_CONFIG: path }, root)) },
      { SUBGRAPH_PORTS: 'free', SEED: 7 },
    );
    assert.deepEqual(
      {
        ...readHubEnv(
          configuredEnv({ GOVGRAPH_CONFIG: path, SEED: '2' }, root),
        ),
      },
      { SUBGRAPH_PORTS: 'free', SEED: 2 },
    );
    assert.deepEqual(
      { ...readHubEnv({}) },
      {
        SUBGRAPH_PORTS: 'default',
        SEED: 1,
      },
    );
    assert.throws(
      () =>
        readHubEnv(
          configuredEnv({ GOVGRAPH_CONFIG: configFile({ SEED: -1 }) }, root),
        ),
      {
        name: 'EnvError',
        message: 'invalid environment: SEED must be a non-negative integer',
      },
    );
    assert.throws(
      () =>
        readHubEnv(
          configuredEnv(
            { GOVGRAPH_CONFIG: configFile({ SUBGRAPH_PORTS: 'any' }) },
            root,
          ),
        ),
      {
        name: 'EnvError',
        message:
          'invalid environment: SUBGRAPH_PORTS must be "default" or "free"',
      },
    );
  });

  it('gives the seed, policy and audit commands their database and supergraph', async () => {
    // A database no one listens on and a supergraph that is not there: each
    // command's refusal names what the file, not the environment, gave it.
    const url = 'postgres://postgres@127.0.0.1:1/govgraph';
    const supergraph = join(dir, 'no-such-supergraph.graphql');
    const path = configFile({ DATABASE_URL: url, SUPERGRAPH_PATH: supergraph });
    const env: Record<string, string | undefined> = {
      ...process.env,
      GOVGRAPH_CONFIG: path,
    };
    delete env['DATABASE_URL'];
    delete env['SUPERGRAPH_PATH'];
    const run = async (args: string[]) => {
      try {
        await promisify(execFile)(process.execPath, [LAUNCHER, ...args], {
          cwd: root,
          env,
          encoding: 'utf8',
          timeout: 60_000,
        });
        return { code: 0, stderr: '' };
      } catch (error) {
        const failed = error as { code: number; stderr: string };
        return { code: failed.code, stderr: failed.stderr };
      }
    };
    const refused = `cannot connect to PostgreSQL at ${url}: connect ECONNREFUSED 127.0.0.1:1\n`;
    const [seed, policy, verify, report] = await Promise.all([
      run(['seeds/src/main.ts']),
      run(['policies/store/src/cli/policyMain.ts', 'export']),
      run(['policies/store/src/cli/auditVerifyMain.ts']),
      run([
        'policies/store/src/cli/auditReportMain.ts',
        '--owner',
        'environment',
      ]),
    ]);
    assert.deepEqual(seed, { code: 1, stderr: `seed: ${refused}` });
    assert.deepEqual(policy, {
      code: 1,
      stderr: `govgraph policy: ${refused}`,
    });
    assert.deepEqual(verify, {
      code: 1,
      stderr: `govgraph audit:verify: ${refused}`,
    });
    assert.deepEqual(report, {
      code: 1,
      stderr: `govgraph audit:report: cannot read supergraph file ${supergraph}\n`,
    });
  });

  it('stops a main with one clear line, no stack trace', () => {
    const path = configFile({ SUPERGRAPH_PATHS: 'x.graphql' });
    const run = spawnSync(process.execPath, [LAUNCHER, 'catalog/src/main.ts'], {
      cwd: root,
      env: { ...process.env, GOVGRAPH_CONFIG: path },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stderr,
      `govgraph: invalid configuration file ${path}: unknown key "SUPERGRAPH_PATHS" (did you mean "SUPERGRAPH_PATH"?)\n`,
    );
  });
});
