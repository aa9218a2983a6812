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
  // nesting 0 named by its path; other files' top-level tests are summed.
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
      fileEvents.set(file, { file, ms, ok });
    } else {
      const prior = summed.get(file);
      summed.set(file, {
        file,
        ms: (prior?.ms ?? 0) + ms,
        ok: (prior?.ok ?? true) && ok,
      });
    }
  }
  for (const [file, timing] of summed) {
    if (!fileEvents.has(file)) fileEvents.set(file, timing);
  }
  for (const timing of fileEvents.values()) {
    yield `${JSON.stringify({ ...timing, ms: Math.round(timing.ms) })}\n`;
  }
}
