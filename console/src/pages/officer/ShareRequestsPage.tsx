import { Flex, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { DataTable } from '../../components/DataTable.js';
import { RecordDrawer } from '../../components/RecordDrawer.js';
import { ListPager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useSession } from '../../auth/useSession.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import {
  SHARE_REQUEST_STATUS_LABELS,
  departmentName,
  formatTime,
  type EnumOf,
} from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { DueMark, ShareRequestStatusBadge } from './badges.js';
import { SHARING_PAGE_SIZE, ShareRequestsQuery } from './operations.js';
import { ShareRequestDetail } from './ShareRequestDetail.js';
import { isOverdue } from './sharing.js';

type Row = ResultOf<
  typeof ShareRequestsQuery
>['shareRequests']['nodes'][number];

const statusOptions = [
  { value: '', label: '全部状态' },
  ...Object.entries(SHARE_REQUEST_STATUS_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];

/**
 * 共享申请: the requests for the officer's department's data, oldest due
 * date first, overdue ones marked; one opens in a drawer to be decided.
 */
export function ShareRequestsPage({ route }: { route: Route }) {
  const feedback = useFeedback();
  const session = useSession();
  const status = (route.params.get('status') ?? 'PENDING') as
    EnumOf<'ShareRequestStatus'> | 'ALL';
  const open = route.params.get('request');
  const [paging, setPaging] = usePaging(status);
  const query = useQuery(ShareRequestsQuery, {
    status: status === 'ALL' ? null : status,
    first: SHARING_PAGE_SIZE,
    after: paging.after,
  });
  // "Now" for the overdue marks: when the list was answered.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.data]);
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const go = (params: { status?: string; request?: string | null }) =>
    navigate(
      hrefFor('share-requests', null, {
        status,
        request: open,
        ...params,
      }),
    );
  const list = query.data?.shareRequests ?? null;
  const overdue = (list?.nodes ?? []).filter((r) => isOverdue(r, now)).length;
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>共享申请</Typography.Title>
        <Typography.Text type="secondary">
          其他部门申请使用{departmentName(session?.claims.dept)}
          有条件共享数据的申请，按答复期限排序（10
          个工作日，国发〔2016〕51号）：可缩小范围批准，或说明理由驳回。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap align="center">
        <Select
          aria-label="申请状态"
          data-testid="request-status-filter"
          className="filter"
          value={status === 'ALL' ? '' : status}
          options={statusOptions}
          onChange={(value: string) =>
            go({ status: value === '' ? 'ALL' : value })
          }
        />
        {overdue > 0 ? (
          <Tag color="red" data-testid="overdue-count">
            本页 {overdue} 件已逾期
          </Tag>
        ) : null}
      </Flex>
      <DataTable<Row>
        testid="requests"
        rows={list?.nodes ?? null}
        rowKey={(row) => row.id}
        loading={query.loading}
        empty="没有符合条件的共享申请。"
        onOpen={(row) => go({ request: row.id })}
        rowAttributes={(row) => ({
          'data-overdue': String(isOverdue(row, now)),
        })}
        columns={[
          {
            title: '编号',
            className: 'mono nowrap',
            render: (_, row) => row.id,
          },
          {
            title: '申请部门',
            render: (_, row) => departmentName(row.consumerDepartment),
          },
          { title: '用途', className: 'mono', render: (_, row) => row.purpose },
          {
            title: '申请字段',
            render: (_, row) => (
              <Flex gap={4} wrap>
                {row.coordinates.map((c) => (
                  <Tag key={c} className="mono">
                    {c}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            title: '状态',
            render: (_, row) => <ShareRequestStatusBadge status={row.status} />,
          },
          {
            title: '答复期限',
            render: (_, row) => <DueMark request={row} now={now} />,
          },
          {
            title: '申请时间',
            className: 'nowrap',
            render: (_, row) => formatTime(row.requestedAt),
          },
        ]}
        footer={
          <ListPager
            list={list}
            state={paging}
            onChange={setPaging}
            withheld={withheld}
          />
        }
      />
      <RecordDrawer
        open={open !== null}
        title="共享申请"
        onClose={() => go({ request: null })}
      >
        {open === null ? null : (
          <ShareRequestDetail
            key={open}
            id={open}
            onDecided={() => void query.reload()}
          />
        )}
      </RecordDrawer>
    </Flex>
  );
}
