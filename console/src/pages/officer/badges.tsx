import { Tag } from 'antd';

import {
  ENTRY_STATUS_LABELS,
  SHARE_CLASS_LABELS,
  label,
  type EnumOf,
} from '../../labels.js';

const STATUS_COLORS: Readonly<Record<EnumOf<'EntryStatus'>, string>> = {
  DRAFT: 'default',
  IN_REVIEW: 'processing',
  ACTIVE: 'success',
  SUPERSEDED: 'default',
  REVOKED: 'error',
};

export function EntryStatusBadge({
  status,
}: {
  status: EnumOf<'EntryStatus'>;
}) {
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {label(ENTRY_STATUS_LABELS, status)}
    </Tag>
  );
}

export function ShareClassBadge({ shareClass }: { shareClass: string }) {
  return (
    <Tag color={shareClass === 'NOT_SHARED' ? 'red' : 'gold'}>
      {label(SHARE_CLASS_LABELS, shareClass)}
    </Tag>
  );
}
