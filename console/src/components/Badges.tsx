import { Tag } from 'antd';

import { RISK_LABELS, STATE_LABELS, label, type EnumOf } from '../labels.js';

const STATE_COLORS: Readonly<Record<EnumOf<'AlgorithmState'>, string>> = {
  DRAFT: 'default',
  SUBMITTED: 'processing',
  UNDER_REVIEW: 'blue',
  RETURNED: 'warning',
  FILED: 'success',
  PILOT: 'cyan',
  IN_SERVICE: 'green',
  CHANGE_PENDING: 'purple',
  SUSPENDED: 'orange',
  RETIRED: 'default',
};

const RISK_COLORS: Readonly<Record<EnumOf<'AlgorithmRiskCategory'>, string>> = {
  LOW: 'green',
  MEDIUM: 'gold',
  HIGH: 'red',
};

export function StateBadge({
  state,
  testid,
}: {
  state: EnumOf<'AlgorithmState'>;
  testid?: string;
}) {
  return (
    <Tag color={STATE_COLORS[state]} data-testid={testid} data-state={state}>
      {label(STATE_LABELS, state)}
    </Tag>
  );
}

export function RiskBadge({
  risk,
  testid,
}: {
  risk: EnumOf<'AlgorithmRiskCategory'>;
  testid?: string;
}) {
  return (
    <Tag color={RISK_COLORS[risk]} data-testid={testid} data-risk={risk}>
      {label(RISK_LABELS, risk)}
    </Tag>
  );
}
