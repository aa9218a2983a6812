import { Button, Card, Empty, Flex, Select, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { BarChart, type Bar } from '../../components/BarChart.js';
import { downloadText } from '../../components/download.js';
import { useFeedback } from '../../feedback.js';
import { readFragment, type ResultOf } from '../../graphql/graphql.js';
import { departmentName, formatTime } from '../../labels.js';
import {
  AccessReportCsvQuery,
  AccessReportQuery,
  AccessReportTotalFragment,
} from './operations.js';
import { dateInChina, lastDays } from './sharing.js';

type Total = ResultOf<typeof AccessReportTotalFragment>;

const RANGES = [
  { value: 7, label: '近 7 天' },
  { value: 30, label: '近 30 天' },
  { value: 90, label: '近 90 天' },
];

/** Bars of totals: reads, with what was withheld and how many people. */
function bars(totals: readonly Total[], name: (key: string) => string): Bar[] {
  return totals.map((t) => ({
    key: t.key,
    label: name(t.key),
    value: t.reads,
    note: `次${t.withheld > 0 ? ` · 拒绝 ${String(t.withheld)}` : ''} · ${String(t.subjects)} 人`,
  }));
}

function ChartCard({
  title,
  testid,
  totals,
  name,
  labelWidth,
}: {
  title: string;
  testid: string;
  totals: readonly Total[];
  name: (key: string) => string;
  labelWidth?: number;
}) {
  return (
    <Card title={title} size="small" className="report-card">
      {totals.length === 0 ? (
        <Empty description="无访问" />
      ) : (
        <BarChart
          testid={testid}
          label={`${title}：各项的读取次数`}
          bars={bars(totals, name)}
          {...(labelWidth === undefined ? {} : { labelWidth })}
        />
      )}
    </Card>
  );
}

const byReads = (a: Total, b: Total) =>
  b.reads - a.reads || (a.key < b.key ? -1 : 1);

/**
 * 数据被访问情况: who read the department's data (`accessReport`), per
 * consumer department, field, purpose and day, with the rows as CSV.
 */
export function AccessReportPage() {
  const feedback = useFeedback();
  const session = useSession();
  const department = session?.claims.dept ?? '';
  const [days, setDays] = useState(30);
  const [range, setRange] = useState(() => lastDays(30, Date.now()));
  const [exporting, setExporting] = useState(false);
  const variables = { ownerDepartment: department, ...range };
  const query = useQuery(AccessReportQuery, variables);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (query.partialErrors.length > 0)
      feedback.showErrors(query.partialErrors);
  }, [query.error, query.data]);
  const report = query.data?.accessReport ?? null;
  const exportCsv = async () => {
    setExporting(true);
    try {
      const { data } = await request(AccessReportCsvQuery, variables);
      downloadText(
        `access-report-${department}-${dateInChina(range.since)}-${dateInChina(range.until)}.csv`,
        data.accessReport.csv,
      );
      feedback.showNotice('已导出访问明细（CSV）。');
    } catch (error) {
      feedback.showError(error);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>数据被访问情况</Typography.Title>
        <Typography.Text type="secondary">
          其他部门读取{departmentName(department)}
          数据的情况（来自访问日志）：按使用部门、字段、用途和日期（北京时间）汇总。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap align="center">
        <Select
          aria-label="时间范围"
          data-testid="report-range"
          className="filter"
          value={days}
          options={RANGES}
          onChange={(value: number) => {
            setDays(value);
            setRange(lastDays(value, Date.now()));
          }}
        />
        <Button onClick={() => setRange(lastDays(days, Date.now()))}>
          刷新
        </Button>
        <Button
          data-testid="report-export"
          loading={exporting}
          disabled={report === null}
          onClick={() => void exportCsv()}
        >
          导出 CSV
        </Button>
      </Flex>
      {report === null ? (
        <Typography.Text type="secondary">
          {query.loading ? '正在加载…' : ''}
        </Typography.Text>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="report-range-text">
            {formatTime(report.since)} 至 {formatTime(report.until)}
          </Typography.Text>
          {(() => {
            const total = readFragment(AccessReportTotalFragment, report.total);
            return (
              <Flex gap={32} wrap data-testid="report-total">
                <Statistic title="读取次数" value={total.reads} />
                <Statistic title="被拒绝次数" value={total.withheld} />
                <Statistic title="访问人数" value={total.subjects} />
              </Flex>
            );
          })()}
          <div className="report-grid">
            <ChartCard
              title="按使用部门"
              testid="report-consumers"
              totals={[
                ...readFragment(AccessReportTotalFragment, report.byConsumer),
              ].sort(byReads)}
              name={departmentName}
              labelWidth={110}
            />
            <ChartCard
              title="按用途"
              testid="report-purposes"
              totals={[
                ...readFragment(AccessReportTotalFragment, report.byPurpose),
              ].sort(byReads)}
              name={(key) => key}
            />
            <ChartCard
              title="按字段"
              testid="report-fields"
              totals={[
                ...readFragment(AccessReportTotalFragment, report.byCoordinate),
              ].sort(byReads)}
              name={(key) => key}
              labelWidth={190}
            />
            <ChartCard
              title="按日期"
              testid="report-days"
              totals={[
                ...readFragment(AccessReportTotalFragment, report.byDay),
              ].sort((a, b) => (a.key < b.key ? -1 : 1))}
              name={(key) => key}
              labelWidth={90}
            />
          </div>
        </>
      )}
    </Flex>
  );
}
