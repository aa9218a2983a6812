import { Button, Flex, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { Pager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import { DEPARTMENT_NAMES, STATE_LABELS, type EnumOf } from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { FilingTable } from './FilingTable.js';
import { PAGE_SIZE, FilingsQuery } from './operations.js';
import { riskOptions } from './ReviewQueuePage.js';

const stateOptions = [
  { value: '', label: '全部状态' },
  ...Object.entries(STATE_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];
const departmentOptions = [
  { value: '', label: '全部备案主体' },
  ...Object.entries(DEPARTMENT_NAMES).map(([value, text]) => ({
    value,
    label: text,
  })),
];

const param = (route: Route, name: string): string | null => {
  const value = route.params.get(name);
  return value === null || value === '' ? null : value;
};

/** 备案目录: every filing of the city, filtered. */
export function RegistryPage({ route }: { route: Route }) {
  const filters = {
    search: param(route, 'search'),
    state: param(route, 'state') as EnumOf<'AlgorithmState'> | null,
    risk: param(route, 'risk') as EnumOf<'AlgorithmRiskCategory'> | null,
    department: param(route, 'department'),
  };
  const key = JSON.stringify(filters);
  const [paging, setPaging] = usePaging(key);
  const [search, setSearch] = useState(filters.search ?? '');
  const feedback = useFeedback();
  const query = useQuery(FilingsQuery, {
    ...filters,
    first: PAGE_SIZE,
    after: paging.after,
  });
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const apply = (change: Partial<Record<keyof typeof filters, string>>) =>
    navigate(
      hrefFor('registry', null, {
        ...filters,
        search: search.trim(),
        ...change,
      }),
    );
  const list = query.data?.algorithmFilings;
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>备案目录</Typography.Title>
        <Typography.Text type="secondary">
          全市算法备案，可按状态、风险等级和备案主体筛选。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap role="search">
        <Input.Search
          className="search"
          placeholder="搜索编号、名称、备案编号、应用领域或算法类型"
          aria-label="搜索"
          data-testid="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={(value) => apply({ search: value.trim() })}
          enterButton={<Button data-testid="search-submit">查询</Button>}
        />
        <Select
          aria-label="状态"
          data-testid="state-filter"
          className="filter"
          value={filters.state ?? ''}
          options={stateOptions}
          onChange={(value: string) => apply({ state: value })}
        />
        <Select
          aria-label="风险等级"
          data-testid="risk-filter"
          className="filter"
          value={filters.risk ?? ''}
          options={riskOptions}
          onChange={(value: string) => apply({ risk: value })}
        />
        <Select
          aria-label="备案主体"
          data-testid="department-filter"
          className="filter"
          value={filters.department ?? ''}
          options={departmentOptions}
          onChange={(value: string) => apply({ department: value })}
        />
      </Flex>
      {list ? (
        <>
          <FilingTable nodes={list.nodes} testidPrefix="registry" withNumber />
          <Pager
            totalCount={list.totalCount}
            pageInfo={list.pageInfo}
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
