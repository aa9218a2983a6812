// The governance API for one request: the administration's five APIs over
// one GovernanceRequest (one actor, one CASL ability, the policy read once),
// each with its own per-request loaders. Resolvers and tests call the API
// of the aggregate they touch.
import type { AdministrationActor } from '../../../policies/src/index.js';
import type { Database } from '../../kit/src/index.js';
import { AccessLogApi } from './AccessLogApi.js';
import { ClassificationApi } from './ClassificationApi.js';
import {
  GovernanceRequest,
  type GovernanceShared,
} from './GovernanceRequest.js';
import { NegativeListEntryApi } from './NegativeListEntryApi.js';
import { PolicyReportApi } from './PolicyReportApi.js';
import { ShareRequestApi } from './ShareRequestApi.js';

export type { GovernanceShared } from './GovernanceRequest.js';
export type { EntryView } from './NegativeListEntryApi.js';
export type { FieldReview } from './ClassificationApi.js';

/** The administration's APIs for one request. */
export interface GovernanceApi {
  /** Who acts. */
  readonly actor: AdministrationActor;
  /** Negative-list entries and their versions' lifecycle. */
  readonly entries: NegativeListEntryApi;
  /** Share requests and grants. */
  readonly shareRequests: ShareRequestApi;
  /** Field classifications, classification proposals and settings. */
  readonly classifications: ClassificationApi;
  /** Impact simulations, the policy's versions and access reports. */
  readonly reports: PolicyReportApi;
  /** The access log's records and verification, for auditors. */
  readonly accessLog: AccessLogApi;
}

/**
 * The governance API for one request: who acts (from the gateway's signed
 * call), what CASL lets them do, per-request loaders, and every read and
 * write of the administration. Writes run in one transaction each, behind
 * the policy write lock, and end by logging the policy version they
 * produced (which also proves the policy still loads); hot reload carries
 * them to every gateway.
 */
export function createGovernanceApi(
  db: Database,
  actor: AdministrationActor,
  shared: GovernanceShared,
): GovernanceApi {
  const request = new GovernanceRequest(db, actor, shared);
  return {
    actor,
    entries: new NegativeListEntryApi(request),
    shareRequests: new ShareRequestApi(request),
    classifications: new ClassificationApi(request),
    reports: new PolicyReportApi(request),
    accessLog: new AccessLogApi(request),
  };
}
