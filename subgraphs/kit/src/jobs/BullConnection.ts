// The Redis connection settings of a BullMQ job queue, and what its
// connections share: reconnecting by themselves, errors logged once per
// outage, and a bound on how long a call waits for Redis.
import type { ConnectionOptions } from 'bullmq';

import type { Logger } from '../logger.js';

/** The connection settings and error state of one BullMQ queue. */
export class BullConnection {
  /** For the queue's worker and queue events (the queue itself fails fast). */
  readonly options: ConnectionOptions;
  /** The message of the error of the current outage, if any. */
  private lastError: string | undefined;

  /**
   * @param url a `redis://` or `rediss://` URL
   * @param reconnectDelayMs longest pause between reconnection attempts
   * @param log logs connection errors and recoveries
   */
  constructor(
    url: string,
    reconnectDelayMs: number,
    private readonly log: Logger | undefined,
  ) {
    const retryStrategy = (times: number): number =>
      Math.min(100 * 2 ** Math.min(times, 10), reconnectDelayMs);
    this.options = { url, retryStrategy };
  }

  /** Logs a connection error once per outage, not once per reconnect attempt. */
  readonly onError = (error: Error): void => {
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.log?.warn({ err: error }, 'job queue connection error');
  };

  /** Ends the outage (logged when there was one). */
  readonly onReady = (): void => {
    if (this.lastError !== undefined) {
      this.log?.info('job queue connection restored');
    }
    this.lastError = undefined;
  };

  /** Rejects when `promise` takes longer than `ms`. */
  within<V>(promise: Promise<V>, ms: number, what: string): Promise<V> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`${what}: Redis did not answer within ${ms} ms`, {
              cause: this.lastError,
            }),
          ),
        ms,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
