import { Flex } from 'antd';
import { useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { filterOptions } from '../../components/filterOptions.js';
import { FilterSelect } from '../../components/Filters.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PagedList, useListFeedback } from '../../components/PagedList.js';
import { usePaging } from '../../components/Pager.js';
import { RecordDrawer } from '../../components/RecordDrawer.js';
import { RecordTable } from '../../components/RecordTable.js';
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

const statusOptions = filterOptions('全部状态', ALERT_STATUS_LABELS);

/** 预警收件箱: the alerts delivered to the duty officer; one opens in a drawer. */
export function AlertInboxPage({ route }: { route: Route }) {
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
  useListFeedback(query);
  const go = (params: { status?: string; alert?: string | null }) =>
    navigate(
      hrefFor('inbox', null, {
        status,
        alert: open,
        ...params,
      }),
    );
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title="预警收件箱"
        description="推送给本部门（本辖区）或本人的预警，最新的在前：签收 → 处置 → 关闭。"
      />
      <Flex gap={8} wrap>
        <FilterSelect
          label="预警状态"
          testid="inbox-status"
          value={status}
          options={statusOptions}
          onChange={(value: string) => go({ status: value })}
        />
      </Flex>
      <PagedList
        query={query}
        list={query.data?.alertInbox}
        paging={paging}
        onPage={setPaging}
      >
        {(list) => (
          <RecordTable<Row>
            rows={list.nodes}
            rowKey={(row) => row.id}
            rowId={(row) => row.alert.id}
            onOpen={(row) => go({ alert: row.alert.id })}
            testidPrefix="inbox"
            empty="没有符合条件的预警。"
            columns={[
              {
                title: '预警',
                dataIndex: 'alert',
                render: (_, row) => row.alert.title,
              },
              {
                title: '级别',
                dataIndex: 'level',
                render: (_, row) => <AlertLevelTag level={row.alert.level} />,
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
                render: (_, row) => label(DELIVERY_CHANNEL_LABELS, row.channel),
              },
              {
                title: '发布时间',
                dataIndex: 'raisedAt',
                className: 'nowrap',
                render: (_, row) => formatSeconds(row.alert.raisedAt),
              },
            ]}
          />
        )}
      </PagedList>
      <WebhookPanel version={webhooksVersion} />
      <RecordDrawer
        open={open !== null}
        onClose={() => go({ alert: null })}
        title="预警详情"
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
      </RecordDrawer>
    </Flex>
  );
}
