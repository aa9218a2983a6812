// A reporter for Node's test runner (`--test-reporter`) that writes Node's
// spec output one test file at a time: the lines of each top-level suite
// (a file run by tests/inProcess.ts) and the final summary, each framed by
// the characters RS (U+001E) and US (U+001F), so that tests/run.ts can
// print the output of several workers whole, file by file, instead of
// interleaved line by line. Plain JavaScript: Node loads reporters before
// tsx's loader is in place.
import { spec } from 'node:test/reporters';

/** Start and end of one block of output. */
export const BLOCK_START = '\u001e';
export const BLOCK_END = '\u001f';

/**
 * The spec reporter's output for `events`.
 * @param {unknown[]} events
 * @returns {Promise<string>}
 */
async function render(events) {
  const reporter = new spec();
  const chunks = [];
  const reading = (async () => {
    for await (const chunk of reporter) chunks.push(String(chunk));
  })();
  for (const event of events) reporter.write(event);
  reporter.end();
  await reading;
  return chunks.join('');
}

/**
 * @param {AsyncIterable<import('node:test/reporters').TestEvent>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* framedSpecReporter(source) {
  /** @type {unknown[]} */
  let block = [];
  for await (const event of source) {
    block.push(event);
    // A suite's pass or fail comes after every event of its tests.
    const ended =
      (event.type === 'test:pass' || event.type === 'test:fail') &&
      event.data.nesting === 0;
    if (ended) {
      yield `${BLOCK_START}${await render(block)}${BLOCK_END}`;
      block = [];
    }
  }
  if (block.length > 0) {
    yield `${BLOCK_START}${await render(block)}${BLOCK_END}`;
  }
}
