// The production shape of docs/operations.md as processes of this machine:
// the eight subgraphs, the gateway and the worker, each started as `npm run
// …` and docs/operations.md start it (`node scripts/launch.js <main>`: the
// main's bundle, in the launcher's own process). Used by the tests about
// the mains and by `npm run soak` (bench/soak.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { Queue } from 'bullmq';

import { mintToken, PURPOSE_HEADER } from '../gateway/src/identity/index.js';
import { ALERT_EVALUATION_QUEUE } from '../subgraphs/emergency/src/alerting/jobs/alertingQueues.js';
import { runMarkerKey } from '../subgraphs/kit/src/jobs/index.js';
import { findDemoUser } from './demoUsers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The launcher of the mains (scripts/launch.js), as npm's scripts run it. */
export const LAUNCHER = fileURLToPath(
  new URL('../scripts/launch.js', import.meta.url),
);

/** The subgraphs' mains, as docs/operations.md starts them. */
export const SUBGRAPH_MAINS = [
  ['environment', 'subgraphs/environment/src/main.ts'],
  ['water', 'subgraphs/water/src/main.ts'],
  ['market', 'subgraphs/market/src/main.ts'],
  ['enforcement', 'subgraphs/enforcement/src/main.ts'],
  ['emergency', 'subgraphs/emergency/src/main.ts'],
  ['publicsecurity', 'subgraphs/publicsecurity/src/main.ts'],
  ['governance', 'subgraphs/governance/src/main.ts'],
  ['catalog', 'catalog/src/main.ts'],
] as const;

/**
 * Starts `script` (relative to the repository) with `args` through the
 * launcher, with this process's environment without DATABASE_URL, plus
 * `env`. The child is the node process that runs the script.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  const cleanEnv = { ...process.env };
  delete cleanEnv['DATABASE_URL'];
  return spawn(process.execPath, [LAUNCHER, script, ...args], {
    cwd: root,
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The output and the exit code of a started script. */
export function collect(child: ChildProcess): {
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  return { out: () => out, err: () => err, exit };
}

/** Waits until `check` holds, at most `ms`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

/** A TCP port free on 127.0.0.1 right now, for a server to be started. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One started component. */
export interface ComponentProcess {
  name: string;
  child: ChildProcess;
  io: ReturnType<typeof collect>;
}

/** What {@link startProductionShape} starts the components with. */
export interface ProductionShapeOptions {
  /** The database every component uses (migrated and seeded). */
  databaseUrl: string;
  redisUrl: string;
  /** REDIS_PREFIX of the worker's queues. */
  redisPrefix: string;
  /** GATEWAY_SIGNING_SECRET of the gateway and every subgraph. */
  signingSecret: string;
  /** GOVGRAPH_TOKEN_SECRET of the gateway and the worker. */
  tokenSecret: string;
  /** GATEWAY_MASK_SECRET of the gateway. */
  maskSecret: string;
  /** More variables of every component (e.g. ALERT_WEBHOOK_ALLOWED_TARGETS). */
  env?: Record<string, string>;
  /** More variables of the gateway (its limits). */
  gatewayEnv?: Record<string, string>;
  /** LOG_LEVEL of every component. @defaultValue 'warn' */
  logLevel?: string;
  /** How long the gateway may take to answer. @defaultValue 45 s */
  readyWithinMs?: number;
  /** Gives up waiting (and stops what was started) when aborted. */
  signal?: AbortSignal;
}

/** The components, running, answering through the gateway. */
export interface ProductionShape {
  gatewayUrl: string;
  /** The worker's `/health`, `/ready` and `/metrics` (`http://host:port`). */
  workerUrl: string;
  processes: readonly ComponentProcess[];
  /** The end of every component's stderr, for an error message. */
  logs(): string;
  /**
   * Stops every component: SIGTERM to each, SIGKILL to any still running
   * after `graceMs`.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the subgraphs on free ports, the gateway over them and the worker
 * reading through it, and waits until the gateway answers a read through
 * the emergency subgraph. On failure it stops what it started and throws
 * with the components' logs.
 */
export async function startProductionShape(
  options: ProductionShapeOptions,
): Promise<ProductionShape> {
  const processes: ComponentProcess[] = [];
  const common = { LOG_LEVEL: options.logLevel ?? 'warn', ...options.env };
  const start = (name: string, script: string, env: Record<string, string>) => {
    const child = runScript(script, [], { ...common, ...env });
    processes.push({ name, child, io: collect(child) });
  };
  const logs = (): string =>
    processes
      .map((s) => `--- ${s.name}\n${s.io.err().slice(-2000)}`)
      .join('\n');
  const stop = async (graceMs = 5000): Promise<void> => {
    await Promise.all(
      processes.map(async (s) => {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          s.child.kill('SIGTERM');
          const exited = await Promise.race([
            s.io.exit.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
          ]);
          if (!exited) s.child.kill('SIGKILL');
        }
      }),
    );
  };

  try {
    const urls: Record<string, string> = {};
    for (const [name, script] of SUBGRAPH_MAINS) {
      options.signal?.throwIfAborted();
      const port = await freePort();
      urls[`SUBGRAPH_${name.toUpperCase()}_URL`] =
        `http://127.0.0.1:${port}/graphql`;
      start(name, script, {
        DATABASE_URL: options.databaseUrl,
        PORT: String(port),
        GATEWAY_SIGNING_SECRET: options.signingSecret,
      });
    }
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    start('gateway', 'gateway/src/main.ts', {
      DATABASE_URL: options.databaseUrl,
      PORT: String(gatewayPort),
      GATEWAY_SIGNING_SECRET: options.signingSecret,
      GOVGRAPH_TOKEN_SECRET: options.tokenSecret,
      GATEWAY_MASK_SECRET: options.maskSecret,
      ...urls,
      ...options.gatewayEnv,
    });
    const workerPort = await freePort();
    start('worker', 'hub/worker/main.ts', {
      WORKER_PORT: String(workerPort),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.redisPrefix,
      GATEWAY_URL: gatewayUrl,
      GOVGRAPH_TOKEN_SECRET: options.tokenSecret,
    });
    const headers = await demoUserHeaders(
      'emergency-duty',
      options.tokenSecret,
    );
    // Up once the gateway answers through the emergency subgraph (18 s on
    // the shared two-core machine during a fuzz run; the bound leaves room).
    await waitFor(async () => {
      options.signal?.throwIfAborted();
      for (const s of processes) {
        if (s.child.exitCode !== null) {
          throw new Error(`${s.name} exited: ${s.io.err()}`);
        }
      }
      try {
        const res = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({
            query: '{ riskItem(id: "RI-PUHE-ZHAIXI") { id } }',
          }),
        });
        const body = (await res.json()) as { errors?: unknown };
        return res.status === 200 && body.errors === undefined;
      } catch {
        return false;
      }
    }, options.readyWithinMs ?? 45_000);
    return {
      gatewayUrl,
      workerUrl: `http://127.0.0.1:${String(workerPort)}`,
      processes,
      logs,
      stop,
    };
  } catch (error) {
    const message = `${String(error)}\n${logs()}`;
    await stop();
    throw new Error(message, { cause: error });
  }
}

/**
 * Headers of a gateway request by a demo user (hub/demoUsers.ts): a bearer
 * token signed with `secret` and the user's own example purpose.
 */
export async function demoUserHeaders(
  userId: string,
  secret: string,
  options: { purpose?: string; ttlSeconds?: number } = {},
): Promise<Record<string, string>> {
  const user = findDemoUser(userId);
  if (!user) throw new Error(`no demo user "${userId}"`);
  const token = await mintToken(
    user.claims,
    new TextEncoder().encode(secret),
    options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds },
  );
  return {
    authorization: `Bearer ${token}`,
    [PURPOSE_HEADER]: options.purpose ?? user.purpose,
  };
}

/** The BullMQ queues the worker's job runners use. */
export const WORKER_QUEUES = [
  'govgraph-search',
  'govgraph-search-reindex',
  ALERT_EVALUATION_QUEUE,
  'alert-webhooks',
  'govgraph-algorithm-re-review',
  'govgraph-redis-watch',
] as const;

/**
 * Removes what workers under `prefix` left in Redis: their queues and the
 * run marker (for a prefix of one's own, on a shared Redis).
 */
export async function clearWorkerQueues(
  redisUrl: string,
  prefix: string,
): Promise<void> {
  for (const name of WORKER_QUEUES) {
    const queue = new Queue(name, { connection: { url: redisUrl }, prefix });
    try {
      if (name === ALERT_EVALUATION_QUEUE) {
        await (await queue.client).del(runMarkerKey(prefix));
      }
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
}
