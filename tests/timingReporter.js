// A reporter for Node's test runner (`--test-reporter`) that writes one JSON
// line per test file: its path, wall time and whether it passed. A file run
// in a process of its own is timed from the start of that process to its
// end; files run in one process (tests/inProcess.ts) by the sum of their
// top-level tests and suites (loading the modules is shared, not counted).
// tests/run.ts sends it to .test-results/<layer>.jsonl and prints the
// slowest files from there. Plain JavaScript: Node loads reporters before
// tsx's loader is in place.

/**
 * @param {AsyncIterable<import('node:test/reporters').TestEvent>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* timingReporter(source) {
  // Node reports each file it runs in a process of its own as a test at
  // nesting 0 named by its path; files loaded into one process are timed
  // by summing their top-level tests.
  /** @type {Map<string, { file: string, ms: number, ok: boolean }>} */
  const fileEvents = new Map();
  /** @type {Map<string, { file: string, ms: number, ok: boolean }>} */
  const summed = new Map();
  for await (const event of source) {
    if (event.type !== 'test:complete') continue;
    const { data } = event;
    const file = data.file;
    if (file === undefined || data.nesting !== 0) continue;
    const ms = data.details.duration_ms;
    const ok = data.details.passed;
    if (data.name === file) {
      // Written at once: the report grows while the run goes on.
      fileEvents.set(file, { file, ms, ok });
      yield line({ file, ms, ok });
    } else {
      const prior = summed.get(file);
      summed.set(file, {
        file,
        ms: (prior?.ms ?? 0) + ms,
        ok: (prior?.ok ?? true) && ok,
      });
    }
  }
  // Run either way, never both: in a process of its own, a test declared
  // by a helper module (describeDepartment …) is located in the helper.
  if (fileEvents.size > 0) return;
  for (const timing of summed.values()) yield line(timing);
}

/** @param {{ file: string, ms: number, ok: boolean }} timing */
function line(timing) {
  return `${JSON.stringify({ ...timing, ms: Math.round(timing.ms) })}\n`;
}
