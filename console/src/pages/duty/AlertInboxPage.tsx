import { Drawer, Empty, Flex, Select, Table, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { Pager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import {
  ALERT_STATUS_LABELS,
  DELIVERY_CHANNEL_LABELS,
  formatSeconds,
  label,
  type EnumOf,
} from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { AlertDetail } from './AlertDetail.js';
import { AlertInboxQuery, DUTY_PAGE_SIZE } from './operations.js';
import { AlertLevelTag, AlertStatusTag } from './tags.js';
import { WebhookPanel } from './WebhookPanel.js';

type Row = ResultOf<typeof AlertInboxQuery>['alertInbox']['nodes'][number];

const statusOptions = [
  { value: '', label: '全部状态' },
  ...Object.entries(ALERT_STATUS_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];

/** 预警收件箱: the alerts delivered to the duty officer; one opens in a drawer. */
export function AlertInboxPage({ route }: { route: Route }) {
  const feedback = useFeedback();
  const status = (route.params.get('status') ?? '') as
    EnumOf<'AlertStatus'> | '';
  const open = route.params.get('alert');
  const [paging, setPaging] = usePaging(status);
  const query = useQuery(AlertInboxQuery, {
    status: status === '' ? null : status,
    first: DUTY_PAGE_SIZE,
    after: paging.after,
  });
  const [webhooksVersion, setWebhooksVersion] = useState(0);
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const go = (params: { status?: string; alert?: string | null }) =>
    navigate(
      hrefFor('inbox', null, {
        status,
        alert: open,
        ...params,
      }),
    );
  const list = query.data?.alertInbox;
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>预警收件箱</Typography.Title>
        <Typography.Text type="secondary">
          推送给本部门（本辖区）或本人的预警，最新的在前：签收 → 处置 → 关闭。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap>
        <Select
          aria-label="预警状态"
          data-testid="inbox-status"
          className="filter"
          value={status}
          options={statusOptions}
          onChange={(value: string) => go({ status: value })}
        />
      </Flex>
      {list ? (
        list.nodes.length === 0 ? (
          <Empty data-testid="inbox-empty" description="没有符合条件的预警。" />
        ) : (
          <>
            <div data-testid="inbox-table">
              <Table<Row>
                rowKey="id"
                dataSource={list.nodes}
                pagination={false}
                size="middle"
                scroll={{ x: 'max-content' }}
                onRow={(row) =>
                  ({
                    'data-testid': `inbox-row-${row.alert.id}`,
                    className: 'clickable',
                    tabIndex: 0,
                    onClick: () => go({ alert: row.alert.id }),
                    onKeyDown: (event) => {
                      if (event.key === 'Enter') go({ alert: row.alert.id });
                    },
                  }) as HTMLAttributes<HTMLElement>
                }
                columns={[
                  {
                    title: '预警',
                    dataIndex: 'alert',
                    render: (_, row) => row.alert.title,
                  },
                  {
                    title: '级别',
                    dataIndex: 'level',
                    render: (_, row) => (
                      <AlertLevelTag level={row.alert.level} />
                    ),
                  },
                  {
                    title: '状态',
                    dataIndex: 'status',
                    render: (_, row) => (
                      <AlertStatusTag status={row.alert.status} />
                    ),
                  },
                  {
                    title: '风险项',
                    dataIndex: 'riskItem',
                    render: (_, row) => row.alert.riskItem.name,
                  },
                  {
                    title: '渠道',
                    dataIndex: 'channel',
                    render: (_, row) =>
                      label(DELIVERY_CHANNEL_LABELS, row.channel),
                  },
                  {
                    title: '发布时间',
                    dataIndex: 'raisedAt',
                    className: 'nowrap',
                    render: (_, row) => formatSeconds(row.alert.raisedAt),
                  },
                ]}
              />
            </div>
            <Pager
              totalCount={list.totalCount}
              pageInfo={list.pageInfo}
              state={paging}
              onChange={setPaging}
              withheld={withheld}
            />
          </>
        )
      ) : (
        <Typography.Text type="secondary">
          {query.loading ? '正在加载…' : ''}
        </Typography.Text>
      )}
      <WebhookPanel version={webhooksVersion} />
      <Drawer
        open={open !== null}
        onClose={() => go({ alert: null })}
        title="预警详情"
        size="min(736px, 100vw)"
        destroyOnHidden
      >
        {open === null ? null : (
          <AlertDetail
            key={open}
            id={open}
            onChanged={() => {
              void query.reload();
              setWebhooksVersion((v) => v + 1);
            }}
          />
        )}
      </Drawer>
    </Flex>
  );
}
