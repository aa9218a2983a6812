// Writes the demo registry (demoFilings) into the catalog schema and binds
// every filing into the policy store, in one transaction.
import {
  bindFiling,
  lockPolicyWrites,
  recordPublication,
} from '../../../policies/store/src/policy/index.js';
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import type { DemoFiling } from './demoFilings.js';

/**
 * Writes the filings, their revisions and histories, and binds each one's
 * state and approved inputs into `policy.algorithm_bindings` (logging the
 * policy version), unless the registry holds filings already.
 *
 * @returns how many filings were written (0 when the registry was not empty)
 */
export async function writeDemoFilings(
  db: Database,
  filings: readonly DemoFiling[],
  note: { actor: string; change: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockPolicyWrites(tx);
    const { rows } = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM catalog.filings',
    );
    if ((rows[0]?.n ?? 0) > 0) return 0;
    for (const f of filings) {
      const h = f.header;
      const created = f.events[0]?.at ?? new Date(0).toISOString();
      const updated = f.events.at(-1)?.at ?? created;
      await tx.query(
        `INSERT INTO catalog.filings
           (id, name, owner_department, safety_officer, service_form, domain,
            algorithm_type, risk_category, state, current_revision,
            approved_revision, filing_number, submitted_by, reviewer, filed_at,
            last_reviewed_at, next_review_at, created_by, created_at,
            updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                 $15::timestamptz, $16::timestamptz, $17::timestamptz, $18,
                 $19::timestamptz, $20::timestamptz, $21)`,
        [
          h.id,
          h.name,
          h.ownerDepartment,
          h.safetyOfficer,
          h.serviceForm,
          h.domain,
          h.algorithmType,
          h.riskCategory,
          h.state,
          f.currentRevision,
          f.approvedRevision,
          f.filingNumber,
          f.submittedBy,
          f.reviewer,
          f.filedAt,
          f.lastReviewedAt,
          f.nextReviewAt,
          f.createdBy,
          created,
          updated,
          f.events.length,
        ],
      );
      for (const [i, r] of f.revisions.entries()) {
        await tx.query(
          `INSERT INTO catalog.filing_revisions
             (filing_id, revision, purpose_and_impact, operating_logic, inputs,
              outputs, legal_basis, human_oversight, self_assessment,
              model_versions, deployment_endpoint, evidence, created_by,
              created_at)
           VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9,
                   $10::text[], $11, $12::jsonb, $13, $14::timestamptz)`,
          [
            h.id,
            i + 1,
            r.purposeAndImpact,
            r.operatingLogic,
            [...r.inputs],
            [...r.outputs],
            r.legalBasis,
            r.humanOversight,
            r.selfAssessment,
            [...r.modelVersions],
            r.deploymentEndpoint,
            JSON.stringify(r.evidence),
            f.createdBy,
            created,
          ],
        );
      }
      for (const e of f.events) {
        await tx.query(
          `INSERT INTO catalog.filing_events
             (filing_id, action, from_state, to_state, actor, actor_department,
              comment, revision, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)`,
          [
            h.id,
            e.action,
            e.from ?? null,
            e.to,
            e.actor,
            e.actorDepartment,
            e.comment ?? null,
            e.revision,
            e.at,
          ],
        );
      }
      const approved =
        f.approvedRevision === null
          ? []
          : (f.revisions[f.approvedRevision - 1]?.inputs ?? []);
      await bindFiling(tx, h.id, h.state, approved);
    }
    await recordPublication(tx, note);
    return filings.length;
  });
}
