import DataLoader from 'dataloader';

import { isStorableText } from '../arguments.js';
import { NotFoundError } from '../errors/GraphQLErrorWithCode.js';

/**
 * A DataLoader whose batch function returns rows keyed by `keyOf`; the loader
 * puts them back in key order (DataLoader's contract) and answers `null` for a
 * key that has no row. Create loaders per request — never share one across
 * callers (see the DataLoader README on caching per request).
 */
export function createBatchLoader<K extends string | number, V>(
  load: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await load(keys);
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * A DataLoader for one-to-many lookups: the batch function returns every row
 * of every key, and each key gets its own rows (an empty list when none).
 */
export function createGroupLoader<K extends string | number, V>(
  load: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await load(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/**
 * Per-request registry of loaders that are created on first use, keyed by a
 * name and the arguments that shape the query (page size, filters). Two
 * fields with the same arguments share one loader and therefore one SQL
 * statement per batch, however many parents ask.
 */
export class LoaderRegistry {
  readonly #loaders = new Map<string, unknown>();

  get<L>(name: string, args: unknown, create: () => L): L {
    const key = `${name}:${JSON.stringify(args ?? null)}`;
    let loader = this.#loaders.get(key) as L | undefined;
    if (loader === undefined) {
      loader = create();
      this.#loaders.set(key, loader);
    }
    return loader;
  }
}

/**
 * Loads one entity asked for by id at the top level of a query: a key with
 * no row is NOT_FOUND (federation's `__resolveReference` answers `null`
 * instead, through the loader directly).
 */
export async function loadOrThrow<K extends string | number, V>(
  loader: DataLoader<K, V | null>,
  typeName: string,
  key: K,
): Promise<V> {
  const value = await loader.load(key);
  if (value === null) throw NotFoundError.of(typeName, String(key));
  return value;
}

/**
 * Loads the entity a federation representation names (for
 * `__resolveReference`), or null when its key could not name a row (not a
 * string, or text PostgreSQL cannot store): unknown keys are null in
 * `_entities`, never an error that would fail the whole batch.
 */
export function loadReference<V>(
  loader: { load(key: string): Promise<V | null> },
  key: unknown,
): Promise<V | null> | null {
  return typeof key === 'string' && isStorableText(key)
    ? loader.load(key)
    : null;
}
