// The steps a duty officer may take on an alert: the emergency subgraph's
// own lifecycle (subgraphs/emergency/src/alerting/alertLifecycle.ts),
// written into generated/alertTransitions.json by console/scripts/generate.ts
// — not copied. The server refuses whatever it does not allow either way.
import type { EnumOf } from '../../graphql/graphql.js';
import transitions from '../../graphql/generated/alertTransitions.json';

export type AlertAction = 'acknowledge' | 'dispose' | 'close';

export interface AlertStep {
  readonly action: AlertAction;
  readonly from: EnumOf<'AlertStatus'>;
  readonly to: EnumOf<'AlertStatus'>;
  readonly commentRequired: boolean;
}

const STEPS = transitions as readonly AlertStep[];

export const ALERT_ACTION_LABELS: Readonly<Record<AlertAction, string>> = {
  acknowledge: '签收',
  dispose: '处置',
  close: '关闭',
};

/** The steps the lifecycle allows from `status` (none once CLOSED). */
export function alertSteps(status: EnumOf<'AlertStatus'>): AlertStep[] {
  return STEPS.filter((step) => step.from === status);
}
