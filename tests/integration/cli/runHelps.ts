// Runs `<command> --help` for each main file named in argv, one after the
// other in this one process (the module graph loads once), and writes each
// one's exit code and output as JSON to the last argument. process.exit is
// replaced by a throw so that nothing after it runs. Used by help.int.test.ts.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2, -1);
const outPath = process.argv.at(-1) ?? '';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${String(code)}`);
  }
}
process.on('unhandledRejection', (reason) => {
  if (!(reason instanceof Exit)) throw reason;
});

interface Result {
  file: string;
  code: number | null;
  stdout: string;
  stderr: string;
}
const results: Result[] = [];
const realExit = process.exit.bind(process);
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const file of files) {
  const path = resolve(file);
  let stdout = '';
  let stderr = '';
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((r) => (exited = r));
  process.exit = ((code?: number) => {
    exited(code ?? 0);
    throw new Exit(code ?? 0);
  }) as typeof process.exit;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.argv = [process.argv[0] ?? 'node', path, '--help'];
  process.exitCode = undefined;
  const imported = import(pathToFileURL(path).href).then(
    () => null,
    (error: unknown) => {
      if (error instanceof Exit) return error.code;
      throw error;
    },
  );
  // A main that sets process.exitCode rather than exiting is done when
  // its module is (a short grace for one that exits from a promise).
  const code = await Promise.race([
    exit,
    imported.then(
      (c) =>
        c ??
        new Promise<number | null>((r) =>
          setTimeout(
            () =>
              r(typeof process.exitCode === 'number' ? process.exitCode : 0),
            500,
          ),
        ),
    ),
  ]);
  results.push({ file, code, stdout, stderr });
}
process.stdout.write = realOut;
process.stderr.write = realErr;
process.exitCode = 0;
writeFileSync(outPath, JSON.stringify(results));
realExit(0);
