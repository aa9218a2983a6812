import { Button, Flex } from 'antd';

import { useQuery } from '../../api/useQuery.js';
import { filterOptions } from '../../components/filterOptions.js';
import { FilterSelect } from '../../components/Filters.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PagedList, useListFeedback } from '../../components/PagedList.js';
import { usePaging } from '../../components/Pager.js';
import { RISK_LABELS, type EnumOf } from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { FilingTable } from './FilingTable.js';
import { PAGE_SIZE, ReviewQueueQuery } from './operations.js';

export const riskOptions = filterOptions('全部风险等级', RISK_LABELS);

/** 审核队列: the filings waiting for this reviewer, oldest first. */
export function ReviewQueuePage({ route }: { route: Route }) {
  const risk = (route.params.get('risk') ??
    null) as EnumOf<'AlgorithmRiskCategory'> | null;
  const [paging, setPaging] = usePaging(String(risk));
  const query = useQuery(ReviewQueueQuery, {
    risk: risk === null || (risk as string) === '' ? null : risk,
    first: PAGE_SIZE,
    after: paging.after,
  });
  useListFeedback(query);
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title="审核队列"
        description="待您审核的备案（已提交、审核中、变更待审），按提交先后排列。"
      />
      <Flex gap={8} wrap align="center">
        <FilterSelect
          label="风险等级"
          testid="risk-filter"
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
      <PagedList
        query={query}
        list={query.data?.algorithmReviewQueue}
        paging={paging}
        onPage={setPaging}
      >
        {(queue) => (
          <FilingTable
            nodes={queue.nodes}
            testidPrefix="queue"
            withNumber={false}
          />
        )}
      </PagedList>
    </Flex>
  );
}
