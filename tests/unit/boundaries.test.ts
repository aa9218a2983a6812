import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

import { DEPARTMENTS } from '../../policies/src/index.js';

// The layers of the repository (README "Layout", docs/design.md), written
// down once: every source file belongs to exactly one layer, and every
// relative import it makes must land in a folder its layer may use. There
// are no per-file exceptions; a new import across layers means changing the
// architecture here, in one reviewed line.

/** Packages that do I/O: a pure layer imports none of them. */
const IO_PACKAGES = /^(node:|pg$|@electric-sql\/|bullmq|ioredis|@elastic\/)/;
/** Database drivers: only the kit's adapters import them. */
const DRIVERS = /^(pg|@electric-sql\/pglite)$/;

interface Layer {
  /** What the layer is, for failure messages. */
  readonly name: string;
  /** Repository-relative path prefixes of its files. */
  readonly files: readonly string[];
  /** Path prefixes its relative imports may land in. */
  readonly may: readonly string[];
  /** No I/O packages. */
  readonly pure?: boolean;
}

const department = (d: string): Layer => ({
  name: `department ${d}`,
  files: [`subgraphs/${d}/`],
  may: [`subgraphs/${d}/`, 'subgraphs/kit/', 'policies/src/', 'search/'],
});

/** Most specific first: a file belongs to the first layer that lists it. */
const LAYERS: readonly Layer[] = [
  {
    name: 'the policy engine (pure)',
    files: ['policies/src/'],
    may: ['policies/src/'],
    pure: true,
  },
  {
    name: 'the policy and audit store',
    files: ['policies/store/'],
    may: ['policies/', 'subgraphs/kit/'],
  },
  {
    name: 'the subgraph kit',
    files: ['subgraphs/kit/'],
    may: ['subgraphs/kit/', 'policies/src/'],
  },
  ...DEPARTMENTS.map(department),
  {
    name: 'the governance subgraph (administration)',
    files: ['subgraphs/governance/'],
    may: ['subgraphs/governance/', 'subgraphs/kit/', 'policies/'],
  },
  {
    name: 'the subgraph registry and composition',
    files: [
      'subgraphs/index.ts',
      'subgraphs/compose.ts',
      'subgraphs/composeSupergraph.ts',
    ],
    may: ['subgraphs/', 'catalog/', 'policies/'],
  },
  {
    name: 'the registry model (pure)',
    files: ['catalog/src/model/'],
    may: ['catalog/src/model/', 'policies/src/'],
    pure: true,
  },
  {
    name: 'the catalog',
    files: ['catalog/'],
    may: ['catalog/', 'subgraphs/kit/', 'policies/'],
  },
  {
    name: 'the search model (pure)',
    files: ['search/src/model/'],
    may: ['search/src/model/', 'search/src/SearchBackend.ts'],
    pure: true,
  },
  { name: 'search', files: ['search/'], may: ['search/', 'subgraphs/kit/'] },
  {
    name: 'the gateway',
    files: ['gateway/'],
    may: ['gateway/', 'subgraphs/kit/', 'policies/'],
  },
  {
    name: 'the seeds',
    files: ['seeds/'],
    may: ['seeds/', 'subgraphs/', 'catalog/', 'policies/'],
  },
  {
    name: 'the hub (wires everything)',
    files: ['hub/'],
    may: [
      'hub/',
      'console/app.ts',
      'gateway/',
      'subgraphs/',
      'catalog/',
      'search/',
      'seeds/',
      'policies/',
    ],
  },
  {
    name: 'the web console (browser)',
    files: ['console/src/'],
    // The registry's pure model (the lifecycle and who may act, until the
    // server lists a user's actions) and the hub's error codes (types).
    may: [
      'console/src/',
      'catalog/src/model/',
      'subgraphs/kit/src/errors/ErrorCode.ts',
    ],
  },
  {
    name: 'the web console build (what it derives from the repository)',
    files: ['console/'],
    may: ['console/', 'policies/', 'subgraphs/', 'catalog/'],
  },
  {
    name: 'the repository scripts (building the web apps)',
    files: ['scripts/'],
    may: ['scripts/', 'hub/webApps.ts', 'subgraphs/kit/'],
  },
  {
    name: 'the benchmarks',
    files: ['bench/'],
    may: [
      'bench/',
      'hub/',
      'gateway/',
      'subgraphs/',
      'catalog/',
      'search/',
      'seeds/',
      'policies/',
    ],
  },
];

const root = resolve(import.meta.dirname, '../..');
const TOP_FOLDERS = [
  'policies',
  'subgraphs',
  'catalog',
  'search',
  'gateway',
  'seeds',
  'hub',
  'bench',
  'console',
  'scripts',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (['node_modules', 'dist', 'generated'].includes(entry)) return [];
    if (entry.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The `.sql` files under `dir` (the migrations). */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sqlFiles(path);
    return path.endsWith('.sql') ? [path] : [];
  });
}

const toRepo = (path: string): string =>
  relative(root, path).split(sep).join('/');

/** `x.js` of an import: the `x.ts` or `x.tsx` it names. */
function resolveTs(path: string): string {
  if (!path.endsWith('.js')) return path;
  const base = path.slice(0, -'.js'.length);
  return existsSync(join(root, `${base}.tsx`)) ? `${base}.tsx` : `${base}.ts`;
}

interface Import {
  readonly file: string;
  readonly specifier: string;
  /** Repository-relative `.ts` target of a relative import, else null. */
  readonly target: string | null;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((match) => {
    const specifier = match[1] ?? match[2] ?? '';
    const target = specifier.startsWith('.')
      ? resolveTs(toRepo(resolve(root, dirname(file), specifier)))
      : null;
    return { file, specifier, target };
  });
}

const files = TOP_FOLDERS.flatMap((folder) =>
  sourceFiles(join(root, folder)).map(toRepo),
);
const imports = files.flatMap(importsOf);

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((layer) =>
    layer.files.some((prefix) => file.startsWith(prefix)),
  );
}

describe('layer boundaries', () => {
  it('finds the source files it checks', () => {
    assert.ok(files.length > 200, `only ${String(files.length)} files found`);
    assert.ok(imports.length > 1000, `only ${String(imports.length)} imports`);
  });

  it('puts every source file in a layer', () => {
    assert.deepEqual(
      files.filter((file) => layerOf(file) === undefined),
      [],
    );
  });

  it('has a subgraph folder for exactly the departments of DEPARTMENTS, beside the kit and governance', () => {
    const folders = readdirSync(join(root, 'subgraphs')).filter((entry) =>
      statSync(join(root, 'subgraphs', entry)).isDirectory(),
    );
    assert.deepEqual(
      folders.sort(),
      [...DEPARTMENTS, 'governance', 'kit'].sort(),
    );
  });

  for (const layer of LAYERS) {
    it(`lets ${layer.name} import only ${layer.may.join(', ')}${layer.pure === true ? ', and no I/O package' : ''}`, () => {
      const found = imports
        .filter((imp) => layerOf(imp.file) === layer)
        .filter(
          (imp) =>
            (imp.target !== null &&
              !layer.may.some((prefix) => imp.target?.startsWith(prefix))) ||
            (layer.pure === true && IO_PACKAGES.test(imp.specifier)),
        )
        .map((imp) => `${imp.file} imports ${imp.specifier}`);
      assert.deepEqual(found, []);
    });
  }

  it('lets only the kit’s database adapters import a database driver', () => {
    const found = imports
      .filter(
        (imp) =>
          DRIVERS.test(imp.specifier) &&
          !imp.file.startsWith('subgraphs/kit/src/db/'),
      )
      .map((imp) => `${imp.file} imports ${imp.specifier}`);
    assert.deepEqual(found, []);
  });

  it('keeps subgraphs, the catalog and the seeds away from the gateway', () => {
    const found = imports
      .filter(
        (imp) =>
          /^(subgraphs|catalog|seeds)\//.test(imp.file) &&
          imp.target?.startsWith('gateway/') === true,
      )
      .map((imp) => `${imp.file} imports ${imp.specifier}`);
    assert.deepEqual(found, []);
  });

  // The kit's index loads all of it (Apollo, pg, PGlite, BullMQ): a
  // command-line tool that imported it would pay seconds of start-up before
  // it could even say that a flag or a variable is wrong.
  it('imports the kit module by module outside the benchmarks', () => {
    const found = imports
      .filter(
        (imp) =>
          imp.target === 'subgraphs/kit/src/index.ts' &&
          !imp.file.startsWith('bench/'),
      )
      .map((imp) => `${imp.file} imports ${imp.specifier}`);
    assert.deepEqual(found, []);
  });

  // The store owns the policy and audit schemas: every statement on them
  // (a read, a write, a migration) is written under policies/store/, and
  // everything else calls it. Tests may read and tamper with the tables to
  // check the store itself.
  it('writes SQL on the policy and audit schemas only in the store', () => {
    const sqlOnStoreSchemas =
      /\b(?:from|into|update|join|table|truncate|on)\s+"?(?:policy|audit)"?\.[a-z_]+/i;
    const migrations = TOP_FOLDERS.flatMap((folder) =>
      sqlFiles(join(root, folder)).map(toRepo),
    );
    const found = [...files, ...migrations]
      .filter((file) => !file.startsWith('policies/store/'))
      .filter((file) =>
        sqlOnStoreSchemas.test(readFileSync(join(root, file), 'utf8')),
      );
    assert.ok(
      migrations.some((file) => file.startsWith('policies/store/migrations/')),
      'the store’s migrations are among the files read',
    );
    assert.deepEqual(found, []);
  });

  it('resolves every relative import to a file that exists', () => {
    const known = new Set(files);
    const found = imports
      .filter(
        (imp) =>
          imp.target !== null &&
          /\.tsx?$/.test(imp.target) &&
          // Generated declarations (console/src/graphql/generated/).
          !imp.target.endsWith('.d.ts') &&
          !known.has(imp.target),
      )
      .map((imp) => `${imp.file} imports ${imp.specifier}`);
    assert.deepEqual(found, []);
  });
});
