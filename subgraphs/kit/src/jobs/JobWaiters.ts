// The callers of the in-process queue's `run` waiting for their jobs'
// outcomes, by job id.

interface Waiter<R> {
  resolve(result: R): void;
  reject(error: Error): void;
}

/** Callers waiting for jobs' outcomes, by job id. */
export class JobWaiters<R> {
  private readonly byId = new Map<string, Waiter<R>[]>();

  /**
   * Waits for the outcome of job `id`; rejects after `timeoutMs` when given
   * (and stops waiting then).
   */
  wait(id: string, timeoutMs: number | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const list = this.byId.get(id) ?? [];
              this.byId.set(
                id,
                list.filter((w) => w !== waiter),
              );
              reject(
                new Error(`job ${id} did not finish within ${timeoutMs} ms`),
              );
            }, timeoutMs);
      const waiter: Waiter<R> = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.byId.set(id, [...(this.byId.get(id) ?? []), waiter]);
    });
  }

  /** Settles (and forgets) every caller waiting for job `id`. */
  settle(id: string, outcome: { result: R } | { error: Error }): void {
    const list = this.byId.get(id);
    if (!list) return;
    this.byId.delete(id);
    for (const w of list) {
      if ('result' in outcome) w.resolve(outcome.result);
      else w.reject(outcome.error);
    }
  }

  /** Rejects every caller still waiting with `error`. */
  rejectAll(error: () => Error): void {
    for (const id of [...this.byId.keys()]) {
      this.settle(id, { error: error() });
    }
  }
}
