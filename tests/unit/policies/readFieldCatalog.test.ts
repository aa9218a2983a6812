import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  FieldCatalogError,
  readFieldCatalog,
} from '../../../policies/src/index.js';

const supergraph = readFileSync(
  new URL('../../../gateway/supergraph.graphql', import.meta.url),
  'utf8',
);
const catalog = readFieldCatalog(supergraph);

function entry(coordinate: string) {
  const found = catalog.get(coordinate);
  assert.ok(found, `${coordinate} is in the catalog`);
  return found;
}

describe('readFieldCatalog', () => {
  it('names the one subgraph that owns a department field', () => {
    assert.deepEqual(entry('Enterprise.name').subgraphs, ['market']);
    assert.deepEqual(entry('Region.name').subgraphs, ['enforcement']);
    assert.deepEqual(entry('Region.enterprises').subgraphs, ['market']);
    assert.deepEqual(entry('Query.monitoringSection').subgraphs, [
      'environment',
    ]);
  });

  it('carries classification tags from the subgraph SDL', () => {
    assert.deepEqual(entry('Person.idNumber').tags, [
      'class:PERSONAL_SENSITIVE',
    ]);
    assert.deepEqual(entry('Person.name').tags, ['class:PERSONAL']);
    assert.deepEqual(entry('Enterprise.name').tags, []);
  });

  it('lists every resolving subgraph for entity keys, not the unresolvable stubs', () => {
    // enforcement declares Person with resolvable: false.
    assert.deepEqual(entry('Person.id').subgraphs, [
      'emergency',
      'market',
      'publicsecurity',
    ]);
  });

  it('does not count a subgraph that only marks a field @external', () => {
    assert.deepEqual(entry('MonitoringSection.riverKm').subgraphs, [
      'environment',
    ]);
    assert.deepEqual(
      entry('MonitoringSection.nearbyHydrologicalStations').subgraphs,
      ['water'],
    );
  });

  it('lists shareable value types under every subgraph that resolves them', () => {
    assert.deepEqual(entry('EnterpriseConnection.nodes').subgraphs, [
      'emergency',
      'enforcement',
      'market',
    ]);
  });

  it('refuses text that is not a supergraph', () => {
    assert.throws(
      () => readFieldCatalog('type Query { a: String }'),
      FieldCatalogError,
    );
  });
});
