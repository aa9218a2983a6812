// Runs the test files under the given folders (default: tests/) with Node's
// test runner, TypeScript loaded through tsx. Node 20 has no glob support for
// --test, so this finds the files itself.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) =>
      entry === 'node_modules' ? [] : findTests(join(path, entry)),
    );
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['tests']).flatMap(findTests);
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    ...files.map((f) => relative(process.cwd(), f)),
  ],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
