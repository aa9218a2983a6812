// `npm start`: the whole hub in one process with demo data. With no
// DATABASE_URL it runs on embedded PostgreSQL (PGlite) in PGLITE_DATA_DIR.
// The gateway signs its subgraph calls with GATEWAY_SIGNING_SECRET, and
// callers' bearer tokens are checked with GOVGRAPH_TOKEN_SECRET; either one
// unset is made once and kept in .govgraph/secrets.json (devSecrets.ts), so
// that tokens survive restarts and `npm run token` works beside the hub.
// The embedded database is served on a loopback port (PGLITE_PORT, default
// 5433) for the command-line tools and psql; the hub prints tokens for
// some demo users.

import { createLogger } from '../subgraphs/kit/src/logger.js';
import { DatabaseUnavailableError } from '../subgraphs/kit/src/db/Database.js';
import { EmbeddedDatabaseInUseError } from '../subgraphs/kit/src/db/embeddedDatabaseLock.js';
import { EnvError, readEnv, readPort } from '../subgraphs/kit/src/env.js';
import { commandLineOrExit } from '../subgraphs/kit/src/cli/commandLine.js';
import type { ServedDatabase } from '../subgraphs/kit/src/db/serveEmbeddedDatabase.js';
import { loadOrCreateDevSecrets, stateDirOf } from './devSecrets.js';
import { readGatewayEnv } from '../gateway/src/env.js';
import { mintToken, PURPOSE_HEADER } from '../gateway/src/identity/index.js';
import { demoUsers, findDemoUser, type DemoUser } from './demoUsers.js';
import { receives } from '../subgraphs/emergency/src/alerting/alertPrincipal.js';
import { readEmergencyEnv } from '../subgraphs/emergency/src/env.js';
import { exampleQueries } from './exampleQueries.js';
import {
  readConsoleAllowedHosts,
  readConsoleOidc,
} from '../catalog/src/web/env.js';
import { CONSOLE_DEMO_USERS } from './demoUsers.js';
import type { HubConfig } from './Hub.js';
import type { ScenarioReplay } from './startHub.js';
import { WEB_APPS } from './webApps.js';
import { buildStaleWebApps } from '../subgraphs/kit/src/web/buildWebApp.js';
import { reindexProgressPrinter } from './reindexProgress.js';
import { readHubEnv } from './env.js';
import { listenForStop } from './stopSignals.js';

commandLineOrExit({
  command: 'govgraph',
  usage: `usage: npm start
  The whole hub in one process with demo data: the gateway on PORT (4000),
  the subgraphs, the job runners, the web console (CONSOLE_PORT, 4010)
  and, without DATABASE_URL, the embedded database in PGLITE_DATA_DIR served
  to psql and the command-line tools on 127.0.0.1:PGLITE_PORT (5433).
  Development secrets are kept in .govgraph/secrets.json. See README.md and
  docs/configuration.md for the environment variables.`,
});

try {
  const env = readEnv();
  const emergencyEnv = readEmergencyEnv();
  const port = readPort('PORT', 4000);
  const consoleAllowedHosts = readConsoleAllowedHosts();
  const consoleOidc = readConsoleOidc();
  const { SUBGRAPH_PORTS: subgraphPorts, SEED: seed } = readHubEnv();
  // Development secrets, kept: only when one of the two is not set.
  const stateDir = stateDirOf(env.PGLITE_DATA_DIR);
  const kept = (): { tokenSecret: string; signingSecret: string } =>
    loadOrCreateDevSecrets(stateDir);
  let tokenSecret: string;
  let tokenLifetime: {
    maxTokenTtlSeconds: number;
    clockToleranceSeconds: number;
  };
  let bounds: HubConfig['bounds'];
  let accessLogDeadlineMs: number;
  let metrics: boolean;
  let accessLog: Pick<HubConfig, 'accessLogWriterId' | 'accessLogCheckpointMs'>;
  try {
    const gatewayEnv = readGatewayEnv();
    tokenSecret = gatewayEnv.GOVGRAPH_TOKEN_SECRET ?? kept().tokenSecret;
    tokenLifetime = {
      maxTokenTtlSeconds: gatewayEnv.GOVGRAPH_MAX_TOKEN_TTL,
      clockToleranceSeconds: gatewayEnv.GOVGRAPH_CLOCK_TOLERANCE,
    };
    bounds = {
      subgraphTimeoutMs: gatewayEnv.GATEWAY_SUBGRAPH_TIMEOUT_MS,
      maxConcurrent: gatewayEnv.GATEWAY_MAX_CONCURRENT,
      maxResponseBytes: gatewayEnv.GATEWAY_MAX_RESPONSE_BYTES,
    };
    accessLogDeadlineMs = gatewayEnv.GATEWAY_ACCESS_LOG_DEADLINE_MS;
    metrics = gatewayEnv.GATEWAY_METRICS === 'on';
    accessLog = {
      accessLogCheckpointMs: gatewayEnv.GATEWAY_ACCESS_LOG_CHECKPOINT_MS,
      ...(gatewayEnv.GATEWAY_ACCESS_LOG_WRITER_ID === undefined
        ? {}
        : { accessLogWriterId: gatewayEnv.GATEWAY_ACCESS_LOG_WRITER_ID }),
    };
  } catch (error) {
    throw new EnvError(error instanceof Error ? error.message : String(error));
  }
  const logger = createLogger(
    'govgraph',
    process.env['LOG_LEVEL'] ? env.LOG_LEVEL : 'warn',
  );
  const started = performance.now();
  // The hub's modules load once the settings are known to be usable: a
  // misconfigured start says so without paying for Apollo, pg and PGlite.
  const [
    { openDatabase },
    { serveEmbeddedDatabase },
    { startHub },
    { serveRegistryConsole },
    { tracingFromEnv },
  ] = await Promise.all([
    import('../subgraphs/kit/src/db/openDatabase.js'),
    import('../subgraphs/kit/src/db/serveEmbeddedDatabase.js'),
    import('./startHub.js'),
    import('../catalog/src/web/serveRegistryConsole.js'),
    import('../subgraphs/kit/src/tracing/tracing.js'),
  ]);
  // OpenTelemetry traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await tracingFromEnv(env, 'govgraph-hub');
  // The browser apps (the gateway's GraphQL IDE, the web console) when
  // their build is missing or older than their sources: `npm install`
  // builds them too.
  await buildStaleWebApps(WEB_APPS, (line) => {
    const at = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`govgraph: ${line} (${at} s)\n`);
  });
  if (!env.DATABASE_URL) {
    process.stdout.write(
      `govgraph: opening the embedded database in ${env.PGLITE_DATA_DIR}…\n`,
    );
  }
  const db = await openDatabase(
    env.DATABASE_URL
      ? { kind: 'pg', connectionString: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.PGLITE_DATA_DIR },
  );
  // The embedded database, for the command-line tools and psql while the
  // hub runs (they find the URL in the folder's lock file).
  let servedDb: ServedDatabase | null = null;
  if (!env.DATABASE_URL && !env.PGLITE_DATA_DIR.includes('://')) {
    servedDb = await serveEmbeddedDatabase(db, {
      host: '127.0.0.1',
      port: subgraphPorts === 'free' ? 0 : env.PGLITE_PORT,
    });
  }
  process.stdout.write(
    (env.DATABASE_URL
      ? 'govgraph: using PostgreSQL from DATABASE_URL\n'
      : `govgraph: using embedded PostgreSQL (PGlite) in ${env.PGLITE_DATA_DIR}\n`) +
      (servedDb
        ? `govgraph: embedded database served at ${servedDb.url} (psql; npm run policy, audit:verify, audit:report use it)\n`
        : '') +
      (env.REDIS_URL
        ? 'govgraph: jobs on Redis from REDIS_URL\n'
        : 'govgraph: jobs in-process (no REDIS_URL)\n') +
      (env.ELASTICSEARCH_URL
        ? 'govgraph: search on Elasticsearch from ELASTICSEARCH_URL\n'
        : 'govgraph: search on PostgreSQL (no ELASTICSEARCH_URL)\n') +
      (tracing
        ? 'govgraph: traces over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT\n'
        : ''),
  );
  // A signal during start-up (the gateway may already answer while the
  // jobs start) stops the hub as soon as it is up, not half-way.
  const stopSignals = listenForStop();
  // The queues' key prefix, the same for `npm run worker` beside this hub.
  const redisPrefix =
    env.REDIS_PREFIX === undefined ? {} : { prefix: env.REDIS_PREFIX };
  const hub = await startHub(
    {
      gatewayPort: port,
      subgraphPorts,
      host: env.HOST,
      seed: { seed, scale: 'demo' },
      signingSecret: env.GATEWAY_SIGNING_SECRET ?? kept().signingSecret,
      tokenSecret,
      ...tokenLifetime,
      bounds,
      accessLogDeadlineMs,
      metrics,
      ...accessLog,
      // The algorithm registry's annual re-review: BullMQ on REDIS_URL, or
      // in this process (at start, then every 6 hours) without it.
      reReview: env.REDIS_URL
        ? { kind: 'redis', connection: env.REDIS_URL, ...redisPrefix }
        : { kind: 'in-process', intervalMs: 6 * 3_600_000 },
      // Search: Elasticsearch at ELASTICSEARCH_URL, else PostgreSQL; the
      // outbox moved to the index by BullMQ on REDIS_URL, else in-process.
      search: {
        elasticsearchUrl: env.ELASTICSEARCH_URL,
        indexer: {
          queue: env.REDIS_URL
            ? { kind: 'redis', url: env.REDIS_URL, ...redisPrefix }
            : { kind: 'in-process' },
        },
      },
      // Alerts: the risk inventory's thresholds evaluated every 15 minutes
      // against the readings (BullMQ job scheduler on REDIS_URL, else a
      // timer here), delivered to inboxes and signed webhooks.
      alerting: env.REDIS_URL
        ? { kind: 'redis', connection: env.REDIS_URL, ...redisPrefix }
        : { kind: 'in-process', intervalMs: 15 * 60_000 },
      // On Redis: noticing that it lost its data (flushed, restarted
      // empty) re-registers the schedules and requeues pending work at once.
      redisLossWatch: env.REDIS_URL
        ? { url: env.REDIS_URL, ...redisPrefix }
        : null,
      // Webhooks go over https to public addresses only, unless the
      // operators list other targets in ALERT_WEBHOOK_ALLOWED_TARGETS.
      alertWebhookAllowList: emergencyEnv.webhookAllowList,
    },
    {
      db,
      logger,
      // One line a phase, with the time since start.
      // Each full search reindex (after a city-scale seed, minutes): a
      // bar on a terminal, else a line a second.
      reindexProgress: reindexProgressPrinter(process.stdout, 'govgraph: '),
      progress: (phase) => {
        const at = ((performance.now() - started) / 1000).toFixed(1);
        process.stdout.write(`govgraph: ${phase}… (${at} s)\n`);
      },
    },
  );
  const secretKey = new TextEncoder().encode(tokenSecret);
  // The web console (built at start when stale, above), in demo mode: it offers one demo user per role and mints their
  // tokens (1 h) with this run's secret, to a browser on this machine only.
  // It answers the loopback names and CONSOLE_ALLOWED_HOSTS; `npm run
  // console` serves it without demo logins.
  const consoleUsers = CONSOLE_DEMO_USERS.map(findDemoUser).filter(
    (u): u is DemoUser => u !== undefined,
  );
  const registryConsole = await serveRegistryConsole({
    port: subgraphPorts === 'free' ? 0 : readPort('CONSOLE_PORT', 4010),
    host: env.HOST,
    gatewayUrl: hub.gatewayUrl,
    allowedHosts: consoleAllowedHosts,
    oidc: consoleOidc,
    mode: {
      kind: 'demo',
      users: consoleUsers.map((u) => ({
        id: u.id,
        description: u.description,
        roles: u.claims.roles,
        purpose: u.purpose,
      })),
      mintToken: async (id, ttlSeconds) => {
        const user = consoleUsers.find((u) => u.id === id);
        if (user === undefined) throw new Error(`no demo user ${id}`);
        return mintToken(user.claims, secretKey, { ttlSeconds });
      },
    },
  });
  const shown = ['env-analyst', 'enforcement-jiefangbei', 'algo-ruxi-oil']
    .map(findDemoUser)
    .filter((u): u is DemoUser => u !== undefined);
  const tokens = await Promise.all(
    shown.map((u) =>
      mintToken(u.claims, secretKey, {
        // A working day, or the gateway's maximum when that is shorter.
        ttlSeconds: Math.min(8 * 3_600, tokenLifetime.maxTokenTtlSeconds),
      }),
    ),
  );
  const complaintUser = findDemoUser('enforcement-jiefangbei');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `govgraph is up in ${seconds} s` +
      (hub.seeded
        ? ` (seeded demo data, seed ${seed}, in ${(hub.seeded.ms / 1000).toFixed(1)} s)`
        : ' (existing data kept)'),
    '',
    `  gateway          ${hub.gatewayUrl}`,
    `  GraphQL IDE      ${hub.gatewayUrl}   in a browser (or /ide/): token, purpose, schema, explain`,
    ...hub.subgraphs.map(
      (s) => `  ${s.name.padEnd(16)} ${s.url}   ${s.department}`,
    ),
    `  web console      ${registryConsole.url}   政务数据共享控制台 (log in as a demo user of your role)`,
    '',
    ...(hub.scenarioReplay ? [replayLine(hub.scenarioReplay), ''] : []),
    'Sample queries (POST them to the gateway, or see README.md):',
    '',
    ...exampleQueries.flatMap((q) => [`# ${q.title}`, q.query.trim(), '']),
    'Every request needs a bearer token and a purpose of use. Tokens for demo',
    `users, valid 8 h (\`npm run token -- <user-id>\` mints one for any of the ${String(demoUsers.length)}`,
    'demo users, `npm run token -- --list` lists them; ' +
      (process.env['GOVGRAPH_TOKEN_SECRET']
        ? 'set the same GOVGRAPH_TOKEN_SECRET):'
        : `the secret is kept in ${stateDir}/secrets.json):`),
    '',
    ...shown.flatMap((u, i) => [
      `# ${u.id}: ${u.description}; purposes: ${u.claims.purposes.join(', ')}`,
      `  ${tokenVariable(u)}=${tokens[i] ?? ''}`,
      '',
    ]),
    `  curl -s ${hub.gatewayUrl} -H 'content-type: application/json' \\`,
    `    -H "authorization: Bearer $${complaintUser ? tokenVariable(complaintUser) : ''}" -H '${PURPOSE_HEADER}: ${complaintUser?.purpose ?? ''}' \\`,
    `    --data '{"query":"{ complaint(id: \\"C-20250915-JCK\\") { summary nearestSquads { distanceMeters squad { name } } merchants { nodes { name violations { totalCount } } } } }"}'`,
    '',
    'Ctrl-C stops the hub.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const stop = (signal: string): void => {
    process.stdout.write(`\ngovgraph: ${signal} received, stopping\n`);
    void registryConsole
      .close()
      .then(() => hub.close())
      .then(() => servedDb?.close())
      .then(() => db.close())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  stopSignals.ready(stop);
} catch (error) {
  if (
    error instanceof DatabaseUnavailableError ||
    error instanceof EnvError ||
    error instanceof EmbeddedDatabaseInUseError
  ) {
    process.stderr.write(`govgraph: ${error.message}\n`);
    process.exit(1);
  }
  if (
    error instanceof Error &&
    'code' in error &&
    error.code === 'EADDRINUSE'
  ) {
    process.stderr.write(
      `govgraph: ${error.message}: another process holds the port; stop it or set PORT\n`,
    );
    process.exit(1);
  }
  throw error;
}

/**
 * One line on what the evaluator raised from the seeded readings as of
 * scenario 1's instant: each alert, and each inbox it is in with a demo user
 * who reads that inbox (`npm run token -- <user>`).
 */
function replayLine(replay: ScenarioReplay): string {
  const at = `Alerts evaluated as of ${replay.evaluatedAt} (scenario 1)`;
  if (replay.alerts.length === 0) return `${at}: none raised`;
  const alerts = replay.alerts.map((alert) => {
    const inboxes = alert.inboxes.map((inbox) => {
      const reader = demoUsers.find(
        (u) =>
          u.claims.filing === undefined &&
          receives(
            {
              subject: u.claims.sub,
              department: u.claims.dept,
              roles: u.claims.roles,
              regionCode: u.claims.region,
            },
            inbox,
          ),
      );
      return reader ? `${inbox.recipient} (${reader.id})` : inbox.recipient;
    });
    return `${alert.id} ${alert.title} (${alert.level}) in the alertInbox of ${inboxes.join(', ')}`;
  });
  return `${at}: raised ${alerts.join('; ')}`;
}

function tokenVariable(user: DemoUser): string {
  return `${user.id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_TOKEN`;
}
