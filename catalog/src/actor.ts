import type { AdministrationActor } from '../../policies/src/index.js';
import { requirePrincipal } from '../../subgraphs/kit/src/signing/principal.js';
import type { SubgraphContext } from '../../subgraphs/kit/src/createSubgraph.js';

/**
 * Who acts on the registry in this call: the principal the gateway verified
 * and signed into it (refused without one). An algorithm identity files and
 * reviews nothing: its roles do not count here, whatever its token says.
 *
 * @throws GraphQLErrorWithCode `UNAUTHENTICATED`
 */
export function actorOf(ctx: SubgraphContext): AdministrationActor {
  const { subject, department, roles, filingId } = requirePrincipal(
    ctx,
    'The algorithm registry acts only for a principal the gateway authenticated.',
  );
  return { subject, department, roles: filingId === undefined ? roles : [] };
}
