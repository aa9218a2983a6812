// Readiness (`GET /ready`), as opposed to liveness (`GET /health`): whether
// a process should be sent traffic now. Each component names its checks
// (policy loaded, database reachable, audit writable, subgraphs answering,
// search index); any check `failing` makes it not ready (HTTP 503 with the
// reasons). `building` is reported, and is not a reason by itself.

/** What one readiness check found. */
export interface ReadyCheckResult {
  /**
   * `ok`; `building`: serving, but not caught up (the search index);
   * `disabled`: not configured here; `failing`: not ready.
   */
  readonly status: 'ok' | 'building' | 'disabled' | 'failing';
  /** Why, when `failing` (a short sentence; never an error's raw text). */
  readonly reason?: string;
  /** Figures that go with it (pending rows, the policy version…). */
  readonly [detail: string]: unknown;
}

/** One readiness check; a throw or a timeout counts as `failing`. */
export type ReadyCheck = () => Promise<ReadyCheckResult>;

/** The body of `GET /ready`. */
export interface Readiness {
  readonly status: 'ready' | 'not ready';
  /** `<check>: <reason>` of each failing check. */
  readonly reasons: readonly string[];
  readonly checks: Readonly<Record<string, ReadyCheckResult>>;
}

/** How long one check may take before it counts as failing, by default. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

/** Runs every check at once and sums them up. */
export async function checkReadiness(
  checks: Readonly<Record<string, ReadyCheck>>,
  timeoutMs = READY_CHECK_TIMEOUT_MS,
): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]): Promise<[string, ReadyCheckResult]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<ReadyCheckResult>((resolve) => {
            timer = setTimeout(() => {
              resolve({
                status: 'failing',
                reason: `no answer within ${String(timeoutMs)} ms`,
              });
            }, timeoutMs);
          });
          return [name, await Promise.race([check(), timeout])];
        } catch {
          return [name, { status: 'failing', reason: 'check failed' }];
        } finally {
          clearTimeout(timer);
        }
      },
    ),
  );
  const reasons = entries
    .filter(([, r]) => r.status === 'failing')
    .map(([name, r]) => `${name}: ${r.reason ?? 'failing'}`);
  return {
    status: reasons.length === 0 ? 'ready' : 'not ready',
    reasons,
    checks: Object.fromEntries(entries),
  };
}

/** The check of a database: `SELECT 1` answers. */
export function databaseCheck(db: {
  query(sql: string): Promise<unknown>;
  readonly kind: string;
}): ReadyCheck {
  return async () => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok', kind: db.kind };
    } catch {
      return { status: 'failing', reason: 'the database does not answer' };
    }
  };
}
