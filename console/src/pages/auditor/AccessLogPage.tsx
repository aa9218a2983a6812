import {
  Button,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Input,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';

import { request, type Answer } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { Pager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf, VariablesOf } from '../../graphql/graphql.js';
import {
  DEPARTMENT_NAMES,
  OUTCOME_LABELS,
  departmentName,
  formatSeconds,
  label,
  type EnumOf,
} from '../../labels.js';
import { AccessRecordDrawer } from './AccessRecordDrawer.js';
import { joinCsvPages } from './csv.js';
import { ChainVerification } from './ChainVerification.js';
import {
  AccessRecordsCsvQuery,
  AccessRecordsQuery,
  EXPORT_PAGE_SIZE,
  RECORDS_PAGE_SIZE,
} from './operations.js';

type Filter = NonNullable<VariablesOf<typeof AccessRecordsQuery>['filter']>;
type Row = ResultOf<
  typeof AccessRecordsQuery
>['accessRecords']['nodes'][number];

const OUTCOME_COLORS: Readonly<Record<EnumOf<'AccessOutcome'>, string>> = {
  ATTEMPTED: 'default',
  OK: 'green',
  PARTIAL: 'gold',
  REJECTED: 'red',
  ERROR: 'volcano',
};

const outcomeOptions = [
  { value: '', label: '全部结果' },
  ...Object.entries(OUTCOME_LABELS).map(([value, text]) => ({
    value,
    label: text,
  })),
];
const departmentOptions = [
  { value: '', label: '全部部门' },
  ...Object.entries(DEPARTMENT_NAMES).map(([value, text]) => ({
    value,
    label: text,
  })),
];

/** The filter without empty criteria (`null` when there is none). */
function cleanFilter(filter: Filter): Filter | null {
  const entries = Object.entries(filter).filter(
    ([, value]) => typeof value === 'string' && value.trim() !== '',
  );
  return entries.length === 0
    ? null
    : (Object.fromEntries(
        entries.map(([key, value]) => [key, (value as string).trim()]),
      ) as Filter);
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(
    new Blob([text], { type: 'text/csv;charset=utf-8' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** 访问日志: the city's access log, filtered, a record opened, exported. */
export function AccessLogPage() {
  const feedback = useFeedback();
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [paging, setPaging] = usePaging(JSON.stringify(filter));
  const query = useQuery(AccessRecordsQuery, {
    filter,
    first: RECORDS_PAGE_SIZE,
    after: paging.after,
  });
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const set = (key: keyof Filter) => (value: string | null) =>
    setDraft((d) => ({ ...d, [key]: value ?? '' }));
  const apply = () => {
    feedback.clear();
    setFilter(cleanFilter(draft));
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      const pages: string[] = [];
      let after: string | null = null;
      for (;;) {
        const answer: Answer<ResultOf<typeof AccessRecordsCsvQuery>> =
          await request(AccessRecordsCsvQuery, {
            filter,
            first: EXPORT_PAGE_SIZE,
            after,
          });
        const page = answer.data.accessRecords;
        pages.push(page.csv);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (after === null) break;
      }
      download('access-records.csv', joinCsvPages(pages));
      feedback.showNotice(`已导出 ${String(pages.length)} 页访问记录。`);
    } catch (error) {
      feedback.showError(error);
    } finally {
      setExporting(false);
    }
  };
  const list = query.data?.accessRecords;
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>访问日志</Typography.Title>
        <Typography.Text type="secondary">
          全市经网关的每次数据访问：谁、何时、为何目的、读了什么、哪些被拒绝或脱敏。只读。
        </Typography.Text>
      </div>
      <ChainVerification />
      <Flex gap={8} wrap role="search">
        <Input
          className="filter"
          placeholder="访问主体（令牌 sub）"
          aria-label="访问主体"
          data-testid="audit-subject"
          value={draft.subject ?? ''}
          onChange={(e) => set('subject')(e.target.value)}
          onPressEnter={apply}
        />
        <Select
          aria-label="访问部门"
          data-testid="audit-department"
          className="filter"
          value={draft.department ?? ''}
          options={departmentOptions}
          onChange={set('department')}
        />
        <Input
          className="filter"
          placeholder="数据项，如 Person.mobile"
          aria-label="数据项"
          data-testid="audit-coordinate"
          value={draft.coordinate ?? ''}
          onChange={(e) => set('coordinate')(e.target.value)}
          onPressEnter={apply}
        />
        <Input
          className="filter"
          placeholder="使用目的"
          aria-label="使用目的"
          data-testid="audit-purpose"
          value={draft.purpose ?? ''}
          onChange={(e) => set('purpose')(e.target.value)}
          onPressEnter={apply}
        />
        <Select
          aria-label="结果"
          data-testid="audit-outcome"
          className="filter"
          value={draft.outcome ?? ''}
          options={outcomeOptions}
          onChange={(value: string) =>
            setDraft((d) => ({
              ...d,
              outcome: value === '' ? null : (value as EnumOf<'AccessOutcome'>),
            }))
          }
        />
        <DatePicker.RangePicker
          showTime
          aria-label="时间范围"
          data-testid="audit-range"
          placeholder={['开始时间', '结束时间']}
          onChange={(dates) =>
            setDraft((d) => ({
              ...d,
              since: dates?.[0]?.toISOString() ?? null,
              until: dates?.[1]?.toISOString() ?? null,
            }))
          }
        />
        <Button type="primary" data-testid="audit-apply" onClick={apply}>
          查询
        </Button>
        <Button
          data-testid="audit-export"
          loading={exporting}
          onClick={() => void exportCsv()}
        >
          导出 CSV
        </Button>
      </Flex>
      {list ? (
        <>
          <RecordTable rows={list.nodes} onOpen={setOpen} />
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
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open === null ? '' : `访问记录 #${open}`}
        size="min(736px, 100vw)"
        className="record-drawer"
        destroyOnHidden
      >
        {open === null ? null : <AccessRecordDrawer seq={open} />}
      </Drawer>
    </Flex>
  );
}

function RecordTable({
  rows,
  onOpen,
}: {
  rows: readonly Row[];
  onOpen: (seq: string) => void;
}) {
  if (rows.length === 0) {
    return (
      <Empty data-testid="audit-empty" description="没有符合条件的访问记录。" />
    );
  }
  return (
    <div data-testid="audit-table">
      <Table<Row>
        rowKey="seq"
        dataSource={rows}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        onRow={(row) =>
          ({
            'data-testid': `audit-row-${row.seq}`,
            'data-subject': row.subject,
            className: 'clickable',
            tabIndex: 0,
            onClick: () => onOpen(row.seq),
            onKeyDown: (event) => {
              if (event.key === 'Enter') onOpen(row.seq);
            },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: '序号', dataIndex: 'seq', className: 'mono' },
          {
            title: '时间',
            dataIndex: 'recordedAt',
            className: 'nowrap',
            render: (_, row) => formatSeconds(row.recordedAt),
          },
          { title: '访问主体', dataIndex: 'subject', className: 'mono' },
          {
            title: '部门',
            dataIndex: 'department',
            render: (_, row) => departmentName(row.department),
          },
          { title: '使用目的', dataIndex: 'purpose' },
          {
            title: '操作',
            dataIndex: 'operationName',
            className: 'mono',
            render: (_, row) => row.operationName ?? '（匿名操作）',
          },
          {
            title: '结果',
            dataIndex: 'outcome',
            render: (_, row) => (
              <Tag
                color={OUTCOME_COLORS[row.outcome]}
                data-outcome={row.outcome}
              >
                {label(OUTCOME_LABELS, row.outcome)}
              </Tag>
            ),
          },
        ]}
      />
    </div>
  );
}
