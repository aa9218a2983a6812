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
// With --cpu <path>, one JSON line per file is appended there: when it
// started and ended (ms since the epoch, to see how the workers' files
// overlapped), the CPU time this process spent while the file ran, and
// that of the processes it started and reaped meanwhile (a file's CLI
// runs, its hubs' subprocesses), from /proc/self/stat.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
} from 'node:fs';
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
    cpu: { type: 'string' },
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

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * CPU milliseconds of this process and of its reaped children so far, or
 * undefined where /proc is missing.
 */
function cpuNow(): { self: number; children: number } | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command's closing parenthesis: state is field 3,
    // utime/stime/cutime/cstime are fields 14–17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const tick = (i: number): number => Number(fields[i - 3]) * (1000 / TICKS);
    return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
  } catch {
    return undefined;
  }
}

async function run(file: string): Promise<void> {
  const startedAt = Date.now();
  const before = cpuNow();
  // Resolves once the suite has run: the next file starts after it.
  await describe(file, async () => {
    await import(pathToFileURL(resolve(file)).href);
  });
  const after = cpuNow();
  if (values.cpu !== undefined && before && after) {
    appendFileSync(
      values.cpu,
      `${JSON.stringify({
        file: resolve(file),
        startedAt,
        endedAt: Date.now(),
        cpuMs: Math.round(after.self - before.self),
        childCpuMs: Math.round(after.children - before.children),
      })}\n`,
    );
  }
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
