// A reporter for Node's test runner (`--test-reporter`) that writes one JSON
// line per test file: its path, wall time and whether it passed. Node's
// runner (`--isolation process`) reports each file it runs in a process of
// its own as a test at nesting 0 named by its path, timed from the start
// of that process to its end; tests/inProcess.ts (`--isolation none`) runs
// each file as a suite at nesting 0 named by its path, timed from its
// first test to its last (loading the modules is shared, not counted).
// tests/run.ts sends it to .test-results/ and prints the slowest files
// from there. Plain JavaScript: Node loads reporters before tsx's loader
// is in place.
import { resolve } from 'node:path';

/**
 * @param {AsyncIterable<import('node:test/reporters').TestEvent>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* timingReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:complete') continue;
    const { data } = event;
    if (data.nesting !== 0 || !data.name.endsWith('.test.ts')) continue;
    // Written at once: the report grows while the run goes on.
    yield line({
      file: resolve(data.name),
      ms: data.details.duration_ms,
      ok: data.details.passed,
    });
  }
}

/** @param {{ file: string, ms: number, ok: boolean }} timing */
function line(timing) {
  return `${JSON.stringify({ ...timing, ms: Math.round(timing.ms) })}\n`;
}
