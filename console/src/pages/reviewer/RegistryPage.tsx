import { Button, Flex, Input } from 'antd';
import { useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { filterOptions } from '../../components/filterOptions.js';
import { FilterSelect } from '../../components/Filters.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PagedList, useListFeedback } from '../../components/PagedList.js';
import { usePaging } from '../../components/Pager.js';
import { DEPARTMENT_NAMES, STATE_LABELS, type EnumOf } from '../../labels.js';
import {
  hrefFor,
  navigate,
  routeParam as param,
  type Route,
} from '../../router.js';
import { FilingTable } from './FilingTable.js';
import { PAGE_SIZE, FilingsQuery } from './operations.js';
import { riskOptions } from './ReviewQueuePage.js';

const stateOptions = filterOptions('全部状态', STATE_LABELS);
const departmentOptions = filterOptions('全部备案主体', DEPARTMENT_NAMES);

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
  const query = useQuery(FilingsQuery, {
    ...filters,
    first: PAGE_SIZE,
    after: paging.after,
  });
  useListFeedback(query);
  const apply = (change: Partial<Record<keyof typeof filters, string>>) =>
    navigate(
      hrefFor('registry', null, {
        ...filters,
        search: search.trim(),
        ...change,
      }),
    );
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title="备案目录"
        description="全市算法备案，可按状态、风险等级和备案主体筛选。"
      />
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
        <FilterSelect
          label="状态"
          testid="state-filter"
          value={filters.state ?? ''}
          options={stateOptions}
          onChange={(value: string) => apply({ state: value })}
        />
        <FilterSelect
          label="风险等级"
          testid="risk-filter"
          value={filters.risk ?? ''}
          options={riskOptions}
          onChange={(value: string) => apply({ risk: value })}
        />
        <FilterSelect
          label="备案主体"
          testid="department-filter"
          value={filters.department ?? ''}
          options={departmentOptions}
          onChange={(value: string) => apply({ department: value })}
        />
      </Flex>
      <PagedList
        query={query}
        list={query.data?.algorithmFilings}
        paging={paging}
        onPage={setPaging}
      >
        {(list) => (
          <FilingTable nodes={list.nodes} testidPrefix="registry" withNumber />
        )}
      </PagedList>
    </Flex>
  );
}
