import {
  AbilityBuilder,
  createMongoAbility,
  subject as asSubject,
  type MongoAbility,
} from '@casl/ability';

import { type Department } from '../model/Department.js';

/** The role of a department's data officer (数据专员). */
export const DATA_OFFICER_ROLE = 'data-officer';
/** The role of the city data authority (市大数据发展局), who manages every department's list. */
export const CITY_DATA_AUTHORITY_ROLE = 'city-data-authority';
/**
 * The role of an auditor (审计员): reads the access log (who read what,
 * when, for which purpose, what was withheld and masked) and its
 * verification, and every department's access reports; changes nothing.
 * City level only.
 */
export const AUDITOR_ROLE = 'auditor';

/** What can be done in the administration (through the governance subgraph). */
export type AdministrationAction =
  | 'read'
  | 'create'
  | 'edit'
  | 'submit'
  | 'return'
  | 'approve'
  | 'revoke'
  | 'decide'
  | 'withdraw'
  | 'classify'
  | 'update'
  | 'manage';

/** What it is done to. */
export type AdministrationSubjectType =
  | 'NegativeListEntry'
  | 'ShareRequest'
  | 'Grant'
  | 'AccessReport'
  | 'FieldClassification'
  | 'ClassificationProposal'
  | 'PolicySettings'
  | 'PolicyVersion'
  | 'BearerToken'
  | 'AccessRecord'
  | 'all';

/** Who acts: the verified principal the gateway signed into the call. */
export interface AdministrationActor {
  readonly subject: string;
  readonly department: Department;
  readonly roles: readonly string[];
  /**
   * The level the principal acts at (`CITY`, `DISTRICT`, `STREET`); the
   * auditor's role counts only at city level.
   */
  readonly level?: string;
}

/** The CASL ability of one actor in the administration (the governance subgraph). */
export type AdministrationAbility = MongoAbility<
  [AdministrationAction, AdministrationSubjectType | object]
>;

/**
 * Why a rule forbids, with the rule id the caller sees in
 * `extensions.rule`. The reasons are the `cannot` rules' CASL reasons.
 */
export const ADMINISTRATION_RULES = {
  fourEyes: {
    rule: 'governance:four-eyes',
    reason:
      'Four eyes: the approver must not be the author (审核人不得为起草人).',
  },
  authorOnly: {
    rule: 'governance:author-only',
    reason:
      'Only the author edits or submits a draft; others return it with a comment.',
  },
  ownRequest: {
    rule: 'governance:four-eyes',
    reason:
      'Four eyes: a share request is decided by someone other than who made it.',
  },
  requesterOnly: {
    rule: 'governance:requester-only',
    reason: 'Only who made a share request withdraws it.',
  },
  ownProposal: {
    rule: 'governance:four-eyes',
    reason:
      'Four eyes: a classification proposal is approved or rejected by the data officers of the departments it affects, never by its author (who may withdraw it).',
  },
  notAwaited: {
    rule: 'governance:not-awaited',
    reason:
      'This classification proposal does not await your department: it is approved or rejected by the data officers of the departments it affects that have not approved it yet, or by the city data authority.',
  },
  proposerOnly: {
    rule: 'governance:author-only',
    reason: 'Only its author withdraws a classification proposal.',
  },
  auditorOnly: {
    rule: 'governance:auditor-only',
    reason:
      'Only a city-level auditor (审计员, role auditor) reads the records of the access log and their verification.',
  },
  tokenRevocation: {
    rule: 'governance:token-revocation',
    reason:
      'Only the city data authority revokes bearer tokens and reads their revocations.',
  },
} as const;

/** The rule id of a CASL denial reason, or the generic one. */
export function administrationRuleOf(reason: string | undefined): string {
  for (const known of Object.values(ADMINISTRATION_RULES)) {
    if (known.reason === reason) return known.rule;
  }
  return 'governance:not-permitted';
}

const PUBLISHED = ['ACTIVE', 'SUPERSEDED', 'REVOKED'];

/**
 * The governance API's permissions for one actor (CASL, deny by default):
 *
 * - Everyone: the published negative list (`ACTIVE`, `SUPERSEDED`,
 *   `REVOKED` versions), the city's settings, every field's
 *   classification, and the grants and share requests of their own
 *   department as consumer.
 * - A data officer (`data-officer`): every version of their own
 *   department's entries — write drafts, submit their own, return, approve
 *   (never their own: four eyes) and revoke; request conditional data for
 *   their department and withdraw their own requests; decide requests for
 *   their department's data and revoke its grants; classify their
 *   department's fields (a change other departments' decisions depend on
 *   becomes a classification proposal: they read it, and their data
 *   officers — never its author — approve or reject it for their
 *   department; its author withdraws it); read access reports on their
 *   department's data and the policy's version history.
 * - The city data authority (`city-data-authority`): all of it for every
 *   department, still under four eyes (it may approve any classification
 *   proposal but its own, as the city), and the city-wide settings; it
 *   alone revokes bearer tokens (by `jti` or by subject) and reads the
 *   revocations (`BearerToken`).
 * - An auditor (`auditor`, at city level only): reads the access log's
 *   records and their verification (`AccessRecord`) and every department's
 *   access reports; nothing else, and writes nothing. Everyone else is told
 *   that the access log is the auditors'.
 *
 * Pure: the actor comes from the signed call context.
 */
export function defineAdministrationAbility(
  actor: AdministrationActor,
): AdministrationAbility {
  const { can, cannot, build } = new AbilityBuilder<AdministrationAbility>(
    createMongoAbility,
  );
  const dept = actor.department;
  can('read', 'NegativeListEntry', { status: { $in: PUBLISHED } });
  can('read', ['PolicySettings', 'FieldClassification']);
  can('read', 'ShareRequest', { consumerDepartment: dept });
  can('read', 'Grant', { consumerDepartment: dept });

  const roles = new Set(actor.roles);
  const authority = roles.has(CITY_DATA_AUTHORITY_ROLE);
  if (roles.has(DATA_OFFICER_ROLE) || authority) {
    const own = authority ? undefined : { ownerDepartment: dept };
    can(
      ['read', 'create', 'edit', 'submit', 'return', 'approve', 'revoke'],
      'NegativeListEntry',
      own,
    );
    can(
      'create',
      'ShareRequest',
      authority ? undefined : { consumerDepartment: dept },
    );
    can('withdraw', 'ShareRequest', { requestedBy: actor.subject });
    can(['read', 'decide'], 'ShareRequest', own);
    can(['read', 'revoke'], 'Grant', own);
    can('read', 'AccessReport', own);
    can(
      'classify',
      'FieldClassification',
      authority ? undefined : { owners: dept },
    );
    can('read', 'PolicyVersion');
    if (authority) can('update', 'PolicySettings');
    // Classification proposals: the proposing department and the affected
    // ones read them; each affected department (or the city) decides.
    if (authority) {
      can(['read', 'decide'], 'ClassificationProposal');
    } else {
      can('read', 'ClassificationProposal', { authorDepartment: dept });
      can('read', 'ClassificationProposal', { departments: dept });
      can('decide', 'ClassificationProposal', { awaiting: dept });
    }
    can('withdraw', 'ClassificationProposal', { author: actor.subject });

    cannot('approve', 'NegativeListEntry', { author: actor.subject }).because(
      ADMINISTRATION_RULES.fourEyes.reason,
    );
    cannot(['edit', 'submit'], 'NegativeListEntry', {
      author: { $ne: actor.subject },
    }).because(ADMINISTRATION_RULES.authorOnly.reason);
    cannot('decide', 'ShareRequest', { requestedBy: actor.subject }).because(
      ADMINISTRATION_RULES.ownRequest.reason,
    );
    cannot('withdraw', 'ShareRequest', {
      requestedBy: { $ne: actor.subject },
    }).because(ADMINISTRATION_RULES.requesterOnly.reason);
    if (!authority) {
      cannot('decide', 'ClassificationProposal', {
        awaiting: { $ne: dept },
      }).because(ADMINISTRATION_RULES.notAwaited.reason);
    }
    cannot('decide', 'ClassificationProposal', {
      author: actor.subject,
    }).because(ADMINISTRATION_RULES.ownProposal.reason);
    cannot('withdraw', 'ClassificationProposal', {
      author: { $ne: actor.subject },
    }).because(ADMINISTRATION_RULES.proposerOnly.reason);
  }
  // The access log's records: city-level auditors only, read-only.
  if (roles.has(AUDITOR_ROLE) && actor.level === 'CITY') {
    can('read', ['AccessRecord', 'AccessReport']);
  } else {
    cannot('read', 'AccessRecord').because(
      ADMINISTRATION_RULES.auditorOnly.reason,
    );
  }
  // Bearer tokens (revokeTokens, tokenRevocations): the city data authority
  // only; everyone else is told why.
  if (authority) {
    can(['read', 'revoke'], 'BearerToken');
  } else {
    cannot(['read', 'revoke'], 'BearerToken').because(
      ADMINISTRATION_RULES.tokenRevocation.reason,
    );
  }
  return build();
}

/** The verdict of {@link checkAdministration}. */
export type AdministrationCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

/**
 * Whether the ability allows `action` on `object` (a plain object of type
 * `subjectType`, e.g. an entry version with its `ownerDepartment`,
 * `status` and `author`); a denial names the rule and says why.
 */
export function checkAdministration(
  ability: AdministrationAbility,
  action: AdministrationAction,
  subjectType: Exclude<AdministrationSubjectType, 'all'>,
  object: object,
  actor: AdministrationActor,
): AdministrationCheck {
  const target = asSubject(subjectType, { ...object });
  if (ability.can(action, target)) return { allowed: true };
  const rule = ability.relevantRuleFor(action, target);
  if (rule?.inverted === true && rule.reason !== undefined) {
    return {
      allowed: false,
      rule: administrationRuleOf(rule.reason),
      reason: rule.reason,
    };
  }
  const ownerDepartment = (object as { ownerDepartment?: unknown })
    .ownerDepartment;
  const owner =
    typeof ownerDepartment === 'string' ? ` of ${ownerDepartment}` : '';
  return {
    allowed: false,
    rule: administrationRuleOf(undefined),
    reason: `${actor.subject} (${actor.department}; roles: ${actor.roles.join(', ') || 'none'}) may not ${action} this ${subjectType}${owner}: a department's data officer manages its own department's data, the city data authority every department's.`,
  };
}
