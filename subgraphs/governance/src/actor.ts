import type { AdministrationActor } from '../../../policies/src/index.js';
import { requirePrincipal, type SubgraphContext } from '../../kit/src/index.js';

/**
 * Who acts in this call: the principal the gateway verified and signed into
 * it. A call without one (or with an unreadable one) acts for nobody and is
 * refused; an algorithm identity administers nothing (its roles do not
 * count here), whatever its token says.
 *
 * @throws GraphQLErrorWithCode `UNAUTHENTICATED`
 */
export function actorOf(ctx: SubgraphContext): AdministrationActor {
  const { subject, department, roles, level, filingId } = requirePrincipal(
    ctx,
    'The governance API acts only for a principal the gateway authenticated.',
  );
  return {
    subject,
    department,
    roles: filingId === undefined ? roles : [],
    level,
  };
}
