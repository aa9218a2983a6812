import {
  AbilityBuilder,
  createMongoAbility,
  subject as asSubject,
  type MongoAbility,
} from '@casl/ability';

import type { AdministrationActor } from '../../../policies/src/index.js';
import {
  FILING_ACTIONS,
  isReviewerAction,
  type FilingAction,
} from './filingLifecycle.js';

/** The role of an algorithm's owner in its department (算法主体). */
export const ALGORITHM_OWNER_ROLE = 'algorithm-owner';
/** The role of an algorithm reviewer (算法备案审核员). */
export const ALGORITHM_REVIEWER_ROLE = 'algorithm-reviewer';

/** What can be done in the registry: create, edit, and the lifecycle actions. */
export type RegistryAction =
  'read' | 'create' | 'edit' | 'readEvidence' | FilingAction;

/** The registry's CASL ability of one actor. */
export type RegistryAbility = MongoAbility<
  [RegistryAction, 'AlgorithmFiling' | object]
>;

/** Rule ids and reasons of the registry's `cannot` rules. */
export const REGISTRY_RULES = {
  ownDepartment: {
    rule: 'registry:reviewer-independence',
    reason:
      'A reviewer from the owner department may not review its filing (审核人不得来自备案主体部门).',
  },
  selfReview: {
    rule: 'registry:four-eyes',
    reason: 'Four eyes: the submitter may not review their own filing.',
  },
  evidenceReaders: {
    rule: 'registry:evidence-readers',
    reason:
      "A filing's evidence documents are opened by its owner department's algorithm owners and by algorithm reviewers (备案材料仅限备案主体与审核人员查阅).",
  },
} as const;

const OWNER_ACTIONS: readonly RegistryAction[] = [
  'create',
  'edit',
  'submit',
  'pilot',
  'serve',
  'requestChange',
];
const REVIEW_ACTIONS: readonly FilingAction[] =
  FILING_ACTIONS.filter(isReviewerAction);

/**
 * Who may do what in the algorithm registry (CASL, deny by default):
 * everyone reads it; an algorithm owner (`algorithm-owner`, or the
 * department's `data-officer`) registers, edits, submits, pilots, puts
 * into service and files changes for their own department's filings; an
 * algorithm reviewer (`algorithm-reviewer`) reviews, files, returns,
 * approves or rejects changes, suspends, resumes and retires — never a
 * filing of their own department, never one they submitted.
 */
export function defineRegistryAbility(
  actor: AdministrationActor,
): RegistryAbility {
  const { can, cannot, build } = new AbilityBuilder<RegistryAbility>(
    createMongoAbility,
  );
  can('read', 'AlgorithmFiling');
  const roles = new Set(actor.roles);
  if (roles.has(ALGORITHM_OWNER_ROLE) || roles.has('data-officer')) {
    can([...OWNER_ACTIONS], 'AlgorithmFiling', {
      ownerDepartment: actor.department,
    });
  }
  // Evidence documents: the owner department and every reviewer.
  const owner = roles.has(ALGORITHM_OWNER_ROLE) || roles.has('data-officer');
  if (roles.has(ALGORITHM_REVIEWER_ROLE)) {
    can('readEvidence', 'AlgorithmFiling');
  } else if (owner) {
    can('readEvidence', 'AlgorithmFiling', {
      ownerDepartment: actor.department,
    });
    cannot('readEvidence', 'AlgorithmFiling', {
      ownerDepartment: { $ne: actor.department },
    }).because(REGISTRY_RULES.evidenceReaders.reason);
  } else {
    cannot('readEvidence', 'AlgorithmFiling').because(
      REGISTRY_RULES.evidenceReaders.reason,
    );
  }
  if (roles.has(ALGORITHM_REVIEWER_ROLE)) {
    can([...REVIEW_ACTIONS], 'AlgorithmFiling');
    cannot([...REVIEW_ACTIONS], 'AlgorithmFiling', {
      ownerDepartment: actor.department,
    }).because(REGISTRY_RULES.ownDepartment.reason);
    cannot([...REVIEW_ACTIONS], 'AlgorithmFiling', {
      submittedBy: actor.subject,
    }).because(REGISTRY_RULES.selfReview.reason);
  }
  return build();
}

/** The verdict of {@link checkRegistry}: allowed, or the rule and reason that refused. */
export type RegistryCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

/** Whether `actor` may take `action` on the filing (plain object with ownerDepartment, submittedBy). */
export function checkRegistry(
  ability: RegistryAbility,
  action: RegistryAction,
  filing: object,
  actor: AdministrationActor,
): RegistryCheck {
  const target = asSubject('AlgorithmFiling', { ...filing });
  if (ability.can(action, target)) return { allowed: true };
  const rule = ability.relevantRuleFor(action, target);
  if (rule?.inverted === true) {
    const known = Object.values(REGISTRY_RULES).find(
      (r) => r.reason === rule.reason,
    );
    return {
      allowed: false,
      rule: known?.rule ?? 'registry:not-permitted',
      reason: rule.reason ?? 'not permitted',
    };
  }
  const reviewer = isReviewerAction(action as FilingAction);
  return {
    allowed: false,
    rule: 'registry:not-permitted',
    reason: reviewer
      ? `${actor.subject} may not ${action} filings: only an algorithm reviewer (${ALGORITHM_REVIEWER_ROLE}) outside the owner department does.`
      : `${actor.subject} (${actor.department}) may not ${action} this filing: its owner department's algorithm owners do.`,
  };
}
