import { z } from 'zod';

import type { GovernanceActor } from '../../../policies/src/index.js';
import {
  ErrorCode,
  GraphQLErrorWithCode,
  type SubgraphContext,
} from '../../kit/src/index.js';

/** The part of the gateway's signed principal the administration reads. */
const PrincipalSchema = z.object({
  subject: z.string().min(1),
  department: z.string().min(1),
  roles: z.array(z.string()),
  filingId: z.string().optional(),
});

/**
 * Who acts in this call: the principal the gateway verified and signed into
 * it. A call without one (or with an unreadable one) acts for nobody and is
 * refused; an algorithm identity administers nothing (its roles do not
 * count here), whatever its token says.
 *
 * @throws GraphQLErrorWithCode `UNAUTHENTICATED`
 */
export function actorOf(ctx: SubgraphContext): GovernanceActor {
  const parsed = PrincipalSchema.safeParse(ctx.call.principal);
  if (!parsed.success) {
    throw new GraphQLErrorWithCode(
      'The governance API acts only for a principal the gateway authenticated.',
      ErrorCode.UNAUTHENTICATED,
    );
  }
  const { subject, department, roles, filingId } = parsed.data;
  return { subject, department, roles: filingId === undefined ? roles : [] };
}
