import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import { policyVersion } from './loadPolicySnapshot.js';
import type { PolicyDocument } from '../../../src/document/PolicyDocument.js';
import { readPolicyDocument } from './readPolicyDocument.js';
import {
  DOCUMENT_ITEM_NAMES,
  validatePolicyDocument,
} from '../../../src/document/validatePolicyDocument.js';
import { PolicyStoreError } from './PolicyStoreError.js';

/** Who changed the policy and how, as the publication log keeps it. */
export interface PublicationNote {
  /** The subject that made the change (or a tool, e.g. `npm run seed`). */
  readonly actor: string;
  /** What changed, in a line: `approve NL-PS-004@1`, `import policy.json`. */
  readonly change: string;
}

/** One row of the publication log (`policy.publications`). */
export interface Publication extends PublicationNote {
  readonly seq: number;
  /** The policy version published. */
  readonly version: string;
  /** ISO 8601. */
  readonly publishedAt: string;
}

/**
 * Reads the policy as it stands inside the caller's transaction, validates
 * it as a gateway would load it, and appends it to the publication log
 * when its version differs from the last one logged. Call it last in every
 * transaction that changes the policy: a change that would leave a policy
 * no gateway can load raises here, and the transaction rolls back.
 *
 * @returns the version the policy now loads as
 * @throws PolicyStoreError `INVALID_ROW` when the policy would not load
 */
export async function recordPublication(
  tx: Queryable,
  note: PublicationNote,
): Promise<string> {
  const doc = await readPolicyDocument(tx);
  const version = policyVersion(doc);
  const { rows } = await tx.query<{ version: string }>(
    'SELECT version FROM policy.publications ORDER BY seq DESC LIMIT 1',
  );
  if (rows[0]?.version !== version) {
    await tx.query(
      `INSERT INTO policy.publications (version, document, actor, change)
       VALUES ($1, $2::jsonb, $3, $4)`,
      [version, JSON.stringify(doc), note.actor, note.change],
    );
  }
  return version;
}

interface PublicationRow {
  seq: string | number;
  version: string;
  actor: string;
  change: string;
  published_at: Date | string;
}

function publicationOf(row: PublicationRow): Publication {
  return {
    seq: Number(row.seq),
    version: row.version,
    actor: row.actor,
    change: row.change,
    publishedAt: new Date(row.published_at).toISOString(),
  };
}

/** The publication log, newest first: `limit` rows after skipping `offset`, and the total. */
export async function listPublications(
  db: Queryable,
  page: { limit: number; offset: number },
): Promise<{ publications: Publication[]; totalCount: number }> {
  const { rows } = await db.query<PublicationRow & { total: number }>(
    `SELECT seq, version, actor, change, published_at, count(*) OVER ()::int AS total
       FROM policy.publications ORDER BY seq DESC LIMIT $1 OFFSET $2`,
    [page.limit, page.offset],
  );
  let totalCount = rows[0]?.total ?? 0;
  if (rows.length === 0 && page.offset > 0) {
    const count = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM policy.publications',
    );
    totalCount = count.rows[0]?.n ?? 0;
  }
  return {
    publications: rows.map(publicationOf),
    totalCount: Number(totalCount),
  };
}

/**
 * The policy document as it was published under `version` (a unique
 * prefix of at least 6 hex digits will do), or `null` when the log has no
 * such version.
 *
 * @throws PolicyStoreError `INVALID_DOCUMENT` when the prefix is ambiguous
 */
export async function readPublishedDocument(
  db: Queryable,
  version: string,
): Promise<{ version: string; document: PolicyDocument } | null> {
  if (!/^[0-9a-f]{6,16}$/.test(version)) return null;
  const { rows } = await db.query<{ version: string; document: unknown }>(
    `SELECT DISTINCT ON (version) version, document
       FROM policy.publications WHERE version LIKE $1 || '%'
      ORDER BY version, seq DESC LIMIT 2`,
    [version],
  );
  if (rows.length > 1) {
    throw PolicyStoreError.invalidDocument(
      `version ${version}`,
      `the prefix names more than one published version (${rows.map((r) => r.version).join(', ')}); give more digits`,
    );
  }
  const row = rows[0];
  if (row === undefined) return null;
  const document = validatePolicyDocument(
    row.document,
    DOCUMENT_ITEM_NAMES,
    (item, problem) =>
      PolicyStoreError.invalidRow(
        `policy.publications row (version ${row.version}) ${item}`,
        problem,
      ),
  );
  return { version: row.version, document };
}
