import { Flex, Tag } from 'antd';

import {
  ENTRY_STATUS_LABELS,
  SHARE_CLASS_LABELS,
  SHARE_REQUEST_STATUS_LABELS,
  formatTime,
  label,
  type EnumOf,
} from '../../labels.js';
import { EXPIRING_SOON_DAYS, isOverdue, type GrantState } from './sharing.js';

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

const REQUEST_STATUS_COLORS: Readonly<
  Record<EnumOf<'ShareRequestStatus'>, string>
> = {
  PENDING: 'processing',
  APPROVED: 'success',
  REJECTED: 'error',
  WITHDRAWN: 'default',
};

export function ShareRequestStatusBadge({
  status,
}: {
  status: EnumOf<'ShareRequestStatus'>;
}) {
  return (
    <Tag color={REQUEST_STATUS_COLORS[status]} data-status={status}>
      {label(SHARE_REQUEST_STATUS_LABELS, status)}
    </Tag>
  );
}

/** A PENDING request's due date, marked 已逾期 once past it. */
export function DueMark({
  request,
  now,
}: {
  request: { status: string; dueAt: string };
  now: number;
}) {
  const overdue = isOverdue(request, now);
  return (
    <Flex gap={4} wrap align="center">
      <span className="nowrap">{formatTime(request.dueAt)}</span>
      {overdue ? (
        <Tag color="red" data-testid="overdue">
          已逾期
        </Tag>
      ) : null}
    </Flex>
  );
}

const GRANT_STATES: Readonly<
  Record<GrantState, { text: string; color: string }>
> = {
  REVOKED: { text: '已撤销', color: 'default' },
  EXPIRED: { text: '已过期', color: 'red' },
  EXPIRING_SOON: {
    text: `${String(EXPIRING_SOON_DAYS)} 天内到期`,
    color: 'orange',
  },
  NOT_STARTED: { text: '未生效', color: 'blue' },
  IN_FORCE: { text: '生效中', color: 'green' },
};

export function GrantStateBadge({ state }: { state: GrantState }) {
  const shown = GRANT_STATES[state];
  return (
    <Tag color={shown.color} data-testid="grant-state" data-state={state}>
      {shown.text}
    </Tag>
  );
}
