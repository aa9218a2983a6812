// A worker of tests/run.ts's `--isolation none`: runs test files in this
// one process, one after another, each as a suite named by its path (its
// top-level hooks and tests belong to that suite, so a file's `after`
// runs when the file ends, as in a process of its own). The modules the
// files share are loaded once per worker instead of once per file, which
// on two cores is most of what a small test file costs.
//
//   node --import tsx tests/inProcess.ts [--claims <dir>] file…
//
// With --claims, several workers share the list: a worker runs a file
// only after creating <dir>/<its index> (mkdir is atomic: one worker wins),
// so every file runs once, in list order, on whichever worker is free.
// A file that cannot be loaded fails its suite.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let claims: string | undefined;
if (args[0] === '--claims') {
  claims = args[1];
  args.splice(0, 2);
}

/** Whether this worker takes file `index` (always, without --claims). */
function claim(index: number): boolean {
  if (claims === undefined) return true;
  try {
    mkdirSync(join(claims, String(index)));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

for (const [index, file] of args.entries()) {
  if (!claim(index)) continue;
  // Resolves once the suite has run: the next file starts after it.
  await describe(file, async () => {
    await import(pathToFileURL(resolve(file)).href);
  });
}
