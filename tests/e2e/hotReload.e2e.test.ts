// Policy hot reload end to end: two gateways, each with a policy store of
// its own on the hub's database (and a timed reload too slow to matter),
// serve a steady stream of requests while the policy is published 20 times,
// alternately revoking and restoring grant G-2025-001. Only LISTEN/NOTIFY
// can explain how fast both follow: every publish reaches both within 2 s,
// no request fails, and /health reports the store's status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createGateway } from '../../gateway/src/createGateway.js';
import { DEFAULT_SUPERGRAPH_PATH } from '../../gateway/src/env.js';
import {
  createPolicyStore,
  policyVersion,
  writePolicyDocument,
  type PolicyDocument,
  type PolicyStore,
} from '../../gateway/src/policyStore/index.js';
import { readSupergraphFile } from '../../gateway/src/supergraphFile.js';
import { demoPolicy } from '../../seeds/src/index.js';
import {
  createLogger,
  openDatabase,
  type Database,
  type ServedGraphQL,
} from '../../subgraphs/kit/src/index.js';
import { testGovernance } from '../utils/governance.js';
import {
  demoHeaders,
  postGraphQL,
  testIdentity,
  testSigningKey,
} from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const PUBLISHES = 20;
const USER = 'enforcement-jiefangbei';
/** The complainant's name is read under grant G-2025-001 (masked). */
const QUERY = `{ complaint(id: "C-20250915-JCK") { summary complainant { id name } } }`;

/** The demo policy with grant G-2025-001 revoked or not. */
function withGrantRevoked(revoked: boolean): PolicyDocument {
  const doc = demoPolicy();
  return {
    ...doc,
    grants: doc.grants.map((g) =>
      g.id === 'G-2025-001' ? { ...g, revoked } : g,
    ),
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

interface Instance {
  name: string;
  db: Database;
  store: PolicyStore;
  served: ServedGraphQL;
}

let t: TestHub;
const instances: Instance[] = [];

before(async () => {
  t = await startTestHub();
  const supergraphSdl = await readSupergraphFile(DEFAULT_SUPERGRAPH_PATH);
  for (const name of ['gateway-a', 'gateway-b']) {
    const db = await openDatabase({ kind: 'pg', connectionString: t.tdb.url });
    const logger = createLogger(name, 'silent');
    const store = createPolicyStore({
      db,
      logger,
      // An hour: only a notification explains a reload within the test.
      refreshIntervalMs: 3_600_000,
    });
    await store.start();
    const gateway = createGateway(
      {
        supergraphSdl,
        subgraphUrls: Object.fromEntries(
          t.hub.subgraphs.map((s) => [s.name, s.url]),
        ),
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance({ policy: store }),
      },
      { logger },
    );
    const served = await gateway.listen({ port: 0 });
    instances.push({ name, db, store, served });
  }
});
after(async () => {
  for (const i of instances) {
    await i.served.close();
    await i.store.close();
    await i.db.close();
  }
  await t[Symbol.asyncDispose]();
});

async function health(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL('/health', url));
  return { status: res.status, body: await res.json() };
}

describe('policy hot reload across gateways', () => {
  it(`propagates ${String(PUBLISHES)} publishes to both gateways within 2 s without failing a request`, async (ctx) => {
    const headers = await demoHeaders(USER);
    for (const i of instances) {
      await i.store.refresh();
      assert.equal(
        classify(await postGraphQL(i.served.url, QUERY, undefined, headers)),
        'allowed',
      );
      const h = await health(i.served.url);
      assert.equal(h.status, 200);
      assert.equal(h.body.policy.listening, true, JSON.stringify(h.body));
      assert.equal(h.body.policy.stale, false);
      assert.equal(h.body.policy.version, h.body.policyVersion);
    }

    // The steady stream: two clients per gateway, back to back.
    const bad: string[] = [];
    let requests = 0;
    /** Per gateway: when it was first seen in the state just published. */
    const observedAt = new Map<string, number>();
    let expected: Seen = 'allowed';
    let streaming = true;
    const stream = async (i: Instance): Promise<void> => {
      while (streaming) {
        const started = performance.now();
        const seen = classify(
          await postGraphQL(i.served.url, QUERY, undefined, headers),
        );
        requests += 1;
        if (seen.startsWith('bad')) bad.push(`${i.name}: ${seen}`);
        // Once a gateway has been seen in the new state, every request
        // started afterwards must be in it too.
        const since = observedAt.get(i.name);
        if (since !== undefined && started > since && seen !== expected) {
          bad.push(`${i.name}: ${seen} after switching to ${expected}`);
        }
      }
    };
    const streams = instances.flatMap((i) => [stream(i), stream(i)]);

    const delays: number[] = [];
    try {
      for (let n = 0; n < PUBLISHES; n += 1) {
        const revoke = n % 2 === 0;
        const doc = withGrantRevoked(revoke);
        const version = policyVersion(doc);
        const target: Seen = revoke ? 'withheld' : 'allowed';
        observedAt.clear();
        expected = target;
        const published = performance.now();
        await writePolicyDocument(t.tdb.db, doc);
        const perGateway = await Promise.all(
          instances.map(async (i) => {
            // Probe until the gateway answers in the new state.
            for (;;) {
              const seen = classify(
                await postGraphQL(i.served.url, QUERY, undefined, headers),
              );
              const now = performance.now();
              if (seen === target) {
                observedAt.set(i.name, now);
                assert.equal(i.store.current().policy.version, version);
                return now - published;
              }
              assert.ok(!seen.startsWith('bad'), `${i.name}: ${seen}`);
              assert.ok(
                now - published < 2_000,
                `${i.name} still ${seen} ${String(Math.round(now - published))} ms after publish ${String(n + 1)}`,
              );
            }
          }),
        );
        delays.push(Math.max(...perGateway));
        // Let the stream run a while in the new state.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      streaming = false;
      await Promise.all(streams);
    }

    assert.deepEqual(bad, [], `${String(bad.length)} of ${String(requests)}`);
    assert.ok(requests > PUBLISHES * 4, `${String(requests)} requests`);
    const sorted = [...delays].sort((a, b) => a - b);
    const median =
      ((sorted[(PUBLISHES >> 1) - 1] ?? 0) + (sorted[PUBLISHES >> 1] ?? 0)) / 2;
    const worst = sorted.at(-1) ?? 0;
    const line = `policy propagation over ${String(PUBLISHES)} publishes: median ${String(Math.round(median))} ms, worst ${String(Math.round(worst))} ms (${String(requests)} requests, none failed)`;
    console.log(`# ${line}`);
    ctx.diagnostic(line);
    assert.ok(worst < 2_000, line);

    // An even number of publishes: the demo policy again, allowed on both.
    const demo = policyVersion(withGrantRevoked(false));
    for (const i of instances) {
      assert.equal(i.store.current().policy.version, demo);
      assert.equal(
        classify(await postGraphQL(i.served.url, QUERY, undefined, headers)),
        'allowed',
      );
      const h = await health(i.served.url);
      assert.equal(h.status, 200);
      assert.deepEqual(
        {
          version: h.body.policy.version,
          stale: h.body.policy.stale,
          lastError: h.body.policy.lastError,
          listening: h.body.policy.listening,
        },
        { version: demo, stale: false, lastError: null, listening: true },
      );
    }
  });
});
