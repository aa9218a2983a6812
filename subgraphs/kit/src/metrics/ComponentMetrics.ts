// Prometheus metrics of govgraph's processes (prom-client,
// https://github.com/siimon/prom-client). One registry per component (the
// gateway, each subgraph, the console, the job runners), never prom-client's
// global one: `npm start` runs every component in one process, and each
// serves its own `/metrics` with a `component` label on every series. The
// process metrics (CPU, memory, event loop, GC: collectDefaultMetrics) are
// collected once per process in a registry of their own and appended to
// every component's answer. That registry is made with the first component
// (at start-up), not at the first scrape: prom-client counts CPU time from
// the moment it is made, so a process's first scrape would otherwise report
// almost none.
import {
  collectDefaultMetrics,
  Counter,
  Histogram,
  Registry,
  type CounterConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/** A component's metrics: its registry and what `/metrics` answers. */
export interface ComponentMetrics {
  /** The component's name, the `component` label of its series. */
  readonly component: string;
  /** The component's registry: create its metrics with `registers: [registry]`. */
  readonly registry: Registry;
  /** Content type of {@link ComponentMetrics.text}. */
  readonly contentType: string;
  /**
   * The Prometheus text exposition: the process metrics, the component's
   * and those of the registries {@link ComponentMetrics.include}d.
   */
  text(): Promise<string>;
  /**
   * Serves another registry in this component's answer too (the job
   * runners of `npm start`'s hub, which have no HTTP server of their own).
   * Its metric names must differ from the component's.
   */
  include(registry: Registry): void;
}

let processRegistry: Registry | undefined;

/** The process metrics' registry, built once per process. */
export function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Seconds buckets of govgraph's latency histograms (1 ms … 10 s). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** A registry for `component`, every series labelled `component`. */
export function createComponentMetrics(component: string): ComponentMetrics {
  processMetrics();
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  const included: Registry[] = [];
  return {
    component,
    registry,
    contentType: registry.contentType,
    async text() {
      const parts = await Promise.all(
        [processMetrics(), registry, ...included].map((r) => r.metrics()),
      );
      return parts.filter((p) => p.length > 0).join('\n');
    },
    include(other) {
      if (!included.includes(other)) included.push(other);
    },
  };
}

/** A counter in `registry` (the config's own `registers` are ignored). */
export function counterIn<T extends string>(
  registry: Registry,
  config: Omit<CounterConfiguration<T>, 'registers'>,
): Counter<T> {
  return new Counter<T>({ ...config, registers: [registry] });
}

/** A histogram in `registry`, {@link LATENCY_BUCKETS} unless given. */
export function histogramIn<T extends string>(
  registry: Registry,
  config: Omit<HistogramConfiguration<T>, 'registers'>,
): Histogram<T> {
  return new Histogram<T>({
    buckets: [...LATENCY_BUCKETS],
    ...config,
    registers: [registry],
  });
}

/**
 * Bounds the values of a label that callers choose (operation names): the
 * first `max` distinct values are kept, any later one is reported as
 * `other`, so a client cannot grow the series without bound.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  constructor(readonly max = 200) {}

  of(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.max) return 'other';
    this.#seen.add(value);
    return value;
  }
}
