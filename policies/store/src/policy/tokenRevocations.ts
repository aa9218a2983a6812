import {
  loadPage,
  type Connection,
  type Page,
} from '../../../../subgraphs/kit/src/pagination.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import { PolicyStoreError } from './PolicyStoreError.js';
import { isUndefinedRelation } from './readPolicyDocument.js';
import {
  TokenRevocationList,
  type TokenRevocation,
} from '../../../src/document/TokenRevocationList.js';

/** A revocation to write: one token by `jti`, or a subject's tokens. */
export type NewTokenRevocation = (
  | { readonly jti: string; readonly subject?: undefined }
  | {
      readonly subject: string;
      /** Tokens issued at or before this instant (ISO 8601). */
      readonly issuedBefore: string;
      readonly jti?: undefined;
    }
) & {
  readonly reason: string;
  readonly revokedBy: string;
  /** ISO 8601. */
  readonly revokedAt: string;
};

interface TokenRevocationRow {
  seq: string | number;
  jti: string | null;
  subject: string | null;
  issued_before: Date | string | null;
  reason: string;
  revoked_by: string;
  revoked_at: Date | string;
}

const COLUMNS =
  'seq, jti, subject, issued_before, reason, revoked_by, revoked_at';

function revocationOf(row: TokenRevocationRow): TokenRevocation {
  return {
    id: String(row.seq),
    ...(row.jti === null ? {} : { jti: row.jti }),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.issued_before === null
      ? {}
      : { issuedBefore: new Date(row.issued_before).toISOString() }),
    reason: row.reason,
    revokedBy: row.revoked_by,
    revokedAt: new Date(row.revoked_at).toISOString(),
  };
}

/**
 * Every token revocation (`policy.token_revocations`, migration 005), as
 * the list the gateway checks each request against. The policy store reads
 * it with the policy, on every reload.
 *
 * @throws PolicyStoreError `NOT_MIGRATED` when the table does not exist
 */
export async function readTokenRevocations(
  db: Queryable,
): Promise<TokenRevocationList> {
  let rows: TokenRevocationRow[];
  try {
    ({ rows } = await db.query<TokenRevocationRow>(
      `SELECT ${COLUMNS} FROM policy.token_revocations ORDER BY seq`,
    ));
  } catch (error) {
    if (isUndefinedRelation(error)) throw PolicyStoreError.notMigrated(error);
    throw error;
  }
  return rows.length === 0
    ? TokenRevocationList.EMPTY
    : new TokenRevocationList(rows.map(revocationOf));
}

/**
 * Appends a revocation (the table is append-only: a revocation is never
 * taken back). Its trigger notifies `govgraph_policy` on commit, so every
 * gateway's policy store reloads it.
 */
export async function insertTokenRevocation(
  tx: Queryable,
  revocation: NewTokenRevocation,
): Promise<TokenRevocation> {
  const { rows } = await tx.query<TokenRevocationRow>(
    `INSERT INTO policy.token_revocations
       (jti, subject, issued_before, reason, revoked_by, revoked_at)
     VALUES ($1, $2, $3::timestamptz, $4, $5, $6::timestamptz)
     RETURNING ${COLUMNS}`,
    [
      revocation.jti ?? null,
      revocation.subject ?? null,
      revocation.subject === undefined ? null : revocation.issuedBefore,
      revocation.reason,
      revocation.revokedBy,
      revocation.revokedAt,
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return revocationOf(row);
}

/** Revocations, newest first, optionally of one subject or one `jti`. */
export async function listTokenRevocations(
  db: Queryable,
  filter: { readonly subject?: string; readonly jti?: string },
  page: Page,
): Promise<Connection<TokenRevocation>> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.subject !== undefined) {
    values.push(filter.subject);
    where.push(`subject = $${String(values.length)}`);
  }
  if (filter.jti !== undefined) {
    values.push(filter.jti);
    where.push(`jti = $${String(values.length)}`);
  }
  const connection = await loadPage<TokenRevocationRow>(
    db,
    {
      from: 'policy.token_revocations',
      select: COLUMNS,
      ...(where.length > 0 ? { where: where.join(' AND '), values } : {}),
      orderBy: 'seq DESC',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(revocationOf) };
}
