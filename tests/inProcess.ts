// A worker of tests/run.ts's `--isolation none`: runs test files in this
// one process, one after another, each as a suite named by its path (its
// top-level hooks and tests belong to that suite, so a file's `after`
// runs when the file ends, as in a process of its own). The modules the
// files share are loaded once per worker instead of once per file, which
// on two cores is most of what a small test file costs.
//
//   node --import tsx tests/inProcess.ts [--claims <dir>]
//        [--classes <class,…> --limits <class=N,…>] file…
//
// With --claims, several workers share the list: a worker runs a file
// only after creating <dir>/<its index> (mkdir is atomic: one worker wins),
// so every file runs once, in list order, on whichever worker is free.
// With --classes (one per file) and --limits, at most N files of a class
// run at once across the workers: a worker first takes one of the class's
// N slots (<dir>/slot-<class>-<k>, mkdir again) and gives it back when the
// file ends; while a class's slots are all taken it runs files of another
// class, and waits only when nothing else is left.
// A file that cannot be loaded fails its suite.
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    claims: { type: 'string' },
    classes: { type: 'string' },
    limits: { type: 'string' },
  },
});
const claims = values.claims;
const classes = values.classes?.split(',') ?? [];
const limits = new Map(
  (values.limits?.split(',') ?? []).map((entry) => {
    const [name = '', limit = ''] = entry.split('=');
    return [name, Number(limit)] as const;
  }),
);

/** Creates `name` under the claims folder; false when it already exists. */
function take(name: string): boolean {
  if (claims === undefined) return true;
  try {
    mkdirSync(join(claims, name));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A slot of the class of file `index`: its name, or null when all are taken. */
function takeSlot(index: number): string | null {
  const name = classes[index];
  const limit = name === undefined ? undefined : limits.get(name);
  if (claims === undefined || limit === undefined) return '';
  for (let k = 0; k < limit; k += 1) {
    if (take(`slot-${name ?? ''}-${String(k)}`)) {
      return `slot-${name ?? ''}-${String(k)}`;
    }
  }
  return null;
}

function giveBack(slot: string): void {
  if (claims !== undefined && slot !== '') rmdirSync(join(claims, slot));
}

async function run(file: string): Promise<void> {
  // Resolves once the suite has run: the next file starts after it.
  await describe(file, async () => {
    await import(pathToFileURL(resolve(file)).href);
  });
}

const pending = new Set(files.keys());
while (pending.size > 0) {
  let ran = false;
  for (const index of pending) {
    if (claims !== undefined && existsSync(join(claims, String(index)))) {
      pending.delete(index); // another worker has it
      continue;
    }
    const slot = takeSlot(index);
    if (slot === null) continue; // its class is full: try the next file
    pending.delete(index);
    if (take(String(index))) {
      await run(files[index] ?? '');
      ran = true;
    }
    giveBack(slot);
    if (ran) break; // start again from the slowest file left
  }
  if (!ran && pending.size > 0) await sleep(100);
}
