import { Card, Empty, Flex, Select, Table, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';

import { useQuery } from '../../api/useQuery.js';
import { useFeedback } from '../../feedback.js';
import { EntryDiffQuery } from './operations.js';

/** The content's fields, in Chinese. */
const CONTENT_LABELS: Readonly<Record<string, string>> = {
  selector: '选择器',
  shareClass: '共享类型',
  legalBasis: '法律依据',
  reason: '理由',
  conditions: '共享条件',
  exceptions: '例外',
  validFrom: '生效时间',
  validUntil: '失效时间',
  priority: '优先级',
};

/** 版本对比: two versions of an entry side by side, field by field. */
export function EntryDiff({
  id,
  versions,
}: {
  id: string;
  versions: readonly number[];
}) {
  const feedback = useFeedback();
  const last = versions.at(-1) ?? 1;
  const [from, setFrom] = useState(versions.at(-2) ?? last);
  const [to, setTo] = useState(last);
  const query = useQuery(EntryDiffQuery, { id, from, to });
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
  }, [query.error]);
  const options = versions.map((v) => ({ value: v, label: `v${String(v)}` }));
  const changes = query.data?.negativeListEntry?.diff ?? [];
  return (
    <Card title="版本对比" data-testid="entry-diff">
      <Flex vertical gap={12}>
        <Flex gap={8} align="center" wrap>
          <Select
            aria-label="从版本"
            data-testid="diff-from"
            value={from}
            options={options}
            onChange={setFrom}
          />
          <span>→</span>
          <Select
            aria-label="到版本"
            data-testid="diff-to"
            value={to}
            options={options}
            onChange={setTo}
          />
        </Flex>
        {from === to ? (
          <Typography.Text type="secondary">
            请选择两个不同的版本。
          </Typography.Text>
        ) : changes.length === 0 ? (
          <Empty
            description={query.loading ? '正在加载…' : '两个版本的内容相同。'}
          />
        ) : (
          <Table
            rowKey="field"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={changes}
            onRow={(r) =>
              ({
                'data-testid': `diff-${r.field}`,
              }) as HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: '内容',
                render: (_, r) => CONTENT_LABELS[r.field] ?? r.field,
              },
              {
                title: `v${String(from)}`,
                className: 'diff-before',
                render: (_, r) => (
                  <code className="diff-cell">{r.before ?? '（无）'}</code>
                ),
              },
              {
                title: `v${String(to)}`,
                className: 'diff-after',
                render: (_, r) => (
                  <code className="diff-cell">{r.after ?? '（无）'}</code>
                ),
              },
            ]}
          />
        )}
      </Flex>
    </Card>
  );
}
