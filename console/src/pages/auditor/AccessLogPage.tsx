import { Button, DatePicker, Flex, Tag } from 'antd';
import { useState } from 'react';

import { request, type Answer } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { filterOptions } from '../../components/filterOptions.js';
import { FilterInput, FilterSelect } from '../../components/Filters.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PagedList, useListFeedback } from '../../components/PagedList.js';
import { usePaging } from '../../components/Pager.js';
import { RecordDrawer } from '../../components/RecordDrawer.js';
import { RecordTable } from '../../components/RecordTable.js';
import { downloadText } from '../../components/download.js';
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

const outcomeOptions = filterOptions('全部结果', OUTCOME_LABELS);
const departmentOptions = filterOptions('全部部门', DEPARTMENT_NAMES);

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
  useListFeedback(query);
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
      downloadText('access-records.csv', joinCsvPages(pages));
      feedback.showNotice(`已导出 ${String(pages.length)} 页访问记录。`);
    } catch (error) {
      feedback.showError(error);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <PageHeader
        title="访问日志"
        description="全市经网关的每次数据访问：谁、何时、为何目的、读了什么、哪些被拒绝或脱敏。只读。"
      />
      <ChainVerification />
      <Flex gap={8} wrap role="search">
        <FilterInput
          label="访问主体"
          placeholder="访问主体（令牌 sub）"
          testid="audit-subject"
          value={draft.subject ?? ''}
          onChange={set('subject')}
          onEnter={apply}
        />
        <FilterSelect
          label="访问部门"
          testid="audit-department"
          value={draft.department ?? ''}
          options={departmentOptions}
          onChange={set('department')}
        />
        <FilterInput
          label="数据项"
          placeholder="数据项，如 Person.mobile"
          testid="audit-coordinate"
          value={draft.coordinate ?? ''}
          onChange={set('coordinate')}
          onEnter={apply}
        />
        <FilterInput
          label="使用目的"
          placeholder="使用目的"
          testid="audit-purpose"
          value={draft.purpose ?? ''}
          onChange={set('purpose')}
          onEnter={apply}
        />
        <FilterSelect
          label="结果"
          testid="audit-outcome"
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
      <PagedList
        query={query}
        list={query.data?.accessRecords}
        paging={paging}
        onPage={setPaging}
      >
        {(list) => <AccessRecordTable rows={list.nodes} onOpen={setOpen} />}
      </PagedList>
      <RecordDrawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open === null ? '' : `访问记录 #${open}`}
        className="record-drawer"
      >
        {open === null ? null : <AccessRecordDrawer seq={open} />}
      </RecordDrawer>
    </Flex>
  );
}

/** The records of a page; a row opens the record. */
function AccessRecordTable({
  rows,
  onOpen,
}: {
  rows: readonly Row[];
  onOpen: (seq: string) => void;
}) {
  return (
    <RecordTable<Row>
      rows={rows}
      rowKey={(row) => row.seq}
      rowId={(row) => row.seq}
      rowAttributes={(row) => ({ 'data-subject': row.subject })}
      onOpen={(row) => onOpen(row.seq)}
      testidPrefix="audit"
      empty="没有符合条件的访问记录。"
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
            <Tag color={OUTCOME_COLORS[row.outcome]} data-outcome={row.outcome}>
              {label(OUTCOME_LABELS, row.outcome)}
            </Tag>
          ),
        },
      ]}
    />
  );
}
