import type { AlgorithmState } from '../../../policies/src/index.js';

/**
 * What can be done to an algorithm filing (算法备案), after the registry's
 * lifecycle (docs/design.md "Algorithm registry"):
 *
 * - `submit`: `DRAFT | RETURNED → SUBMITTED` (the owner, with the evidence
 *   the risk category requires).
 * - `startReview`: `SUBMITTED → UNDER_REVIEW` (a reviewer takes it).
 * - `file`: `UNDER_REVIEW → FILED`: approved; a filing number is issued.
 * - `return`: `UNDER_REVIEW → RETURNED`, with a comment.
 * - `pilot`: `FILED → PILOT`; `serve`: `FILED | PILOT → IN_SERVICE`.
 * - `requestChange`: `IN_SERVICE → CHANGE_PENDING` (a change filing with a
 *   new revision); `approveChange`: `CHANGE_PENDING → IN_SERVICE` (the new
 *   revision's inputs bind from now on); `rejectChange`:
 *   `CHANGE_PENDING → IN_SERVICE` keeping the approved revision, with a
 *   comment.
 * - `suspend`: `IN_SERVICE | CHANGE_PENDING → SUSPENDED`, with a comment;
 *   `resume`: `SUSPENDED → IN_SERVICE`.
 * - `retire`: any filed state → `RETIRED`, with a comment.
 */
export const FILING_ACTIONS = [
  'submit',
  'startReview',
  'file',
  'return',
  'pilot',
  'serve',
  'requestChange',
  'approveChange',
  'rejectChange',
  'suspend',
  'resume',
  'retire',
] as const;

/** One of {@link FILING_ACTIONS}. */
export type FilingAction = (typeof FILING_ACTIONS)[number];

/** States after filing: those `retire` applies to. */
export const FILED_STATES: readonly AlgorithmState[] = [
  'FILED',
  'PILOT',
  'IN_SERVICE',
  'CHANGE_PENDING',
  'SUSPENDED',
];

const TRANSITIONS: Readonly<
  Record<
    FilingAction,
    { readonly from: readonly AlgorithmState[]; readonly to: AlgorithmState }
  >
> = {
  submit: { from: ['DRAFT', 'RETURNED'], to: 'SUBMITTED' },
  startReview: { from: ['SUBMITTED'], to: 'UNDER_REVIEW' },
  file: { from: ['UNDER_REVIEW'], to: 'FILED' },
  return: { from: ['UNDER_REVIEW'], to: 'RETURNED' },
  pilot: { from: ['FILED'], to: 'PILOT' },
  serve: { from: ['FILED', 'PILOT'], to: 'IN_SERVICE' },
  requestChange: { from: ['IN_SERVICE'], to: 'CHANGE_PENDING' },
  approveChange: { from: ['CHANGE_PENDING'], to: 'IN_SERVICE' },
  rejectChange: { from: ['CHANGE_PENDING'], to: 'IN_SERVICE' },
  suspend: { from: ['IN_SERVICE', 'CHANGE_PENDING'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'IN_SERVICE' },
  retire: { from: FILED_STATES, to: 'RETIRED' },
};

/** Actions that must say why; kept in the filing's history. */
const NEEDS_COMMENT: ReadonlySet<FilingAction> = new Set([
  'return',
  'rejectChange',
  'suspend',
  'retire',
]);

/** Actions only a reviewer takes (never the owner department). */
const REVIEWER_ACTIONS: ReadonlySet<FilingAction> = new Set([
  'startReview',
  'file',
  'return',
  'approveChange',
  'rejectChange',
  'suspend',
  'resume',
  'retire',
]);

/**
 * The state `action` leads to from `state`, or `null` when the lifecycle
 * does not allow it from there.
 */
export function filingTransition(
  action: FilingAction,
  state: AlgorithmState,
): AlgorithmState | null {
  const t = TRANSITIONS[action];
  return t.from.includes(state) ? t.to : null;
}

/** The states an action may start from (for error messages). */
export function filingActionStartsFrom(
  action: FilingAction,
): readonly AlgorithmState[] {
  return TRANSITIONS[action].from;
}

/** Whether the action needs a comment saying why. */
export function filingActionNeedsComment(action: FilingAction): boolean {
  return NEEDS_COMMENT.has(action);
}

/** Whether the action is a reviewer's (the owner department's otherwise). */
export function isReviewerAction(action: FilingAction): boolean {
  return REVIEWER_ACTIONS.has(action);
}

/**
 * The filing number issued when a filing is FILED: 渝算备 + year + a
 * four-digit sequence of that year, e.g. `渝算备2025第0017号`.
 */
export function filingNumber(year: number, sequence: number): string {
  return `渝算备${String(year)}第${String(sequence).padStart(4, '0')}号`;
}
