// `npm run bench:propagation`: how fast a policy change and a token
// revocation reach gateways other than the one that made them. Starts the
// whole hub (demo data) on a scratch database of the PostgreSQL server in
// DATABASE_URL (dropped at the end) and beside it two more gateways, each
// with a policy store of its own on the same database, reloading on the
// store's LISTEN/NOTIFY (their timed reload is an hour: it explains
// nothing). Under a steady stream of requests (two clients per gateway),
// it then measures, until both extra gateways answer in the new state:
//
// 1. `--publishes` policy documents written, alternately revoking and
//    restoring grant G-2025-001 (the 较场口 complainant's name read by
//    enforcement-jiefangbei is withheld, then masked again);
// 2. `--publishes` changes through the governance API: approving a
//    NOT_SHARED entry for Person.name, then revoking it (timed from sending
//    the mutation; writing and submitting the draft is not timed);
// 3. `--revocations` tokens revoked by jti through the hub's gateway, timed
//    from the mutation's answer until the second extra gateway — which had
//    verified and remembered the token — refuses it.
//
// Prints a line per measurement (median, 95th percentile and worst, and the
// requests served meanwhile, none of which may fail) and one JSON line.
// PGlite cannot be shared by several stores, so PostgreSQL is required.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:propagation -- --publishes 20 --revocations 20
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { decodeJwt } from 'jose';

import { createGateway } from '../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../subgraphs/kit/src/index.js';
import { mintToken, PURPOSE_HEADER } from '../gateway/src/identity/index.js';
import {
  createPolicyStore,
  writePolicyDocument,
  type PolicyDocument,
  type PolicyStore,
} from '../policies/store/src/policy/index.js';
import { readSupergraphFile } from '../subgraphs/kit/src/supergraphFile.js';
import { findDemoUser } from '../hub/demoUsers.js';
import { startHub, type Hub } from '../hub/startHub.js';
import { demoPolicy } from '../seeds/src/index.js';
import {
  createHmacKey,
  createLogger,
  openDatabase,
  readEnv,
  type Database,
  type ServedGraphQL,
} from '../subgraphs/kit/src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

/** Longest a change may take to reach both gateways before the run fails. */
const BOUND_MS = 2_000;
const USER = 'enforcement-jiefangbei';
/** The complainant's name is read under grant G-2025-001 (masked). */
const QUERY = `{ complaint(id: "C-20250915-JCK") { summary complainant { id name } } }`;
const REGION = `{ region(code: "500103") { name } }`;
const REVOKE = `mutation Revoke($input: TokenRevocationInput!) {
  revokeTokens(input: $input) { jti }
}`;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function readOptions(): { publishes: number; revocations: number } {
  const { values } = parseArgs({
    options: {
      publishes: { type: 'string', default: '20' },
      revocations: { type: 'string', default: '20' },
    },
  });
  const count = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) {
      throw new Error(`--${name} must be an even number, at least 2`);
    }
    return n;
  };
  return {
    publishes: count('publishes', values.publishes),
    revocations: count('revocations', values.revocations),
  };
}

type Seen = 'allowed' | 'withheld';

/** What an answer shows, or why it is not an acceptable one. */
function classify(res: {
  status: number;
  text: string;
  data?: any;
  errors?: Array<{ path?: Array<string | number> }>;
}): Seen | `bad: ${string}` {
  if (res.status !== 200) return `bad: HTTP ${String(res.status)} ${res.text}`;
  const complainant = res.data?.complaint?.complainant;
  if (!res.data?.complaint?.summary || !complainant?.id) {
    return `bad: no complaint ${res.text}`;
  }
  const errors = res.errors ?? [];
  if (errors.length === 0 && typeof complainant.name === 'string') {
    return 'allowed';
  }
  if (
    errors.length === 1 &&
    errors[0]?.path?.join('.') === 'complaint.complainant.name' &&
    !('name' in complainant && complainant.name !== null)
  ) {
    return 'withheld';
  }
  return `bad: ${res.text}`;
}

interface Answer {
  status: number;
  text: string;
  data?: any;
  errors?: Array<{
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let parsed: Partial<Answer> = {};
  try {
    parsed = JSON.parse(text) as Partial<Answer>;
  } catch {
    // Kept in `text`.
  }
  return { status: res.status, text, ...parsed };
}

interface Instance {
  name: string;
  db: Database;
  store: PolicyStore;
  served: ServedGraphQL;
}

/** The 50th and 95th percentiles and the worst, in whole ms. */
function stats(values: readonly number[]): {
  median: number;
  p95: number;
  worst: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ??
        0,
    );
  return { median: at(0.5), p95: at(0.95), worst: at(1) };
}

async function main(): Promise<void> {
  const options = readOptions();
  const url = readEnv().DATABASE_URL;
  if (url === undefined) {
    log(
      'bench:propagation needs PostgreSQL (gateways share the database): set DATABASE_URL to a server, e.g. postgres://postgres@127.0.0.1:5432/postgres',
    );
    process.exitCode = 2;
    return;
  }
  const name = `bench_propagation_${randomUUID().replaceAll('-', '')}`;
  const admin = await openDatabase({ kind: 'pg', connectionString: url });
  await admin.query(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  log(`database: scratch database ${name} at ${scratch.host}`);
  const tokenSecret = randomBytes(32).toString('base64url');
  const signingSecret = randomBytes(32).toString('base64url');
  const secret = new TextEncoder().encode(tokenSecret);
  const headersOf = async (
    userId: string,
    token?: string,
  ): Promise<Record<string, string>> => {
    const user = findDemoUser(userId);
    if (!user) throw new Error(`the demo users lack ${userId}`);
    return {
      authorization: `Bearer ${token ?? (await mintToken(user.claims, secret))}`,
      [PURPOSE_HEADER]: user.purpose,
    };
  };
  const db = await openDatabase({
    kind: 'pg',
    connectionString: scratch.toString(),
  });
  let hub: Hub | null = null;
  const instances: Instance[] = [];
  try {
    const started = performance.now();
    hub = await startHub(
      {
        gatewayPort: 0,
        subgraphPorts: 'free',
        seed: { seed: 1, scale: 'demo' },
        signingSecret,
        tokenSecret,
        policyRefreshMs: 3_600_000,
      },
      { db, logger: createLogger('bench', 'silent') },
    );
    log(`hub up in ${String(Math.round(performance.now() - started))} ms`);
    const supergraphSdl = await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH);
    for (const gatewayName of ['gateway-a', 'gateway-b']) {
      const own = await openDatabase({
        kind: 'pg',
        connectionString: scratch.toString(),
      });
      const logger = createLogger(gatewayName, 'silent');
      const store = createPolicyStore({
        db: own,
        logger,
        refreshIntervalMs: 3_600_000,
      });
      await store.start();
      const gateway = createGateway(
        {
          supergraphSdl,
          subgraphUrls: Object.fromEntries(
            hub.subgraphs.map((s) => [s.name, s.url]),
          ),
          signing: createHmacKey(signingSecret),
          identity: { keys: { kind: 'secret', secret } },
          governance: {
            policy: store,
            accessLog: null,
            maskSecret: randomBytes(32).toString('base64url'),
          },
        },
        { logger },
      );
      instances.push({
        name: gatewayName,
        db: own,
        store,
        served: await gateway.listen({ port: 0 }),
      });
    }

    const reader = await headersOf(USER);
    for (const i of instances) {
      const seen = classify(await post(i.served.url, QUERY, undefined, reader));
      if (seen !== 'allowed') throw new Error(`${i.name}: ${seen}`);
    }

    /**
     * Publishes `options.publishes` times while two clients per gateway
     * stream requests; for each publish, how long until both gateways
     * answer in the state it leads to.
     */
    const measurePublishes = async (
      publish: (n: number) => Promise<Seen>,
      prepare?: (n: number) => Promise<void>,
    ): Promise<{ delays: number[]; requests: number }> => {
      const bad: string[] = [];
      let requests = 0;
      const observedAt = new Map<string, number>();
      let expected: Seen = 'allowed';
      let streaming = true;
      const stream = async (i: Instance): Promise<void> => {
        while (streaming) {
          const sent = performance.now();
          const seen = classify(
            await post(i.served.url, QUERY, undefined, reader),
          );
          requests += 1;
          if (seen.startsWith('bad')) bad.push(`${i.name}: ${seen}`);
          const since = observedAt.get(i.name);
          if (since !== undefined && sent > since && seen !== expected) {
            bad.push(`${i.name}: ${seen} after switching to ${expected}`);
          }
        }
      };
      const streams = instances.flatMap((i) => [stream(i), stream(i)]);
      const delays: number[] = [];
      try {
        for (let n = 0; n < options.publishes; n += 1) {
          await prepare?.(n);
          observedAt.clear();
          const published = performance.now();
          const target = await publish(n);
          expected = target;
          const perGateway = await Promise.all(
            instances.map(async (i) => {
              for (;;) {
                const seen = classify(
                  await post(i.served.url, QUERY, undefined, reader),
                );
                const now = performance.now();
                if (seen === target) {
                  observedAt.set(i.name, now);
                  return now - published;
                }
                if (seen.startsWith('bad')) throw new Error(seen);
                if (now - published > BOUND_MS) {
                  throw new Error(
                    `${i.name} still ${seen} ${String(Math.round(now - published))} ms after publish ${String(n + 1)}`,
                  );
                }
              }
            }),
          );
          delays.push(Math.max(...perGateway));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        streaming = false;
        await Promise.all(streams);
      }
      if (bad.length > 0) {
        throw new Error(`${String(bad.length)} bad answers: ${bad[0] ?? ''}`);
      }
      return { delays, requests };
    };

    const grantRevoked = (revoked: boolean): PolicyDocument => {
      const doc = demoPolicy();
      return {
        ...doc,
        grants: doc.grants.map((g) =>
          g.id === 'G-2025-001' ? { ...g, revoked } : g,
        ),
      };
    };
    const documents = await measurePublishes(async (n) => {
      const revoke = n % 2 === 0;
      const doc = grantRevoked(revoke);
      await writePolicyDocument(db, doc);
      return revoke ? 'withheld' : 'allowed';
    });

    const officer = await headersOf('publicsecurity-data-officer');
    const chief = await headersOf('publicsecurity-chief-data-officer');
    const gatewayUrl = hub.gatewayUrl;
    const admin = async (
      headers: Record<string, string>,
      query: string,
      variables: Record<string, unknown>,
    ): Promise<void> => {
      const res = await post(gatewayUrl, query, variables, headers);
      if (res.errors !== undefined) throw new Error(res.text);
    };
    const idOf = (n: number): string => `NL-BENCH-${String(n >> 1)}`;
    const governance = await measurePublishes(
      async (n) => {
        if (n % 2 === 0) {
          await admin(
            chief,
            `mutation($id: ID!) { approveNegativeListEntry(id: $id, version: 1, expectedRevision: 2) { status } }`,
            { id: idOf(n) },
          );
          return 'withheld';
        }
        await admin(
          chief,
          `mutation($id: ID!) { revokeNegativeListEntry(id: $id, version: 1, expectedRevision: 3, comment: "propagation benchmark") { status } }`,
          { id: idOf(n) },
        );
        return 'allowed';
      },
      async (n) => {
        if (n % 2 === 1) return;
        await admin(
          officer,
          `mutation($input: NegativeListEntryInput!) { createNegativeListEntry(input: $input) { revision } }`,
          {
            input: {
              id: idOf(n),
              ownerDepartment: 'publicsecurity',
              content: {
                selector: { coordinates: ['Person.name'] },
                shareClass: 'NOT_SHARED',
                legalBasis: '《中华人民共和国个人信息保护法》',
                reason: 'propagation benchmark',
                priority: 40,
              },
            },
          },
        );
        await admin(
          officer,
          `mutation($id: ID!) { submitNegativeListEntry(id: $id, version: 1, expectedRevision: 1) { status } }`,
          { id: idOf(n) },
        );
      },
    );

    // Token revocations: the second extra gateway has verified (and
    // remembered) the token before the hub's gateway revokes it.
    const authority = await headersOf('city-data-authority');
    const analyst = findDemoUser('env-analyst');
    if (!analyst) throw new Error('the demo users lack env-analyst');
    const second = instances[1];
    if (!second) throw new Error('no second gateway');
    const revocations: number[] = [];
    for (let n = 0; n < options.revocations; n += 1) {
      const token = await mintToken(analyst.claims, secret);
      const headers = await headersOf('env-analyst', token);
      for (const target of [gatewayUrl, second.served.url]) {
        const res = await post(target, REGION, undefined, headers);
        if (res.status !== 200 || res.errors !== undefined) {
          throw new Error(`fresh token refused: ${res.text}`);
        }
      }
      const res = await post(
        gatewayUrl,
        REVOKE,
        { input: { jti: decodeJwt(token).jti, reason: 'benchmark' } },
        authority,
      );
      if (res.errors !== undefined) throw new Error(res.text);
      const answered = performance.now();
      for (;;) {
        const asked = await post(second.served.url, REGION, undefined, headers);
        const elapsed = performance.now() - answered;
        if (asked.status === 401) {
          revocations.push(elapsed);
          break;
        }
        if (elapsed > BOUND_MS) {
          throw new Error(
            `the second gateway still served a revoked token after ${String(Math.round(elapsed))} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    const report = {
      documents: { ...stats(documents.delays), requests: documents.requests },
      governanceApi: {
        ...stats(governance.delays),
        requests: governance.requests,
      },
      revocations: stats(revocations),
      publishes: options.publishes,
      revocationRounds: options.revocations,
    };
    const line = (what: string, s: ReturnType<typeof stats>): string =>
      `${what}: median ${String(s.median)} ms, p95 ${String(s.p95)} ms, worst ${String(s.worst)} ms`;
    log(
      `${line(`policy documents (${String(options.publishes)} publishes)`, report.documents)} (${String(documents.requests)} requests, none failed)`,
    );
    log(
      `${line(`governance API (${String(options.publishes)} publishes)`, report.governanceApi)} (${String(governance.requests)} requests, none failed)`,
    );
    log(
      line(
        `token revocations (${String(options.revocations)} rounds, to the second gateway)`,
        report.revocations,
      ),
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    for (const i of instances) {
      await i.served.close();
      await i.store.close();
      await i.db.close();
    }
    await hub?.close();
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

await main();
