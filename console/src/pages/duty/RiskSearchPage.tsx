import { Button, Empty, Flex, Input, List, Tag, Typography } from 'antd';
import { useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PagedList, useListFeedback } from '../../components/PagedList.js';
import { usePaging } from '../../components/Pager.js';
import type { EnumOf, ResultOf } from '../../graphql/graphql.js';
import {
  FACET_LABELS,
  RISK_ITEM_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  departmentName,
  label,
} from '../../labels.js';
import {
  hrefFor,
  navigate,
  routeParam as param,
  type Route,
} from '../../router.js';
import { DistrictMap } from './DistrictMap.js';
import { Highlight } from './Highlight.js';
import {
  DUTY_PAGE_SIZE,
  DistrictsQuery,
  RiskSearchQuery,
} from './operations.js';
import { RiskLevelTag } from './tags.js';

type Facet = ResultOf<
  typeof RiskSearchQuery
>['searchRiskItems']['facets'][number];

/** A facet bucket's name: the category's or district's, an enum's label. */
function bucketName(
  field: EnumOf<'SearchFacetField'>,
  bucket: Facet['buckets'][number],
): string {
  if (bucket.category) return bucket.category.name;
  if (bucket.region) return bucket.region.name;
  if (field === 'LEVEL') return label(RISK_LEVEL_LABELS, bucket.value);
  if (field === 'STATUS') return label(RISK_ITEM_STATUS_LABELS, bucket.value);
  if (field === 'RESPONSIBLE_DEPARTMENT') return departmentName(bucket.value);
  return bucket.value;
}

/** 风险搜索: the risk inventory searched, with facets, highlights and the district map. */
export function RiskSearchPage({ route }: { route: Route }) {
  const filters = {
    text: param(route, 'text'),
    district: param(route, 'district'),
    category: param(route, 'category'),
    level: param(route, 'level') as EnumOf<'RiskLevel'> | null,
    status: param(route, 'status') as EnumOf<'RiskItemStatus'> | null,
  };
  const key = JSON.stringify(filters);
  const [paging, setPaging] = usePaging(key);
  const [text, setText] = useState(filters.text ?? '');
  const query = useQuery(RiskSearchQuery, {
    text: filters.text,
    filter: {
      ...(filters.district ? { regionCodes: [filters.district] } : {}),
      ...(filters.category ? { categoryCodes: [filters.category] } : {}),
      ...(filters.level ? { levels: [filters.level] } : {}),
      ...(filters.status ? { statuses: [filters.status] } : {}),
    },
    first: DUTY_PAGE_SIZE,
    after: paging.after,
  });
  const districts = useQuery(DistrictsQuery, {});
  useListFeedback(query, [districts.error]);
  const apply = (
    change: Partial<Record<keyof typeof filters, string | null>>,
  ) =>
    navigate(
      hrefFor('risks', null, { ...filters, text: text.trim(), ...change }),
    );
  const result = query.data?.searchRiskItems;
  const facet = (field: EnumOf<'SearchFacetField'>) =>
    result?.facets.find((f) => f.field === field);
  const districtCounts = new Map(
    (facet('DISTRICT')?.buckets ?? []).map((b) => [b.value, b.count]),
  );
  const facetParams = [
    ['CATEGORY', 'category'],
    ['LEVEL', 'level'],
    ['STATUS', 'status'],
  ] as const;
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title="风险搜索"
        description="全文检索风险清单（如“危化”“溶解氧”），按区县、类别、等级和状态筛选；命中的文字以高亮标出。"
      />
      <Input.Search
        className="search"
        placeholder="搜索风险项名称、地址、类别"
        aria-label="搜索"
        data-testid="risk-search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onSearch={(value) => apply({ text: value.trim() })}
        enterButton={<Button data-testid="risk-search-submit">查询</Button>}
      />
      {districts.data ? (
        <DistrictMap
          districts={districts.data.regions.nodes}
          counts={districtCounts}
          selected={filters.district}
          onSelect={(code) => apply({ district: code })}
        />
      ) : null}
      <PagedList query={query} list={result} paging={paging} onPage={setPaging}>
        {(result) => (
          <>
            <Flex vertical gap={4} data-testid="risk-facets">
              {facetParams.map(([field, name]) => {
                return (
                  <Flex key={field} gap={4} wrap align="center">
                    <Typography.Text strong>
                      {FACET_LABELS[field]}：
                    </Typography.Text>
                    {(facet(field)?.buckets ?? []).map((b) => (
                      <Tag.CheckableTag
                        key={b.value}
                        data-testid={`facet-${field}-${b.value}`}
                        checked={filters[name] === b.value}
                        onChange={(checked) =>
                          apply({ [name]: checked ? b.value : null })
                        }
                      >
                        {bucketName(field, b)}（{b.count}）
                      </Tag.CheckableTag>
                    ))}
                  </Flex>
                );
              })}
            </Flex>
            {result.hits.length === 0 ? (
              <Empty
                data-testid="risk-empty"
                description="没有符合条件的风险项。"
              />
            ) : (
              <List
                data-testid="risk-hits"
                bordered
                dataSource={result.hits}
                renderItem={(hit) => (
                  <List.Item data-testid={`risk-hit-${hit.item.id}`}>
                    <Flex vertical gap={4} className="hit">
                      <Flex gap={8} wrap align="center">
                        <Typography.Text strong>
                          {hit.item.name}
                        </Typography.Text>
                        <RiskLevelTag level={hit.item.level} />
                        {hit.item.status === 'ALERTING' ? (
                          <Tag color="red">
                            {label(RISK_ITEM_STATUS_LABELS, hit.item.status)}
                          </Tag>
                        ) : null}
                      </Flex>
                      <Typography.Text type="secondary" className="break">
                        {hit.item.category.name} ·{' '}
                        {hit.item.region?.name ?? '—'} · {hit.item.address} ·{' '}
                        {departmentName(hit.item.responsibleDepartment)}
                      </Typography.Text>
                      {hit.highlights.flatMap((h) =>
                        h.fragments.map((f, i) => (
                          <Typography.Text
                            key={`${h.field}:${String(i)}`}
                            className="small break"
                            data-testid="risk-highlight"
                          >
                            <Highlight fragment={f} />
                          </Typography.Text>
                        )),
                      )}
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </>
        )}
      </PagedList>
    </Flex>
  );
}
