import { Alert, Button, Card, Empty, Flex, Table, Typography } from 'antd';
import { useState } from 'react';

import { request } from '../../api/client.js';
import { BarChart } from '../../components/BarChart.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import { departmentName } from '../../labels.js';
import { EntryImpactQuery } from './operations.js';

type Impact = NonNullable<
  NonNullable<ResultOf<typeof EntryImpactQuery>['negativeListEntry']>['version']
>['impact'];

/**
 * 影响模拟: replays the recorded operations of the access log as if this
 * version were in force (the server's simulation), on request.
 */
export function EntryImpact({ id, version }: { id: string; version: number }) {
  const feedback = useFeedback();
  const [impact, setImpact] = useState<Impact | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { data } = await request(EntryImpactQuery, { id, version });
      setImpact(data.negativeListEntry?.version?.impact ?? null);
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="影响模拟"
      data-testid="impact"
      extra={
        <Button
          data-testid="impact-run"
          loading={busy}
          onClick={() => void run()}
        >
          按近 30 天访问记录模拟
        </Button>
      }
    >
      {impact === null ? (
        <Typography.Text type="secondary">
          发布前可用近 30 天的访问记录回放，查看哪些部门、哪些字段的结果会改变。
        </Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text data-testid="impact-summary">
            回放 {impact.records} 条访问记录（模拟 {impact.simulated} 条，跳过{' '}
            {impact.skipped} 条），其中 {impact.changed} 条的结果会改变。
          </Typography.Text>
          {impact.departments.length === 0 ? (
            <Empty description="没有记录的结果会改变。" />
          ) : (
            <BarChart
              testid="impact-chart"
              label="各部门受影响的访问记录数"
              labelWidth={110}
              bars={impact.departments.map((row) => ({
                key: row.department,
                label: departmentName(row.department),
                value: row.records,
              }))}
            />
          )}
          <Table
            data-testid="impact-fields"
            rowKey={(r) => `${r.coordinate}-${r.transition}`}
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={impact.fields}
            columns={[
              {
                title: '字段',
                className: 'mono',
                render: (_, r) => r.coordinate,
              },
              { title: '现在', className: 'mono', render: (_, r) => r.before },
              { title: '发布后', className: 'mono', render: (_, r) => r.after },
              { title: '记录数', render: (_, r) => r.records },
              {
                title: '涉及部门',
                render: (_, r) => r.departments.map(departmentName).join('、'),
              },
            ]}
          />
          {impact.assumptions.length === 0 ? null : (
            <Alert
              type="info"
              title="模拟的假设"
              description={
                <ul className="assumptions">
                  {impact.assumptions.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              }
            />
          )}
        </Flex>
      )}
    </Card>
  );
}
