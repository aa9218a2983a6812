import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { DEPARTMENTS } from '../../policies/src/index.js';
import { readSubgraphUrls } from '../../subgraphs/kit/src/index.js';
import {
  composeSupergraph,
  CompositionError,
} from '../../subgraphs/composeSupergraph.js';
import {
  departmentSubgraphs,
  supergraphSubgraphs,
} from '../../subgraphs/index.js';

const committedPath = new URL(
  '../../gateway/supergraph.graphql',
  import.meta.url,
);

describe('supergraph.graphql', () => {
  it('is exactly what the subgraphs compose to (npm run compose)', async () => {
    const committed = await readFile(committedPath, 'utf8');
    assert.equal(composeSupergraph(supergraphSubgraphs), committed);
  });

  it('names all six department subgraphs, governance and the catalog', async () => {
    const urls = readSubgraphUrls(await readFile(committedPath, 'utf8'));
    assert.deepEqual(
      Object.keys(urls).sort(),
      [...DEPARTMENTS, 'governance', 'catalog'].sort(),
    );
  });

  it('composes the department subgraphs of DEPARTMENTS, in its order', () => {
    assert.deepEqual(
      departmentSubgraphs.map((d) => d.name),
      [...DEPARTMENTS],
    );
  });

  it('drifts when a subgraph schema changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-sdl-'));
    try {
      const market = departmentSubgraphs.find((d) => d.name === 'market');
      assert.ok(market);
      const changed = join(dir, 'schema.graphql');
      const sdl = await readFile(market.schemaFile, 'utf8');
      await writeFile(
        changed,
        sdl.replace('name: String!', 'name: String!\n  tradeName: String'),
      );
      const recomposed = composeSupergraph(
        supergraphSubgraphs.map((d) =>
          d === market ? { ...d, schemaFile: changed } : d,
        ),
      );
      assert.notEqual(recomposed, await readFile(committedPath, 'utf8'));
      assert.match(recomposed, /tradeName: String/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reports subgraphs that do not compose', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govgraph-sdl-'));
    try {
      const market = departmentSubgraphs.find((d) => d.name === 'market');
      assert.ok(market);
      const broken = join(dir, 'schema.graphql');
      const sdl = await readFile(market.schemaFile, 'utf8');
      // Two subgraphs resolving the same non-shareable field do not compose.
      await writeFile(
        broken,
        `${sdl}\ntype MonitoringSection @key(fields: "id") { id: ID! name: String! }\n`,
      );
      assert.throws(
        () =>
          composeSupergraph(
            departmentSubgraphs.map((d) =>
              d === market ? { ...d, schemaFile: broken } : d,
            ),
          ),
        CompositionError,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
