// The binding of each algorithm filing into the policy
// (policy.algorithm_bindings): what the catalog's registry writes and every
// gateway reloads on change (the table notifies on commit).
import type { AlgorithmState } from '../../../src/index.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';

/**
 * Binds a filing into the policy store: its state and the inputs of its
 * approved revision (none before it is filed), counting the binding's
 * revision up when either changed. Every gateway reloads it (the table
 * notifies on commit).
 */
export async function bindFiling(
  tx: Queryable,
  filingId: string,
  state: AlgorithmState,
  inputs: readonly string[],
): Promise<void> {
  await tx.query(
    `INSERT INTO policy.algorithm_bindings (filing_id, state, inputs)
     VALUES ($1, $2, $3::text[])
     ON CONFLICT (filing_id) DO UPDATE SET
       state = excluded.state, inputs = excluded.inputs,
       revision = policy.algorithm_bindings.revision + 1, updated_at = now()
     WHERE policy.algorithm_bindings.state IS DISTINCT FROM excluded.state
        OR policy.algorithm_bindings.inputs IS DISTINCT FROM excluded.inputs`,
    [filingId, state, [...inputs]],
  );
}
