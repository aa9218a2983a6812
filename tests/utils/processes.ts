// Scripts of the repository started as processes, as `npm run …` starts
// them (through tsx's CLI, which passes signals on), for the tests about
// the mains.
import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../..', import.meta.url);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

/** Starts `script` with `args` and `env` (and no DATABASE_URL of ours). */
export function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  const cleanEnv = { ...process.env };
  delete cleanEnv['DATABASE_URL'];
  return spawn(tsx, [script, ...args], {
    cwd: root,
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The output and the exit code of a started script. */
export function collect(child: ChildProcess): {
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  return { out: () => out, err: () => err, exit };
}

/** Waits until `check` holds, at most `ms`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
