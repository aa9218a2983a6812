import { type EntryStatus } from '../model/NegativeListEntry.js';

/**
 * What a data officer can do to a negative-list entry version. `supersede`
 * is not an action of its own: approving a version supersedes the entry's
 * `ACTIVE` one in the same step.
 *
 * - `edit`: change a `DRAFT` (its author only).
 * - `submit`: `DRAFT → IN_REVIEW` (its author only).
 * - `return`: `IN_REVIEW → DRAFT`, with a comment.
 * - `approve`: `IN_REVIEW → ACTIVE`, by someone other than the author
 *   (four eyes); the previous `ACTIVE` version becomes `SUPERSEDED`.
 * - `revoke`: `ACTIVE → REVOKED`, with a comment: the entry stops applying.
 */
export const ENTRY_ACTIONS = [
  'edit',
  'submit',
  'return',
  'approve',
  'revoke',
] as const;

/** One of {@link ENTRY_ACTIONS}. */
export type EntryAction = (typeof ENTRY_ACTIONS)[number];

/** From which status each action starts, and where it leads. */
const TRANSITIONS: Readonly<
  Record<EntryAction, { readonly from: EntryStatus; readonly to: EntryStatus }>
> = {
  edit: { from: 'DRAFT', to: 'DRAFT' },
  submit: { from: 'DRAFT', to: 'IN_REVIEW' },
  return: { from: 'IN_REVIEW', to: 'DRAFT' },
  approve: { from: 'IN_REVIEW', to: 'ACTIVE' },
  revoke: { from: 'ACTIVE', to: 'REVOKED' },
};

/** Actions that must say why (the comment is kept in the entry's history). */
const NEEDS_COMMENT: ReadonlySet<EntryAction> = new Set(['return', 'revoke']);

/**
 * The status an action leads to from `status`, or `null` when the
 * lifecycle `DRAFT → IN_REVIEW → ACTIVE → SUPERSEDED | REVOKED` does not
 * allow it from there.
 */
export function entryTransition(
  action: EntryAction,
  status: EntryStatus,
): EntryStatus | null {
  const transition = TRANSITIONS[action];
  return transition.from === status ? transition.to : null;
}

/** The status an action must start from (for error messages). */
export function entryActionStartsFrom(action: EntryAction): EntryStatus {
  return TRANSITIONS[action].from;
}

/** Whether the action needs a comment saying why. */
export function entryActionNeedsComment(action: EntryAction): boolean {
  return NEEDS_COMMENT.has(action);
}
