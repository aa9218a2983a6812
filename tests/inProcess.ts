// Loads the test files named on the command line into this one process, in
// order, so that Node's test runner runs them all here: tests/run.ts runs
// the unit layer this way (--isolation none), which saves a process start
// and a module graph per file. A file that cannot be loaded becomes a
// failing test.
import { resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

for (const file of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    test(`load ${file}`, () => {
      throw error;
    });
  }
}
