import { Button, Flex, Input, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { DataTable } from '../../components/DataTable.js';
import { useFeedback } from '../../feedback.js';
import { readFragment } from '../../graphql/graphql.js';
import {
  ENTRY_STATUS_LABELS,
  SHARE_CLASS_LABELS,
  departmentName,
  formatTime,
  type EnumOf,
} from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { EntryStatusBadge, ShareClassBadge } from './badges.js';
import {
  EntryVersionFragment,
  LIST_SIZE,
  NegativeListQuery,
} from './operations.js';

const statusOptions = [
  { value: '', label: '全部状态' },
  ...Object.entries(ENTRY_STATUS_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];
const classOptions = [
  { value: '', label: '全部共享类型' },
  ...Object.entries(SHARE_CLASS_LABELS)
    .filter(([value]) => value !== 'UNCONDITIONAL')
    .map(([value, text]) => ({ value, label: text })),
];

const param = (route: Route, name: string): string =>
  route.params.get(name) ?? '';

/** Whether a selector names `text` (a coordinate, type or tag, any case). */
function selectorMatches(
  selector: { coordinates: string[]; types: string[]; tags: string[] },
  text: string,
): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [...selector.coordinates, ...selector.types, ...selector.tags].some(
    (name) => name.toLowerCase().includes(needle),
  );
}

/** 负面清单: the entries of the officer's department, filtered. */
export function NegativeListPage({ route }: { route: Route }) {
  const session = useSession();
  const feedback = useFeedback();
  const department = session?.claims.dept ?? '';
  const filters = {
    status: param(route, 'status'),
    selector: param(route, 'selector'),
    shareClass: param(route, 'class'),
  };
  const [selectorText, setSelectorText] = useState(filters.selector);
  const query = useQuery(NegativeListQuery, {
    department,
    status:
      filters.status === '' ? null : (filters.status as EnumOf<'EntryStatus'>),
    first: LIST_SIZE,
  });
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (query.partialErrors.length > 0)
      feedback.showErrors(query.partialErrors);
  }, [query.error, query.data]);
  const apply = (
    change: Partial<Record<'status' | 'selector' | 'class', string>>,
  ) =>
    navigate(
      hrefFor('negative-list', null, {
        status: filters.status,
        selector: selectorText.trim(),
        class: filters.shareClass,
        ...change,
      }),
    );
  const rows = (query.data?.negativeListEntries.nodes ?? [])
    .map((entry) => ({
      id: entry.id,
      activeVersion: entry.active?.version ?? null,
      latest: readFragment(EntryVersionFragment, entry.latest),
    }))
    .filter(
      (row) =>
        selectorMatches(row.latest.selector, filters.selector) &&
        (filters.shareClass === '' ||
          row.latest.shareClass === filters.shareClass),
    );
  type Row = (typeof rows)[number];
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>负面清单</Typography.Title>
        <Typography.Text type="secondary">
          {departmentName(department)}
          的数据共享负面清单：起草、提交、审核（四眼原则：起草人不得审核自己的条目）。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap role="search">
        <Input.Search
          className="search"
          placeholder="按字段、类型或分类标签筛选，如 Person.mobile"
          aria-label="选择器"
          data-testid="selector-filter"
          value={selectorText}
          onChange={(event) => setSelectorText(event.target.value)}
          onSearch={(value) => apply({ selector: value.trim() })}
          enterButton={<Button>筛选</Button>}
        />
        <Select
          aria-label="状态"
          data-testid="entry-status-filter"
          className="filter"
          value={filters.status}
          options={statusOptions}
          onChange={(value: string) => apply({ status: value })}
        />
        <Select
          aria-label="共享类型"
          data-testid="entry-class-filter"
          className="filter"
          value={filters.shareClass}
          options={classOptions}
          onChange={(value: string) => apply({ class: value })}
        />
        <Button
          type="primary"
          data-testid="entry-new"
          onClick={() => navigate(hrefFor('entry-new'))}
        >
          新建条目
        </Button>
      </Flex>
      <DataTable<Row>
        testid="entries"
        rowTestid="entry-row"
        rows={query.data === null ? null : rows}
        rowKey={(row) => row.id}
        loading={query.loading}
        empty="没有符合条件的条目。"
        onOpen={(row) => navigate(hrefFor('entry', row.id))}
        columns={[
          {
            title: '编号',
            dataIndex: 'id',
            className: 'mono nowrap',
            render: (_, row) => <a href={hrefFor('entry', row.id)}>{row.id}</a>,
          },
          {
            title: '最新版本',
            render: (_, row) => (
              <Flex gap={4} wrap>
                <span>v{row.latest.version}</span>
                <EntryStatusBadge status={row.latest.status} />
              </Flex>
            ),
          },
          {
            title: '生效版本',
            render: (_, row) =>
              row.activeVersion === null
                ? '—'
                : `v${String(row.activeVersion)}`,
          },
          {
            title: '共享类型',
            render: (_, row) => (
              <ShareClassBadge shareClass={row.latest.shareClass} />
            ),
          },
          {
            title: '选择器',
            render: (_, row) => (
              <Flex gap={4} wrap className="selector">
                {row.latest.selector.coordinates.map((c) => (
                  <Tag key={c} className="mono">
                    {c}
                  </Tag>
                ))}
                {row.latest.selector.types.map((c) => (
                  <Tag key={`type-${c}`} color="blue" className="mono">
                    类型 {c}
                  </Tag>
                ))}
                {row.latest.selector.tags.map((c) => (
                  <Tag key={`tag-${c}`} color="purple" className="mono">
                    标签 {c}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          { title: '优先级', render: (_, row) => row.latest.priority },
          {
            title: '起草人',
            render: (_, row) => row.latest.author,
          },
          {
            title: '更新时间',
            className: 'nowrap',
            render: (_, row) => formatTime(row.latest.updatedAt),
          },
        ]}
        footer={
          query.data === null ? null : (
            <Typography.Text type="secondary" data-testid="entries-count">
              共 {rows.length} 条
              {rows.length < query.data.negativeListEntries.totalCount
                ? `（本部门共 ${String(query.data.negativeListEntries.totalCount)} 条，列出前 ${String(LIST_SIZE)} 条）`
                : ''}
            </Typography.Text>
          )
        }
      />
    </Flex>
  );
}
