// Collapsing a bulk batch to one write per document id.
import type { SearchDocument } from '../SearchBackend.js';

/** One write of a batch after collapsing. */
export type LatestOp =
  | { kind: 'upsert'; doc: SearchDocument }
  | { kind: 'delete'; id: string; version: number };

/**
 * One op per id: the highest version wins, a delete over an upsert of the
 * same version (one statement cannot update a row twice).
 */
export function latestOps(ops: {
  readonly upserts: readonly SearchDocument[];
  readonly deletes: readonly {
    readonly id: string;
    readonly version: number;
  }[];
}): LatestOp[] {
  const byId = new Map<string, LatestOp>();
  for (const doc of ops.upserts) {
    if (!Number.isSafeInteger(doc.version))
      throw new RangeError(`document ${doc.id}: version must be an integer`);
    const prev = byId.get(doc.id);
    const prevVersion =
      prev?.kind === 'upsert' ? prev.doc.version : prev?.version;
    if (prevVersion === undefined || doc.version > prevVersion)
      byId.set(doc.id, { kind: 'upsert', doc });
  }
  for (const d of ops.deletes) {
    if (!Number.isSafeInteger(d.version))
      throw new RangeError(`delete of ${d.id}: version must be an integer`);
    const prev = byId.get(d.id);
    const prevVersion =
      prev?.kind === 'upsert' ? prev.doc.version : prev?.version;
    if (prevVersion === undefined || d.version >= prevVersion)
      byId.set(d.id, { kind: 'delete', id: d.id, version: d.version });
  }
  return [...byId.values()];
}
