import { type Department } from '../model/Department.js';
import {
  CITY_DATA_AUTHORITY_ROLE,
  type AdministrationActor,
} from './defineAdministrationAbility.js';

/**
 * The states of a classification proposal: `PENDING` until every affected
 * department approved (`APPLIED`: the tags are stored and in force), one of
 * them rejected it (`REJECTED`) or its author withdrew it (`WITHDRAWN`).
 * Only `PENDING` changes; the other three are final.
 */
export type ClassificationProposalStatus =
  'PENDING' | 'APPLIED' | 'REJECTED' | 'WITHDRAWN';

/**
 * What can be done to a classification proposal:
 *
 * - `approve`: an affected department's data officer (not the author)
 *   approves for their department; the last approval applies the change.
 * - `reject`: an affected department's data officer (not the author)
 *   refuses it, saying why.
 * - `withdraw`: its author takes it back.
 */
export type ClassificationProposalAction = 'approve' | 'reject' | 'withdraw';

/**
 * The departments one approval counts for, among those a proposal still
 * awaits, sorted: a data officer approves for their own department; the
 * city data authority, who may approve any department's negative-list
 * entries, approves as the city for every department still awaited. Empty
 * when the actor approves for none (CASL refuses them first).
 */
export function approvalCovers(
  actor: AdministrationActor,
  awaiting: readonly Department[],
): Department[] {
  if (actor.roles.includes(CITY_DATA_AUTHORITY_ROLE)) {
    return [...new Set(awaiting)].sort();
  }
  return awaiting.includes(actor.department) ? [actor.department] : [];
}

/**
 * The status an action leads to from `status`, or `null` when the
 * lifecycle does not allow it (only a `PENDING` proposal changes). An
 * approval leaves the proposal `PENDING` while `stillAwaiting` (the
 * departments awaited after it) is not empty, and `APPLIED` once it is.
 */
export function classificationProposalTransition(
  action: ClassificationProposalAction,
  status: ClassificationProposalStatus,
  stillAwaiting: readonly Department[] = [],
): ClassificationProposalStatus | null {
  if (status !== 'PENDING') return null;
  switch (action) {
    case 'approve':
      return stillAwaiting.length === 0 ? 'APPLIED' : 'PENDING';
    case 'reject':
      return 'REJECTED';
    case 'withdraw':
      return 'WITHDRAWN';
  }
}
