// Which lifecycle actions the signed-in user may take on a filing. The
// server is the authority; this is where its answer plugs in:
//
// - when the filing carries `allowedActions` (the server's list for the
//   caller, see the console-api work), that list is used as is;
// - until then, the registry's own model decides — the same lifecycle
//   (catalog/src/model/filingLifecycle.ts) and the same CASL rules
//   (defineRegistryAbility) the catalog subgraph enforces, imported, never
//   copied. The server still refuses anything it does not allow.
import {
  checkRegistry,
  defineRegistryAbility,
} from '../../../catalog/src/model/defineRegistryAbility.js';
import {
  FILING_ACTIONS,
  filingActionNeedsComment,
  filingTransition,
  type FilingAction as RegistryAction,
} from '../../../catalog/src/model/filingLifecycle.js';
import type { TokenClaims } from '../auth/claims.js';
import type { EnumOf } from '../graphql/graphql.js';

/** A lifecycle action as the API names it (`START_REVIEW`). */
export type FilingAction = EnumOf<'FilingAction'>;

/** What the console needs of a filing to offer its actions. */
export interface FilingForActions {
  readonly state: EnumOf<'AlgorithmState'>;
  readonly ownerDepartment: string;
  readonly submittedBy: string | null;
  /** The server's list for the caller, once the API has it. */
  readonly allowedActions?: readonly FilingAction[] | null;
}

/** One action the user may take, with whether it must say why. */
export interface OfferedAction {
  readonly action: FilingAction;
  readonly needsComment: boolean;
  /** Cannot be undone: the console asks for confirmation first. */
  readonly irreversible: boolean;
}

const API_NAME = (action: RegistryAction): string =>
  action.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const BY_API_NAME: ReadonlyMap<string, RegistryAction> = new Map(
  FILING_ACTIONS.map((a) => [API_NAME(a), a]),
);

/** Issues a filing number, or ends the filing for good. */
const IRREVERSIBLE: ReadonlySet<string> = new Set(['FILE', 'RETIRE']);

function offered(action: FilingAction): OfferedAction {
  const registry = BY_API_NAME.get(action);
  return {
    action,
    needsComment:
      registry === undefined ? false : filingActionNeedsComment(registry),
    irreversible: IRREVERSIBLE.has(action),
  };
}

/**
 * The actions `claims` may take on `filing`, in the lifecycle's order:
 * the server's `allowedActions` when given, else the registry model's.
 */
export function allowedFilingActions(
  filing: FilingForActions,
  claims: TokenClaims,
): OfferedAction[] {
  if (filing.allowedActions !== undefined && filing.allowedActions !== null) {
    return filing.allowedActions.map(offered);
  }
  const actor = {
    subject: claims.sub,
    department: claims.dept,
    roles: claims.roles,
  };
  const ability = defineRegistryAbility(actor);
  return FILING_ACTIONS.filter(
    (action) =>
      filingTransition(action, filing.state) !== null &&
      checkRegistry(
        ability,
        action,
        {
          ownerDepartment: filing.ownerDepartment,
          submittedBy: filing.submittedBy,
        },
        actor,
      ).allowed,
  )
    .map(API_NAME)
    .filter((name): name is FilingAction => name !== 'REQUEST_CHANGE')
    .map(offered);
}
