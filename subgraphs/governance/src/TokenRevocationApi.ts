import {
  insertTokenRevocation,
  listTokenRevocations,
  type TokenRevocation,
} from '../../../policies/store/src/policy/index.js';
import {
  checkAdministration,
  defineAdministrationAbility,
  type AdministrationAbility,
  type AdministrationAction,
  type AdministrationActor,
} from '../../../policies/src/index.js';
import {
  BadUserInputError,
  ForbiddenError,
} from '../../kit/src/errors/GraphQLErrorWithCode.js';
import {
  parsePage,
  type Connection,
  type PageArgs,
} from '../../kit/src/pagination.js';
import { parseTimestamp } from '../../kit/src/arguments.js';
import type { Queryable } from '../../kit/src/db/Database.js';

/** The arguments of `revokeTokens`, as GraphQL hands them over. */
export interface TokenRevocationInput {
  readonly jti?: string | null;
  readonly subject?: string | null;
  readonly issuedBefore?: string | null;
  readonly reason: string;
}

/** The filter of `tokenRevocations`. */
export interface TokenRevocationFilter {
  readonly subject?: string | null;
  readonly jti?: string | null;
}

/** Longest `jti` or subject a revocation names (the table's limit). */
const MAX_NAME_LENGTH = 256;

/**
 * Revocation of bearer tokens through the governance API, for one request:
 * one token by its `jti`, or every token of a subject issued up to an
 * instant, written to `policy.token_revocations`. The row's trigger
 * notifies the policy channel, so every gateway's policy store loads it
 * and refuses the tokens (401, rule `token-revoked`). Only the city data
 * authority may (CASL subject `BearerToken`).
 */
export class TokenRevocationApi {
  readonly #db: Queryable;
  readonly #actor: AdministrationActor;
  readonly #ability: AdministrationAbility;
  readonly #now: () => Date;

  constructor(db: Queryable, actor: AdministrationActor, now: () => Date) {
    this.#db = db;
    this.#actor = actor;
    this.#ability = defineAdministrationAbility(actor);
    this.#now = now;
  }

  /**
   * Revokes what `input` names and answers the revocation written.
   *
   * @throws ForbiddenError `governance:token-revocation` for anyone but the city data authority
   * @throws BadUserInputError for no or two targets, a blank reason, an `issuedBefore` without subject or in the future
   */
  async revoke(input: TokenRevocationInput): Promise<TokenRevocation> {
    this.#authorize('revoke');
    const reason = text(input.reason, 'reason', 4_000);
    const jti = optionalText(input.jti, 'jti');
    const subject = optionalText(input.subject, 'subject');
    const now = this.#now();
    const common = {
      reason,
      revokedBy: this.#actor.subject,
      revokedAt: now.toISOString(),
    };
    if (jti !== undefined && subject === undefined) {
      if (input.issuedBefore != null) {
        throw new BadUserInputError(
          'issuedBefore goes with a subject; a revocation by jti revokes that one token.',
          { argumentName: 'issuedBefore' },
        );
      }
      return insertTokenRevocation(this.#db, { jti, ...common });
    }
    if (subject === undefined || jti !== undefined) {
      throw new BadUserInputError(
        'Name what to revoke: a token by its jti, or a subject (every token of it issued up to issuedBefore) — exactly one of them.',
        { argumentName: 'input' },
      );
    }
    let issuedBefore = now.toISOString();
    if (input.issuedBefore != null) {
      issuedBefore = parseTimestamp(input.issuedBefore, 'issuedBefore');
      if (Date.parse(issuedBefore) > now.getTime()) {
        throw BadUserInputError.invalidArgument(
          'issuedBefore',
          input.issuedBefore,
          'an instant not in the future (a revocation covers tokens already issued)',
        );
      }
    }
    return insertTokenRevocation(this.#db, {
      subject,
      issuedBefore,
      ...common,
    });
  }

  /** Revocations, newest first. */
  list(
    filter: TokenRevocationFilter,
    args: PageArgs,
  ): Promise<Connection<TokenRevocation>> {
    this.#authorize('read');
    const page = parsePage(args);
    const subject = optionalText(filter.subject, 'subject');
    const jti = optionalText(filter.jti, 'jti');
    return listTokenRevocations(
      this.#db,
      {
        ...(subject === undefined ? {} : { subject }),
        ...(jti === undefined ? {} : { jti }),
      },
      page,
    );
  }

  /** @throws ForbiddenError naming the rule that refused */
  #authorize(action: Extract<AdministrationAction, 'read' | 'revoke'>): void {
    const verdict = checkAdministration(
      this.#ability,
      action,
      'BearerToken',
      {},
      this.#actor,
    );
    if (!verdict.allowed) {
      throw new ForbiddenError(verdict.reason, verdict.rule, {
        action,
        subjectType: 'BearerToken',
      });
    }
  }
}

/** Trimmed text of 1 to `max` characters without NUL, else BAD_USER_INPUT. */
function text(value: string, argumentName: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new BadUserInputError(`${argumentName} is required.`, {
      argumentName,
    });
  }
  if (trimmed.length > max || trimmed.includes('\u0000')) {
    throw BadUserInputError.invalidArgument(
      argumentName,
      value,
      `text of at most ${String(max)} characters without NUL`,
    );
  }
  return trimmed;
}

/** `undefined` for null or absent, else like {@link text}. */
function optionalText(
  value: string | null | undefined,
  argumentName: string,
): string | undefined {
  return value == null ? undefined : text(value, argumentName, MAX_NAME_LENGTH);
}
