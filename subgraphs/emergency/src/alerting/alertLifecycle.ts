// The lifecycle of an alert, pure: NEW → ACKNOWLEDGED → DISPOSED → CLOSED,
// one step at a time, nothing else.
import {
  BadUserInputError,
  ConflictError,
} from '../../../kit/src/errors/GraphQLErrorWithCode.js';
import { isStorableText } from '../../../kit/src/arguments.js';
import type { AlertStatus } from '../repository.js';

/** What a recipient does to an alert. */
export type AlertAction = 'acknowledge' | 'dispose' | 'close';

/** One step of the lifecycle. */
export interface AlertTransition {
  readonly action: AlertAction;
  readonly from: AlertStatus;
  readonly to: AlertStatus;
  /** Whether the step needs a comment (what was done, for DISPOSED). */
  readonly commentRequired: boolean;
}

/** Every legal step, in lifecycle order. */
export const ALERT_TRANSITIONS: readonly AlertTransition[] = [
  {
    action: 'acknowledge',
    from: 'NEW',
    to: 'ACKNOWLEDGED',
    commentRequired: false,
  },
  {
    action: 'dispose',
    from: 'ACKNOWLEDGED',
    to: 'DISPOSED',
    commentRequired: true,
  },
  { action: 'close', from: 'DISPOSED', to: 'CLOSED', commentRequired: false },
];

/** The longest comment kept with a lifecycle event, in characters. */
export const MAX_COMMENT_LENGTH = 2000;

/** The mutation that performs each action, for error messages. */
const MUTATION: Readonly<Record<AlertAction, string>> = {
  acknowledge: 'acknowledgeAlert',
  dispose: 'disposeAlert',
  close: 'closeAlert',
};

/** The actions allowed from `status` (none once CLOSED). */
export function allowedActions(status: AlertStatus): AlertAction[] {
  return ALERT_TRANSITIONS.filter((t) => t.from === status).map(
    (t) => t.action,
  );
}

/**
 * The comment of a step, trimmed (`null` when none was given):
 * BAD_USER_INPUT when the step needs one and it is blank, or when it is too
 * long or not storable.
 */
export function parseComment(
  action: AlertAction,
  comment: string | null | undefined,
): string | null {
  const transition = transitionOf(action);
  const trimmed = comment?.trim() ?? '';
  if (trimmed === '') {
    if (transition.commentRequired) {
      throw BadUserInputError.invalidArgument(
        'comment',
        comment ?? null,
        `a description of what was done: ${MUTATION[action]} needs one`,
      );
    }
    return null;
  }
  if (trimmed.length > MAX_COMMENT_LENGTH || !isStorableText(trimmed)) {
    throw BadUserInputError.invalidArgument(
      'comment',
      comment,
      `text of at most ${MAX_COMMENT_LENGTH} characters without NUL`,
    );
  }
  return trimmed;
}

function transitionOf(action: AlertAction): AlertTransition {
  const transition = ALERT_TRANSITIONS.find((t) => t.action === action);
  if (transition === undefined) throw new Error(`unknown action ${action}`);
  return transition;
}

/**
 * The step `action` takes an alert in `status` through; CONFLICT when the
 * lifecycle does not allow it, naming the status and the actions that are
 * allowed (`extensions.allowedActions`, the mutations' names).
 */
export function planTransition(
  alertId: string,
  status: AlertStatus,
  action: AlertAction,
): AlertTransition {
  const transition = transitionOf(action);
  if (transition.from === status) return transition;
  const allowed = allowedActions(status).map((a) => MUTATION[a]);
  throw new ConflictError(
    `Alert ${alertId} is ${status}: ${MUTATION[action]} needs ${transition.from}. ` +
      (allowed.length > 0
        ? `Allowed now: ${allowed.join(', ')}.`
        : 'A closed alert allows nothing more.'),
    { alertId, status, action: MUTATION[action], allowedActions: allowed },
  );
}
