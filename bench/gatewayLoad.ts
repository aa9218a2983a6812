// Load driver of `npm run bench:gateway`, run in a worker thread so that
// sending requests and reading responses does not share the event loop of
// the gateways it measures. Keeps `concurrency` requests in flight against
// one URL for a fixed time with fetch (undici, keep-alive) and answers with
// the latency of every request that completed.
import { parentPort } from 'node:worker_threads';

/** What the main thread asks for: one timed segment against one gateway. */
export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  durationMs: number;
  /** Whether the verified response carried `errors` (then they are expected). */
  expectErrors: boolean;
}

/** The worker's answer to a {@link LoadRequest}. */
export interface LoadResult {
  /** Requests that completed inside the segment. */
  count: number;
  /** Wall-clock milliseconds from the first request to the last response. */
  elapsedMs: number;
  /** Latency of every completed request, in milliseconds. */
  latencies: Float64Array;
  /** Requests with an HTTP error, unexpected `errors` or no `data`. */
  failures: number;
  /** The first failure, for the report. */
  firstFailure: string | null;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const deadline = started + request.durationMs;
  const one = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      let failure: string | null = null;
      try {
        const res = await fetch(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        const text = await res.text();
        if (res.status !== 200) {
          failure = `HTTP ${res.status}: ${text.slice(0, 500)}`;
        } else {
          const parsed = JSON.parse(text) as {
            data?: unknown;
            errors?: unknown;
          };
          if (parsed.data === undefined || parsed.data === null) {
            failure = `no data: ${text.slice(0, 500)}`;
          } else if (parsed.errors !== undefined && !request.expectErrors) {
            failure = `errors: ${JSON.stringify(parsed.errors).slice(0, 500)}`;
          }
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - sent);
      if (failure !== null) {
        failures += 1;
        firstFailure ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, one));
  return {
    count: latencies.length,
    elapsedMs: performance.now() - started,
    latencies: Float64Array.from(latencies),
    failures,
    firstFailure,
  };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: LoadRequest) => {
    run(request).then(
      (result) => port.postMessage(result),
      (error: unknown) =>
        port.postMessage({
          count: 0,
          elapsedMs: 0,
          latencies: new Float64Array(0),
          failures: 1,
          firstFailure: error instanceof Error ? error.message : String(error),
        } satisfies LoadResult),
    );
  });
}
