import { z } from 'zod';

/** The role of an algorithm identity (a deployed model calling the graph). */
export const ALGORITHM_ROLE = 'algorithm';

/**
 * The govgraph claims a bearer token must carry, beside the registered
 * `iss`, `aud`, `exp` and `iat`. `dept` is the department the caller acts
 * for, `level` and `region` bound the rows it may see, `purposes` are the
 * purposes of use it may declare, and `filing` marks an algorithm identity
 * (its filing id in the algorithm registry). A token with the
 * {@link ALGORITHM_ROLE} role must carry its `filing`: without it the
 * algorithm would be decided as an ordinary user, not limited to the inputs
 * its filing declares.
 */
export const TokenClaimsSchema = z
  .object({
    sub: z.string().min(1),
    dept: z.string().min(1),
    roles: z.array(z.string().min(1)).default([]),
    level: z.enum(['CITY', 'DISTRICT', 'STREET']),
    region: z.string().regex(/^50(\d{4}|\d{7}|\d{10})$/, 'a region code'),
    purposes: z.array(z.string().min(1)).min(1),
    filing: z.string().min(1).optional(),
  })
  .refine(
    (claims) =>
      !claims.roles.includes(ALGORITHM_ROLE) || claims.filing !== undefined,
    {
      path: ['filing'],
      message: 'an algorithm identity must carry its filing claim',
    },
  );

/** The verified claims of a caller. */
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;
