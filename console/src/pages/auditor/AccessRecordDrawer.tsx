import { Descriptions, Empty, Flex, Tag, Typography } from 'antd';
import { useEffect } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { DetailTable } from '../../components/DetailTable.js';
import { useFeedback } from '../../feedback.js';
import {
  OUTCOME_LABELS,
  departmentName,
  formatSeconds,
  label,
} from '../../labels.js';
import { AccessRecordQuery } from './operations.js';

/** One record of the access log, whole. */
export function AccessRecordDrawer({ seq }: { seq: string }) {
  const feedback = useFeedback();
  const query = useQuery(AccessRecordQuery, { seq });
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
  }, [query.error]);
  if (query.loading) return <Typography.Text>正在加载…</Typography.Text>;
  const record = query.data?.accessRecord;
  if (!record) {
    return <Empty description="没有这条访问记录。" />;
  }
  return (
    <Flex vertical gap={16} data-testid="audit-record">
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { label: '序号', children: record.seq },
          { label: '时间', children: formatSeconds(record.recordedAt) },
          {
            label: '访问主体',
            children: (
              <span className="mono" data-testid="record-subject">
                {record.subject}
              </span>
            ),
          },
          { label: '部门', children: departmentName(record.department) },
          { label: '角色', children: record.roles.join('、') || '—' },
          { label: '使用目的', children: record.purpose },
          {
            label: '结果',
            children: (
              <span data-testid="record-outcome" data-outcome={record.outcome}>
                {label(OUTCOME_LABELS, record.outcome)}
              </span>
            ),
          },
          { label: '耗时', children: `${String(record.latencyMs)} ms` },
          { label: '操作名', children: record.operationName ?? '（匿名操作）' },
          {
            label: '尝试编号',
            children: record.attemptId ?? '—',
          },
          {
            label: '追踪编号',
            children:
              record.traceId === null ? (
                <Typography.Text type="secondary" data-testid="record-trace-id">
                  未追踪（网关未开启链路追踪时不记录）
                </Typography.Text>
              ) : (
                <Typography.Text
                  className="mono small"
                  copyable
                  data-testid="record-trace-id"
                >
                  {record.traceId}
                </Typography.Text>
              ),
          },
          {
            label: '哈希链',
            children: (
              <span className="mono small break">
                {record.chain}：{record.prevHash} → {record.hash}
              </span>
            ),
          },
        ]}
      />
      <div>
        <Typography.Title level={5}>操作文本</Typography.Title>
        <pre className="operation" data-testid="record-operation">
          {record.operationText}
        </pre>
      </div>
      <div data-testid="record-read">
        <Typography.Title level={5}>读取的数据项</Typography.Title>
        {record.read.length === 0 ? (
          <Typography.Text type="secondary">未读取数据。</Typography.Text>
        ) : (
          record.read.map((r) => (
            <div key={r.ownerDepartment}>
              <Typography.Text strong>
                {departmentName(r.ownerDepartment)}
              </Typography.Text>
              ：
              {r.coordinates.map((c) => (
                <Tag key={c} className="mono">
                  {c}
                </Tag>
              ))}
            </div>
          ))
        )}
      </div>
      <DetailTable
        title="拒绝返回的数据项"
        testid="record-withheld"
        rows={record.withheld}
        rowKey={(w) => `${w.coordinate}:${w.path.join('.')}`}
        columns={[
          { title: '数据项', dataIndex: 'coordinate', className: 'mono' },
          {
            title: '位置',
            dataIndex: 'path',
            render: (_, w) => w.path.join('.'),
          },
          { title: '原因', dataIndex: 'code', className: 'mono' },
          { title: '依据规则', dataIndex: 'rule', className: 'mono' },
        ]}
      />
      <DetailTable
        title="脱敏的数据项"
        testid="record-masked"
        rows={record.masked}
        rowKey={(m) => `${m.coordinate}:${m.rule}`}
        columns={[
          { title: '数据项', dataIndex: 'coordinate', className: 'mono' },
          { title: '脱敏方式', dataIndex: 'mask' },
          { title: '依据规则', dataIndex: 'rule', className: 'mono' },
        ]}
      />
    </Flex>
  );
}
