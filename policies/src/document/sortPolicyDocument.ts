import {
  DEFAULT_POLICY_SETTINGS,
  type PolicyDocument,
} from './PolicyDocument.js';

/** Code-unit order, independent of the database's collation and locale. */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Puts a document in its canonical order: entries by id and version, grants
 * by id, roles by name (each role's rules keep their order: in CASL a later
 * rule wins), algorithms by filing id, classifications by coordinate (tags
 * sorted), and fills in no classifications and the default settings where
 * it has none. Equal policies are then equal data.
 */
export function sortPolicyDocument(doc: PolicyDocument): PolicyDocument {
  return {
    classifications: (doc.classifications ?? [])
      .map((c) => ({
        coordinate: c.coordinate,
        tags: [...new Set(c.tags)].sort(compare),
      }))
      .sort((a, b) => compare(a.coordinate, b.coordinate)),
    settings: { ...DEFAULT_POLICY_SETTINGS, ...doc.settings },
    entries: [...doc.entries].sort(
      (a, b) => compare(a.id, b.id) || a.version - b.version,
    ),
    grants: [...doc.grants].sort((a, b) => compare(a.id, b.id)),
    roles: Object.fromEntries(
      Object.entries(doc.roles).sort(([a], [b]) => compare(a, b)),
    ),
    algorithms: [...doc.algorithms].sort((a, b) =>
      compare(a.filingId, b.filingId),
    ),
  };
}
