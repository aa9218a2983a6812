// `run` of the BullMQ job queue: adds a job and waits for its outcome
// through the queue's events.
import type { Queue, QueueEvents } from 'bullmq';

import type { JobOptions } from './JobQueue.js';

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string };

/** What waiting for a job of one queue uses. */
export interface BullRunContext<T, R> {
  readonly queue: Queue<T, R>;
  /** The queue's events, listening (rejects when Redis does not answer). */
  listen(): Promise<QueueEvents>;
  /** Adds the job (the queue's `add`). */
  add(name: string, data: T, options?: JobOptions): Promise<{ id: string }>;
  /** Rejectors of the calls still waiting, which closing the queue calls. */
  readonly pendingRuns: Set<(error: Error) => void>;
}

/**
 * Adds a job and resolves with its result once a worker completed it;
 * rejects when it dead-letters (also before this call, for a `jobId` that
 * did), when `timeoutMs` passes, or when the queue closes first.
 */
export async function runBullJob<T, R>(
  context: BullRunContext<T, R>,
  name: string,
  data: T,
  runOptions?: JobOptions & { readonly timeoutMs?: number },
): Promise<R> {
  const { queue, pendingRuns } = context;
  // Listening before the job is added, so that its outcome cannot be
  // missed; outcomes arriving before `add` returns the id are kept.
  const ev = await context.listen();
  const early = new Map<string, Outcome>();
  let waiting: { id: string; settle(o: Outcome): void } | undefined;
  const deliver = (id: string, outcome: Outcome): void => {
    if (!waiting) early.set(id, outcome);
    else if (id === waiting.id) waiting.settle(outcome);
  };
  const onCompleted = (args: { jobId: string; returnvalue: unknown }) =>
    deliver(args.jobId, { ok: true, value: args.returnvalue });
  const onFailed = (args: { jobId: string; failedReason: string }) =>
    deliver(args.jobId, { ok: false, reason: args.failedReason });
  ev.on('completed', onCompleted);
  ev.on('failed', onFailed);
  let timer: NodeJS.Timeout | undefined;
  let rejectOnClose: ((error: Error) => void) | undefined;
  try {
    const { id } = await context.add(name, data, runOptions);
    return await new Promise<R>((resolve, reject) => {
      const settle = (o: Outcome): void => {
        if (o.ok) resolve(o.value as R);
        else reject(new Error(`job ${id} failed: ${o.reason}`));
      };
      const known = early.get(id);
      early.clear();
      if (known) {
        settle(known);
        return;
      }
      waiting = { id, settle };
      rejectOnClose = reject;
      pendingRuns.add(reject);
      if (runOptions?.timeoutMs !== undefined) {
        const ms = runOptions.timeoutMs;
        timer = setTimeout(
          () => reject(new Error(`job ${id} did not finish within ${ms} ms`)),
          ms,
        );
      }
      // A job with this id may have dead-lettered before this call. Its
      // state first, then the job: a job read before it failed has no
      // reason yet (moving to the failed set writes both at once).
      void (async () => {
        if ((await queue.getJobState(id)) !== 'failed') return;
        const job = await queue.getJob(id);
        settle({
          ok: false,
          reason: job?.failedReason ?? 'dead-lettered',
        });
      })().catch(() => undefined);
    });
  } finally {
    clearTimeout(timer);
    if (rejectOnClose) pendingRuns.delete(rejectOnClose);
    ev.off('completed', onCompleted);
    ev.off('failed', onFailed);
  }
}
