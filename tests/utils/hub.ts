import { startHub, type Hub } from '../../hub/startHub.js';
import type { WebhookAllowList } from '../../subgraphs/emergency/src/alerting/webhookTargets.js';
import { readEmergencyEnv } from '../../subgraphs/emergency/src/env.js';
import {
  countStatements,
  createLogger,
} from '../../subgraphs/kit/src/index.js';
import { TEST_SIGNING_SECRET, TEST_TOKEN_SECRET } from './graphql.js';
import { createDemoDatabase } from './demoTemplate.js';
import type { TestDatabase } from './testDatabase.js';

/** A seeded hub on a fresh test database, with every SQL statement counted. */
export interface TestHub extends AsyncDisposable {
  hub: Hub;
  tdb: TestDatabase;
  statements: ReturnType<typeof countStatements>;
  /**
   * The alert webhook targets the hub allows besides public addresses
   * (parsed from `alertWebhookAllowedTargets`), for an alerting runner a
   * test starts beside it.
   */
  webhookAllowList: WebhookAllowList;
}

/**
 * Starts the six subgraphs and the gateway on free ports over a fresh test
 * database holding the demo world (seed 1), signing subgraph calls with
 * {@link TEST_SIGNING_SECRET} and checking callers' tokens with
 * {@link TEST_TOKEN_SECRET} (see `demoHeaders`), so that a gateway a test
 * builds itself over the hub's subgraphs can sign with `testSigningKey`.
 * The database is a copy of the demo template (demoTemplate.ts: migrated
 * and seeded once per code version), which the hub starts as the start
 * that seeded (`preparedDatabase`: `hub.seeded` is the template's seeding).
 * Like `npm start`, the hub replays scenario 1 through the alert evaluator
 * once it has seeded (`hub.scenarioReplay`), unless `replayScenarios` is
 * false.
 */
export async function startTestHub(
  options: {
    replayScenarios?: boolean;
    /** ALERT_WEBHOOK_ALLOWED_TARGETS of the hub. @defaultValue none */
    alertWebhookAllowedTargets?: string;
    /** The gateway's access-log append deadline (ms). @defaultValue 2000 */
    accessLogDeadlineMs?: number;
  } = {},
): Promise<TestHub> {
  const signingSecret = TEST_SIGNING_SECRET;
  const { webhookAllowList } = readEmergencyEnv({
    ALERT_WEBHOOK_ALLOWED_TARGETS: options.alertWebhookAllowedTargets,
  });
  const { tdb, prepared } = await createDemoDatabase();
  const statements = countStatements(tdb.db);
  try {
    const hub = await startHub(
      {
        gatewayPort: 0,
        subgraphPorts: 'free',
        seed: { seed: 1, scale: 'demo' },
        preparedDatabase: prepared,
        replayScenarios: options.replayScenarios ?? true,
        signingSecret,
        tokenSecret: TEST_TOKEN_SECRET,
        // No timed policy reload during a test: it would add statements
        // to the count. Tests that change the policy call refresh().
        policyRefreshMs: 3_600_000,
        // Likewise no timed outbox poll: changes wake the relay by NOTIFY,
        // and tests that search call hub.search.flush().
        search: {
          indexer: { queue: { kind: 'in-process' }, pollIntervalMs: 3_600_000 },
        },
        alertWebhookAllowList: webhookAllowList,
        ...(options.accessLogDeadlineMs === undefined
          ? {}
          : { accessLogDeadlineMs: options.accessLogDeadlineMs }),
      },
      { db: statements.db, logger: createLogger('test-hub', 'silent') },
    );
    // The index (built from the seeded tables in the template) holds what
    // the start changed before any test runs, so that no indexing runs
    // behind a test's back.
    await hub.search.flush();
    return {
      hub,
      tdb,
      statements,
      webhookAllowList,
      async [Symbol.asyncDispose]() {
        await hub.close();
        await tdb.drop();
      },
    };
  } catch (error) {
    await tdb.drop();
    throw error;
  }
}
