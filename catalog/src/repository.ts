// All SQL of the catalog subgraph over its own schema: the algorithm
// registry (schema catalog). The binding of each filing into the policy
// (policy.algorithm_bindings) is the policy store's: bindFiling in
// policies/store/src/policy/algorithmBindings.ts.
import type { AlgorithmState } from '../../policies/src/index.js';
import {
  isoOrUndefined as iso,
  loadPage,
  optionalProperty as optional,
  SqlConditions,
  type Connection,
  type Page,
  type Queryable,
} from '../../subgraphs/kit/src/index.js';
import type {
  Evidence,
  FilingHeader,
  FilingRevisionContent,
  RiskCategory,
} from './model/Filing.js';

type Row = Record<string, unknown>;

/** A filing as the registry keeps it. */
export interface FilingRecord extends FilingHeader {
  readonly currentRevision: number;
  readonly approvedRevision?: number;
  readonly filingNumber?: string;
  readonly submittedBy?: string;
  readonly reviewer?: string;
  readonly filedAt?: string;
  readonly lastReviewedAt?: string;
  readonly nextReviewAt?: string;
  readonly reviewFlaggedAt?: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** One revision of a filing. */
export interface RevisionRecord extends FilingRevisionContent {
  readonly filingId: string;
  readonly revision: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** One transition in a filing's history. */
export interface FilingEventRecord {
  readonly filingId: string;
  readonly action: string;
  readonly fromState?: AlgorithmState;
  readonly toState: AlgorithmState;
  readonly actor: string;
  readonly actorDepartment: string;
  readonly comment?: string;
  readonly revision: number;
  readonly at: string;
}

function filingOf(r: Row): FilingRecord {
  return {
    id: String(r['id']),
    name: String(r['name']),
    ownerDepartment: String(r['owner_department']),
    safetyOfficer: String(r['safety_officer']),
    serviceForm: String(r['service_form']),
    domain: String(r['domain']),
    algorithmType: String(r['algorithm_type']),
    riskCategory: r['risk_category'] as RiskCategory,
    state: r['state'] as AlgorithmState,
    currentRevision: Number(r['current_revision']),
    ...optional(
      'approvedRevision',
      r['approved_revision'] === null ? null : Number(r['approved_revision']),
    ),
    ...optional('filingNumber', r['filing_number'] as string | null),
    ...optional('submittedBy', r['submitted_by'] as string | null),
    ...optional('reviewer', r['reviewer'] as string | null),
    ...optional('filedAt', iso(r['filed_at'])),
    ...optional('lastReviewedAt', iso(r['last_reviewed_at'])),
    ...optional('nextReviewAt', iso(r['next_review_at'])),
    ...optional('reviewFlaggedAt', iso(r['review_flagged_at'])),
    createdBy: String(r['created_by']),
    createdAt: iso(r['created_at']) ?? '',
    updatedAt: iso(r['updated_at']) ?? '',
    version: Number(r['version']),
  };
}

function revisionOf(r: Row): RevisionRecord {
  return {
    filingId: String(r['filing_id']),
    revision: Number(r['revision']),
    purposeAndImpact: String(r['purpose_and_impact']),
    operatingLogic: String(r['operating_logic']),
    inputs: r['inputs'] as string[],
    outputs: r['outputs'] as string[],
    legalBasis: String(r['legal_basis']),
    humanOversight: String(r['human_oversight']),
    selfAssessment: String(r['self_assessment']),
    modelVersions: r['model_versions'] as string[],
    deploymentEndpoint: String(r['deployment_endpoint']),
    evidence: r['evidence'] as Evidence[],
    createdBy: String(r['created_by']),
    createdAt: iso(r['created_at']) ?? '',
  };
}

/** Filings by id. */
export async function readFilings(
  db: Queryable,
  ids: readonly string[],
): Promise<FilingRecord[]> {
  const { rows } = await db.query<Row>(
    'SELECT * FROM catalog.filings WHERE id = ANY($1::text[])',
    [[...ids]],
  );
  return rows.map(filingOf);
}

/** One filing, locked for the rest of the transaction. */
export async function lockFiling(
  tx: Queryable,
  id: string,
): Promise<FilingRecord | null> {
  const { rows } = await tx.query<Row>(
    'SELECT * FROM catalog.filings WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : filingOf(row);
}

/** Filters of the registry's listing. */
export interface FilingFilter {
  readonly state?: AlgorithmState;
  readonly states?: readonly AlgorithmState[];
  readonly riskCategory?: RiskCategory;
  readonly ownerDepartment?: string;
  readonly notOwnerDepartment?: string;
  readonly notSubmittedBy?: string;
  readonly search?: string;
}

/** A page of filings; `oldestFirst` orders by last update (a queue), else by id. */
export async function listFilings(
  db: Queryable,
  filter: FilingFilter,
  page: Page,
  oldestFirst = false,
): Promise<Connection<FilingRecord>> {
  const c = new SqlConditions();
  if (filter.state !== undefined) c.add('f.state = $?', filter.state);
  if (filter.states !== undefined) {
    c.add('f.state = ANY($?::text[])', [...filter.states]);
  }
  if (filter.riskCategory !== undefined) {
    c.add('f.risk_category = $?', filter.riskCategory);
  }
  if (filter.ownerDepartment !== undefined) {
    c.add('f.owner_department = $?', filter.ownerDepartment);
  }
  if (filter.notOwnerDepartment !== undefined) {
    c.add('f.owner_department <> $?', filter.notOwnerDepartment);
  }
  if (filter.notSubmittedBy !== undefined) {
    c.add('f.submitted_by IS DISTINCT FROM $?', filter.notSubmittedBy);
  }
  if (filter.search !== undefined && filter.search.trim() !== '') {
    const like = `%${filter.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.add(
      `(f.id ILIKE $? OR f.name ILIKE $? OR coalesce(f.filing_number, '') ILIKE $?
        OR f.domain ILIKE $? OR f.algorithm_type ILIKE $?)`,
      like,
    );
  }
  const connection = await loadPage<Row>(
    db,
    {
      from: 'catalog.filings f',
      select: 'f.*',
      ...c.listing,
      orderBy: oldestFirst ? 'f.updated_at, f.id' : 'f.id',
    },
    page,
  );
  return { ...connection, nodes: connection.nodes.map(filingOf) };
}

/** The revisions of some filings, oldest first. */
export async function readRevisions(
  db: Queryable,
  filingIds: readonly string[],
): Promise<RevisionRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM catalog.filing_revisions WHERE filing_id = ANY($1::text[])
      ORDER BY filing_id, revision`,
    [[...filingIds]],
  );
  return rows.map(revisionOf);
}

/** The history of some filings, oldest first. */
export async function readFilingEvents(
  db: Queryable,
  filingIds: readonly string[],
): Promise<FilingEventRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM catalog.filing_events WHERE filing_id = ANY($1::text[])
      ORDER BY seq`,
    [[...filingIds]],
  );
  return rows.map((r) => ({
    filingId: String(r['filing_id']),
    action: String(r['action']),
    ...optional('fromState', r['from_state'] as AlgorithmState | null),
    toState: r['to_state'] as AlgorithmState,
    actor: String(r['actor']),
    actorDepartment: String(r['actor_department']),
    ...optional('comment', r['comment'] as string | null),
    revision: Number(r['revision']),
    at: iso(r['at']) ?? '',
  }));
}

/** Filings in a serving state whose approved revision reads `coordinate`, keyed by coordinate. */
export async function readConsumers(
  db: Queryable,
  coordinates: readonly string[],
): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ coordinate: string; filing_id: string }>(
    `SELECT c AS coordinate, f.id AS filing_id
       FROM catalog.filings f
       JOIN catalog.filing_revisions r
         ON r.filing_id = f.id AND r.revision = f.approved_revision
       CROSS JOIN LATERAL unnest(r.inputs) AS c
      WHERE c = ANY($1::text[])
        AND f.state IN ('PILOT', 'IN_SERVICE', 'CHANGE_PENDING')
      ORDER BY c, f.id`,
    [[...coordinates]],
  );
  const consumers = new Map<string, string[]>();
  for (const row of rows) {
    const list = consumers.get(row.coordinate) ?? [];
    list.push(row.filing_id);
    consumers.set(row.coordinate, list);
  }
  return consumers;
}

/** Registers a filing (its header) in DRAFT. */
export async function insertFiling(
  tx: Queryable,
  filing: Omit<FilingHeader, 'state'> & { createdBy: string; at: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO catalog.filings
       (id, name, owner_department, safety_officer, service_form, domain,
        algorithm_type, risk_category, state, current_revision, created_by,
        created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'DRAFT', 1, $9, $10::timestamptz,
             $10::timestamptz)`,
    [
      filing.id,
      filing.name,
      filing.ownerDepartment,
      filing.safetyOfficer,
      filing.serviceForm,
      filing.domain,
      filing.algorithmType,
      filing.riskCategory,
      filing.createdBy,
      filing.at,
    ],
  );
}

/** Writes (or replaces) one revision's content. */
export async function upsertRevision(
  tx: Queryable,
  filingId: string,
  revision: number,
  content: FilingRevisionContent,
  by: string,
  at: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO catalog.filing_revisions
       (filing_id, revision, purpose_and_impact, operating_logic, inputs,
        outputs, legal_basis, human_oversight, self_assessment, model_versions,
        deployment_endpoint, evidence, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9, $10::text[],
             $11, $12::jsonb, $13, $14::timestamptz)
     ON CONFLICT (filing_id, revision) DO UPDATE SET
       purpose_and_impact = excluded.purpose_and_impact,
       operating_logic = excluded.operating_logic, inputs = excluded.inputs,
       outputs = excluded.outputs, legal_basis = excluded.legal_basis,
       human_oversight = excluded.human_oversight,
       self_assessment = excluded.self_assessment,
       model_versions = excluded.model_versions,
       deployment_endpoint = excluded.deployment_endpoint,
       evidence = excluded.evidence, created_by = excluded.created_by,
       created_at = excluded.created_at`,
    [
      filingId,
      revision,
      content.purposeAndImpact,
      content.operatingLogic,
      [...content.inputs],
      [...content.outputs],
      content.legalBasis,
      content.humanOversight,
      content.selfAssessment,
      [...content.modelVersions],
      content.deploymentEndpoint,
      JSON.stringify(content.evidence),
      by,
      at,
    ],
  );
}

/** The changes a transition makes to a filing's row. */
export interface FilingChange {
  readonly state: AlgorithmState;
  readonly at: string;
  readonly currentRevision?: number;
  readonly approvedRevision?: number | null;
  readonly filingNumber?: string;
  readonly submittedBy?: string;
  readonly reviewer?: string;
  readonly filedAt?: string;
  readonly lastReviewedAt?: string;
  readonly nextReviewAt?: string;
}

/** Applies a change to a filing; counts its version up. */
export async function updateFiling(
  tx: Queryable,
  id: string,
  change: FilingChange,
): Promise<FilingRecord> {
  const keep = (v: unknown): unknown => (v === undefined ? null : v);
  const { rows } = await tx.query<Row>(
    `UPDATE catalog.filings SET
        state = $2, updated_at = $3::timestamptz, version = version + 1,
        current_revision = coalesce($4, current_revision),
        approved_revision = CASE WHEN $5::boolean THEN $6::integer ELSE approved_revision END,
        filing_number = coalesce($7, filing_number),
        submitted_by = coalesce($8, submitted_by),
        reviewer = coalesce($9, reviewer),
        filed_at = coalesce($10::timestamptz, filed_at),
        last_reviewed_at = coalesce($11::timestamptz, last_reviewed_at),
        next_review_at = coalesce($12::timestamptz, next_review_at)
      WHERE id = $1 RETURNING *`,
    [
      id,
      change.state,
      change.at,
      keep(change.currentRevision),
      change.approvedRevision !== undefined,
      keep(change.approvedRevision),
      keep(change.filingNumber),
      keep(change.submittedBy),
      keep(change.reviewer),
      keep(change.filedAt),
      keep(change.lastReviewedAt),
      keep(change.nextReviewAt),
    ],
  );
  const row = rows[0];
  if (row === undefined)
    throw new Error(`filing ${id} vanished in its transaction`);
  return filingOf(row);
}

/** Counts the version of a filing up (its content changed). */
export async function touchFiling(
  tx: Queryable,
  id: string,
  at: string,
): Promise<void> {
  await tx.query(
    'UPDATE catalog.filings SET version = version + 1, updated_at = $2::timestamptz WHERE id = $1',
    [id, at],
  );
}

/** Appends to the (append-only) history. */
export async function appendFilingEvent(
  tx: Queryable,
  event: FilingEventRecord,
): Promise<void> {
  await tx.query(
    `INSERT INTO catalog.filing_events
       (filing_id, action, from_state, to_state, actor, actor_department,
        comment, revision, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)`,
    [
      event.filingId,
      event.action,
      event.fromState ?? null,
      event.toState,
      event.actor,
      event.actorDepartment,
      event.comment ?? null,
      event.revision,
      event.at,
    ],
  );
}

/** The next filing number sequence of a year. */
export async function nextFilingSequence(
  tx: Queryable,
  year: number,
): Promise<number> {
  const prefix = `渝算备${String(year)}第`;
  const { rows } = await tx.query<{ n: number | null }>(
    `SELECT max(substring(filing_number FROM $2::int FOR 4)::int) AS n
       FROM catalog.filings WHERE filing_number LIKE $1 || '%'`,
    [prefix, prefix.length + 1],
  );
  return (rows[0]?.n ?? 0) + 1;
}

/** A notification of the registry. */
export interface NotificationRecord {
  readonly filingId: string;
  readonly kind: string;
  readonly recipient: string;
  readonly dueAt: string;
  readonly message: string;
  readonly createdAt: string;
}

/** A page of the notifications addressed to any of `recipients`, newest first. */
export async function listNotifications(
  db: Queryable,
  recipients: readonly string[],
  filingId: string | undefined,
  page: Page,
): Promise<Connection<NotificationRecord>> {
  const c = new SqlConditions();
  c.add('n.recipient = ANY($?::text[])', [...recipients]);
  if (filingId !== undefined) c.add('n.filing_id = $?', filingId);
  const connection = await loadPage<Row>(
    db,
    {
      from: 'catalog.notifications n',
      select: 'n.*',
      ...c.listing,
      orderBy: 'n.created_at DESC, n.id DESC',
    },
    page,
  );
  return {
    ...connection,
    nodes: connection.nodes.map((r) => ({
      filingId: String(r['filing_id']),
      kind: String(r['kind']),
      recipient: String(r['recipient']),
      dueAt: iso(r['due_at']) ?? '',
      message: String(r['message']),
      createdAt: iso(r['created_at']) ?? '',
    })),
  };
}

/** An uploaded evidence document without its bytes. */
export interface EvidenceDocumentRecord {
  readonly id: string;
  readonly filingId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

const EVIDENCE_COLUMNS = `id, filing_id, file_name, content_type, size_bytes,
  sha256, uploaded_by, uploaded_at`;

function evidenceDocumentOf(r: Row): EvidenceDocumentRecord {
  return {
    id: String(r['id']),
    filingId: String(r['filing_id']),
    fileName: String(r['file_name']),
    contentType: String(r['content_type']),
    sizeBytes: Number(r['size_bytes']),
    sha256: String(r['sha256']),
    uploadedBy: String(r['uploaded_by']),
    uploadedAt: iso(r['uploaded_at']) ?? '',
  };
}

/** Stores an evidence document (documents are never changed afterwards). */
export async function insertEvidenceDocument(
  tx: Queryable,
  document: EvidenceDocumentRecord & { readonly content: Buffer },
): Promise<void> {
  await tx.query(
    `INSERT INTO catalog.evidence_documents
       (id, filing_id, file_name, content_type, size_bytes, sha256, content,
        uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)`,
    [
      document.id,
      document.filingId,
      document.fileName,
      document.contentType,
      document.sizeBytes,
      document.sha256,
      document.content,
      document.uploadedBy,
      document.uploadedAt,
    ],
  );
}

/** Evidence documents by id, without their bytes. */
export async function readEvidenceDocuments(
  db: Queryable,
  ids: readonly string[],
): Promise<EvidenceDocumentRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${EVIDENCE_COLUMNS} FROM catalog.evidence_documents
      WHERE id = ANY($1::text[])`,
    [[...ids]],
  );
  return rows.map(evidenceDocumentOf);
}

/** The bytes of one evidence document, or `null`. */
export async function readEvidenceContent(
  db: Queryable,
  id: string,
): Promise<Buffer | null> {
  const { rows } = await db.query<{ content: Uint8Array }>(
    'SELECT content FROM catalog.evidence_documents WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : Buffer.from(row.content);
}
