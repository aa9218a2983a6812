import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

// The folder boundaries of the repository (README "Layout"), checked on
// every import of every source file after resolving its path.
const root = resolve(import.meta.dirname, '../..');
const DEPARTMENTS = [
  'environment',
  'water',
  'market',
  'enforcement',
  'emergency',
  'publicsecurity',
];
const IO_PACKAGES = /^(node:|pg$|@electric-sql\/|bullmq|ioredis|@elastic\/)/;

interface Import {
  file: string;
  specifier: string;
  /** Repository-relative target for relative imports, else null. */
  target: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? '';
    const target = specifier.startsWith('.')
      ? relative(root, resolve(dirname(file), specifier))
          .split(sep)
          .join('/')
      : null;
    found.push({
      file: relative(root, file).split(sep).join('/'),
      specifier,
      target,
    });
  }
  return found;
}

const all = [
  'gateway',
  'subgraphs',
  'policies',
  'catalog',
  'search',
  'seeds',
  'hub',
  'bench',
]
  .filter((d) => {
    try {
      return statSync(join(root, d)).isDirectory();
    } catch {
      return false;
    }
  })
  .flatMap((d) => sourceFiles(join(root, d)))
  .flatMap(importsOf);

function violations(
  from: (file: string) => boolean,
  forbidden: (imp: Import) => boolean,
): string[] {
  return all
    .filter((imp) => from(imp.file) && forbidden(imp))
    .map((imp) => `${imp.file} imports ${imp.specifier}`);
}

describe('folder boundaries', () => {
  it('finds the source files it checks', () => {
    assert.ok(all.length > 50, `only ${all.length} imports found`);
  });

  it('keeps departments from importing each other, the governance subgraph, the gateway, seeds or the hub', () => {
    const found = DEPARTMENTS.flatMap((dept) =>
      violations(
        (f) => f.startsWith(`subgraphs/${dept}/`),
        (imp) =>
          imp.target !== null &&
          (/^(gateway|seeds|hub|tests|subgraphs\/governance)\//.test(
            imp.target,
          ) ||
            DEPARTMENTS.some(
              (other) =>
                other !== dept && imp.target?.startsWith(`subgraphs/${other}/`),
            )),
      ),
    );
    assert.deepEqual(found, []);
  });

  it('keeps the gateway away from department code, seeds and the hub', () => {
    const found = violations(
      (f) => f.startsWith('gateway/'),
      (imp) =>
        imp.target !== null &&
        (/^(seeds|hub|tests|subgraphs\/governance)\//.test(imp.target) ||
          DEPARTMENTS.some((d) => imp.target?.startsWith(`subgraphs/${d}/`)) ||
          imp.target === 'subgraphs/index.js'),
    );
    assert.deepEqual(found, []);
  });

  it('lets the governance subgraph use only the gateway’s policy store, access log and pure governance modules', () => {
    const allowed =
      /^gateway\/src\/(policyStore\/|accessLog\/|governance\/(FieldOwnership|explainSchema|simulateImpact)\.js$|env\.js$|supergraphFile\.js$)/;
    const found = violations(
      (f) => f.startsWith('subgraphs/governance/'),
      (imp) =>
        imp.target !== null &&
        (/^(seeds|hub|tests)\//.test(imp.target) ||
          DEPARTMENTS.some((d) => imp.target?.startsWith(`subgraphs/${d}/`)) ||
          (imp.target.startsWith('gateway/') && !allowed.test(imp.target))),
    );
    assert.deepEqual(found, []);
  });

  it('lets the catalog use only the policy store, the kit, policies/ and governance’s actor and supergraph helpers', () => {
    const allowed =
      /^(policies\/|subgraphs\/kit\/|catalog\/|gateway\/src\/(policyStore\/|env\.js$|supergraphFile\.js$)|subgraphs\/governance\/src\/(actor|supergraphInfo)\.js$)/;
    const found = violations(
      (f) => f.startsWith('catalog/'),
      (imp) => imp.target !== null && !allowed.test(imp.target),
    );
    assert.deepEqual(found, []);
  });

  it('keeps the catalog’s model pure: no I/O packages', () => {
    const found = violations(
      (f) => f.startsWith('catalog/src/model/'),
      (imp) =>
        IO_PACKAGES.test(imp.specifier) ||
        (imp.target !== null &&
          !/^(catalog\/src\/model\/|policies\/)/.test(imp.target)),
    );
    assert.deepEqual(found, []);
  });

  it('lets search/ use only the kit and itself', () => {
    const found = violations(
      (f) => f.startsWith('search/'),
      (imp) =>
        imp.target !== null && !/^(search\/|subgraphs\/kit\/)/.test(imp.target),
    );
    assert.deepEqual(found, []);
  });

  it('keeps search/’s model pure: no I/O packages', () => {
    const found = violations(
      (f) => f.startsWith('search/src/model/'),
      (imp) =>
        IO_PACKAGES.test(imp.specifier) ||
        (imp.target !== null &&
          !/^search\/src\/(model\/|SearchBackend\.js$)/.test(imp.target)),
    );
    assert.deepEqual(found, []);
  });

  it('keeps policies/ pure: no I/O packages, no other folder', () => {
    const found = violations(
      (f) => f.startsWith('policies/'),
      (imp) =>
        IO_PACKAGES.test(imp.specifier) ||
        (imp.target !== null && !imp.target.startsWith('policies/')),
    );
    assert.deepEqual(found, []);
  });

  it('lets only the kit database adapters import a database driver', () => {
    const found = violations(
      (f) => !f.startsWith('subgraphs/kit/src/db/'),
      (imp) => /^(pg|@electric-sql\/pglite)$/.test(imp.specifier),
    );
    assert.deepEqual(found, []);
  });

  it('lets nothing but tests import tests/, and only the hub import seeds/', () => {
    const found = violations(
      () => true,
      (imp) =>
        imp.target !== null &&
        (imp.target.startsWith('tests/') ||
          (imp.target.startsWith('seeds/') &&
            !imp.file.startsWith('hub/') &&
            !imp.file.startsWith('bench/') &&
            !imp.file.startsWith('seeds/'))),
    );
    assert.deepEqual(found, []);
  });
});
