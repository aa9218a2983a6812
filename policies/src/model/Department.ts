/**
 * A city department, named as its subgraph is (lower case, e.g.
 * `publicsecurity`, `market`). Consumers need not have a subgraph of their own
 * (a transport bureau reads without publishing), so this is an open string
 * rather than a union of the six publishing departments.
 */
export type Department = string;

/**
 * The departments that publish a subgraph, in the order the supergraph lists
 * them. Declared here once: the subgraph folders, the seeded schemas and the
 * boundary checks derive from it (tests/unit/boundaries.test.ts checks that
 * `subgraphs/` holds exactly these besides `kit` and `governance`).
 */
export const DEPARTMENTS = [
  'environment',
  'water',
  'market',
  'enforcement',
  'emergency',
  'publicsecurity',
] as const;

/** A department that publishes a subgraph. */
export type PublishingDepartment = (typeof DEPARTMENTS)[number];
