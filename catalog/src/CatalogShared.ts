import type { SupergraphInfo } from '../../policies/store/src/supergraphInfo.js';

/** What every request of the catalog subgraph shares. */
export interface CatalogShared {
  /** The composed supergraph: inputs are checked against it, resources derived from it. */
  readonly supergraph: SupergraphInfo;
  /** Field descriptions of the supergraph's API schema, by coordinate. */
  readonly descriptions: ReadonlyMap<string, string>;
  /** The clock. */
  readonly now: () => Date;
  /** The largest evidence document a filing may attach, in bytes (REGISTRY_EVIDENCE_MAX_BYTES). */
  readonly evidenceMaxBytes: number;
}
