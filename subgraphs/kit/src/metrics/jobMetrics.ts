// The job queues' metrics (BullMQ and the in-process runner alike): depth
// by state, completed, retried and dead-lettered jobs per queue. One
// registry per process (`component="jobs"`): the queues register
// themselves when created and leave when closed; `npm run worker` serves it
// on its own port, `npm start`'s hub with the gateway's `/metrics`.
import { Counter, Gauge, type Registry } from 'prom-client';

import {
  createComponentMetrics,
  type ComponentMetrics,
} from './ComponentMetrics.js';

/** Jobs of a queue by state. */
export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  /** Dead letters: jobs that failed every attempt. */
  readonly failed: number;
}

/** A queue as the metrics read it. */
export interface CountedQueue {
  readonly name: string;
  readonly kind: 'redis' | 'in-process';
  counts(): Promise<JobCounts>;
}

/** How a job attempt ended. */
export type JobAttemptOutcome = 'completed' | 'retried' | 'dead-lettered';

interface JobMetrics {
  readonly endpoint: ComponentMetrics;
  readonly queues: Set<CountedQueue>;
  readonly attempts: Counter<'queue' | 'outcome'>;
}

let jobMetrics: JobMetrics | undefined;

function metrics(): JobMetrics {
  if (jobMetrics !== undefined) return jobMetrics;
  const endpoint = createComponentMetrics('jobs');
  const queues = new Set<CountedQueue>();
  const registers = [endpoint.registry];
  new Gauge({
    name: 'govgraph_job_queue_jobs',
    help: 'Jobs per queue by state (waiting, active, delayed, failed: dead letters), read when scraped',
    labelNames: ['queue', 'kind', 'state'],
    registers,
    async collect() {
      this.reset();
      await Promise.all(
        [...queues].map(async (queue) => {
          try {
            const counts = await queue.counts();
            for (const state of [
              'waiting',
              'active',
              'delayed',
              'failed',
            ] as const) {
              this.set(
                { queue: queue.name, kind: queue.kind, state },
                counts[state],
              );
            }
          } catch {
            // The queue cannot be reached (Redis down): no figure.
          }
        }),
      );
    },
  });
  const attempts = new Counter({
    name: 'govgraph_job_attempts_total',
    help: 'Job attempts this process ran, by queue and outcome (completed, retried, dead-lettered)',
    labelNames: ['queue', 'outcome'],
    registers,
  });
  jobMetrics = { endpoint, queues, attempts };
  return jobMetrics;
}

/** The job metrics of this process (`component="jobs"`). */
export function jobMetricsEndpoint(): ComponentMetrics {
  return metrics().endpoint;
}

/** The job metrics' registry, to serve beside another component's. */
export function jobMetricsRegistry(): Registry {
  return metrics().endpoint.registry;
}

/** Reports a queue's depth until {@link untrackQueue}. */
export function trackQueue(queue: CountedQueue): void {
  metrics().queues.add(queue);
}

/** Stops reporting a queue (closed). */
export function untrackQueue(queue: CountedQueue): void {
  metrics().queues.delete(queue);
}

/** Counts one job attempt's end. */
export function countJobAttempt(
  queue: string,
  outcome: JobAttemptOutcome,
): void {
  metrics().attempts.inc({ queue, outcome });
}
