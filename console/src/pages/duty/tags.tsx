import { Tag } from 'antd';

import type { EnumOf } from '../../graphql/graphql.js';
import {
  ALERT_LEVEL_LABELS,
  ALERT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  label,
} from '../../labels.js';

const LEVEL_COLORS: Readonly<Record<EnumOf<'AlertLevel'>, string>> = {
  BLUE: 'blue',
  YELLOW: 'gold',
  ORANGE: 'orange',
  RED: 'red',
};

const STATUS_COLORS: Readonly<Record<EnumOf<'AlertStatus'>, string>> = {
  NEW: 'red',
  ACKNOWLEDGED: 'processing',
  DISPOSED: 'cyan',
  CLOSED: 'default',
};

const RISK_LEVEL_COLORS: Readonly<Record<EnumOf<'RiskLevel'>, string>> = {
  MAJOR: 'red',
  HIGH: 'orange',
  MODERATE: 'gold',
  LOW: 'green',
};

export function AlertLevelTag({ level }: { level: EnumOf<'AlertLevel'> }) {
  return (
    <Tag color={LEVEL_COLORS[level]} data-level={level}>
      {label(ALERT_LEVEL_LABELS, level)}
    </Tag>
  );
}

export function AlertStatusTag({
  status,
  testid,
}: {
  status: EnumOf<'AlertStatus'>;
  testid?: string;
}) {
  return (
    <Tag
      color={STATUS_COLORS[status]}
      data-status={status}
      data-testid={testid}
    >
      {label(ALERT_STATUS_LABELS, status)}
    </Tag>
  );
}

export function RiskLevelTag({ level }: { level: EnumOf<'RiskLevel'> }) {
  return (
    <Tag color={RISK_LEVEL_COLORS[level]} data-level={level}>
      {label(RISK_LEVEL_LABELS, level)}
    </Tag>
  );
}
