// The arithmetic of `npm run soak` (bench/soak.ts), without I/O:
// percentiles of latencies, the growth of a process's memory per minute
// after warm-up, and whether that growth counts as flat.

/**
 * The `p`-th percentile (0…100) of `values` by the nearest-rank method:
 * the smallest value with at least p % of the values at or below it.
 * NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile ${String(p)} is not within 0…100`);
  }
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** One reading of a process's resident memory. */
export interface RssSample {
  /** Milliseconds since the run started. */
  atMs: number;
  /** Resident set size in bytes. */
  bytes: number;
}

/**
 * The least-squares slope of `samples`, in bytes per minute: the growth
 * the readings follow, which a single garbage collection near either end
 * does not swing as much as a first-to-last difference. 0 for fewer than
 * two readings or readings all at one instant.
 */
export function growthPerMinute(samples: readonly RssSample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanT = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const meanB = samples.reduce((s, x) => s + x.bytes, 0) / n;
  let cov = 0;
  let varT = 0;
  for (const { atMs, bytes } of samples) {
    cov += (atMs - meanT) * (bytes - meanB);
    varT += (atMs - meanT) ** 2;
  }
  if (varT === 0) return 0;
  return (cov / varT) * 60_000;
}

/**
 * When warm-up ends: after the first window, or after the first 20 % of
 * the run when that is longer (a long run's caches and JIT settle later).
 */
export function warmupEndMs(durationMs: number, windowMs: number): number {
  return Math.min(durationMs, Math.max(windowMs, 0.2 * durationMs));
}

/** A process's memory over a run, after warm-up. */
export interface MemoryVerdict {
  /** RSS at the end of warm-up (the reading nearest after it), bytes. */
  warmBytes: number;
  /** RSS at the last reading, bytes. */
  endBytes: number;
  /** Highest RSS read over the whole run, bytes. */
  peakBytes: number;
  /** Growth after warm-up, bytes per minute ({@link growthPerMinute}). */
  growthPerMinute: number;
  /** Minutes of readings after warm-up. */
  minutesMeasured: number;
  /** Whether the growth after warm-up is under the threshold. */
  flat: boolean;
}

/**
 * Judges a process's memory: flat when its growth per minute after
 * `warmupMs` is below `thresholdBytesPerMinute`. Undefined when there is
 * no reading after warm-up (a run interrupted before it ended).
 */
export function memoryVerdict(
  samples: readonly RssSample[],
  warmupMs: number,
  thresholdBytesPerMinute: number,
): MemoryVerdict | undefined {
  const after = samples.filter((s) => s.atMs >= warmupMs);
  const first = after[0];
  const last = after.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const growth = growthPerMinute(after);
  return {
    warmBytes: first.bytes,
    endBytes: last.bytes,
    peakBytes: Math.max(...samples.map((s) => s.bytes)),
    growthPerMinute: growth,
    minutesMeasured: (last.atMs - first.atMs) / 60_000,
    flat: growth < thresholdBytesPerMinute,
  };
}

/** Latencies of one window, in milliseconds. */
export interface LatencySummary {
  p50: number;
  p95: number;
  max: number;
}

/** p50, p95 and the maximum of `latencies` (NaN each when empty). */
export function summarizeLatencies(
  latencies: readonly number[],
): LatencySummary {
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.length === 0 ? Number.NaN : Math.max(...latencies),
  };
}

/** Bytes as mebibytes with one decimal. */
export function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
