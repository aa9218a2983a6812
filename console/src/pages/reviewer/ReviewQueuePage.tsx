import { Button, Flex, Select, Typography } from 'antd';
import { useEffect } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { Pager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import { RISK_LABELS, type EnumOf } from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { FilingTable } from './FilingTable.js';
import { PAGE_SIZE, ReviewQueueQuery } from './operations.js';

export const riskOptions = [
  { value: '', label: '全部风险等级' },
  ...Object.entries(RISK_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];

/** 审核队列: the filings waiting for this reviewer, oldest first. */
export function ReviewQueuePage({ route }: { route: Route }) {
  const risk = (route.params.get('risk') ??
    null) as EnumOf<'AlgorithmRiskCategory'> | null;
  const [paging, setPaging] = usePaging(String(risk));
  const feedback = useFeedback();
  const query = useQuery(ReviewQueueQuery, {
    risk: risk === null || (risk as string) === '' ? null : risk,
    first: PAGE_SIZE,
    after: paging.after,
  });
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const queue = query.data?.algorithmReviewQueue;
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>审核队列</Typography.Title>
        <Typography.Text type="secondary">
          待您审核的备案（已提交、审核中、变更待审），按提交先后排列。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap align="center">
        <Select
          aria-label="风险等级"
          data-testid="risk-filter"
          className="filter"
          value={risk ?? ''}
          options={riskOptions}
          onChange={(value: string) =>
            navigate(hrefFor('queue', null, { risk: value }))
          }
        />
        <Button data-testid="refresh" onClick={() => void query.reload()}>
          刷新
        </Button>
      </Flex>
      {queue ? (
        <>
          <FilingTable
            nodes={queue.nodes}
            testidPrefix="queue"
            withNumber={false}
          />
          <Pager
            totalCount={queue.totalCount}
            pageInfo={queue.pageInfo}
            state={paging}
            onChange={setPaging}
            withheld={withheld}
          />
        </>
      ) : (
        <Typography.Text type="secondary">
          {query.loading ? '正在加载…' : ''}
        </Typography.Text>
      )}
    </Flex>
  );
}
