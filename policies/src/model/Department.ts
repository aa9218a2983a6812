/**
 * A city department, named as its subgraph is (lower case, e.g.
 * `publicsecurity`, `market`). Consumers need not have a subgraph of their own
 * (a transport bureau reads without publishing), so this is an open string
 * rather than a union of the six publishing departments.
 */
export type Department = string;
