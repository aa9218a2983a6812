import type { HTMLAttributes } from 'react';
import { Collapse, Flex, Table, Tag, Tooltip, Typography } from 'antd';

import { SHARE_CLASS_LABELS, departmentName, label } from '../../labels.js';
import { isPlumbing } from './plumbing.js';

export interface FiledInput {
  readonly coordinate: string;
  readonly owners: readonly string[];
  readonly shareClass: string;
  readonly negativeListEntry: string | null;
}

const SHARE_COLORS: Readonly<Record<string, string>> = {
  UNCONDITIONAL: 'green',
  CONDITIONAL: 'gold',
  NOT_SHARED: 'red',
};

/**
 * The inputs of a revision grouped by the department that provides them
 * (Chinese names), paging plumbing folded away; new inputs of a change
 * marked.
 */
export function InputsByDepartment({
  inputs,
  approved,
}: {
  inputs: readonly FiledInput[];
  /** The approved revision's coordinates, when this one changes them. */
  approved: ReadonlySet<string> | null;
}) {
  const data = inputs.filter((i) => !isPlumbing(i.coordinate));
  const plumbing = inputs.filter((i) => isPlumbing(i.coordinate));
  const groups = new Map<string, FiledInput[]>();
  // By the department that provides the field; a field several resolve
  // (an entity's key) under all of them together.
  for (const input of data) {
    const owner = [...input.owners].sort().join(',');
    groups.set(owner, [...(groups.get(owner) ?? []), input]);
  }
  const table = (rows: readonly FiledInput[]) => (
    <Table<FiledInput>
      rowKey="coordinate"
      dataSource={[...rows]}
      pagination={false}
      size="small"
      scroll={{ x: 'max-content' }}
      onRow={(row) =>
        ({
          'data-testid': `input-${row.coordinate}`,
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: '数据项',
          dataIndex: 'coordinate',
          render: (_, row) => {
            const [type, field] = row.coordinate.split('.');
            return (
              <Tooltip title={row.coordinate}>
                <span className="mono">
                  {type}
                  <Typography.Text type="secondary">.</Typography.Text>
                  <strong>{field}</strong>
                </span>
                {approved !== null && !approved.has(row.coordinate) ? (
                  <Tag color="blue" className="tag-new">
                    本次新增
                  </Tag>
                ) : null}
              </Tooltip>
            );
          },
        },
        {
          title: '共享类别',
          dataIndex: 'shareClass',
          render: (_, row) => (
            <Tag
              color={SHARE_COLORS[row.shareClass] ?? 'default'}
              data-testid={`share-${row.coordinate}`}
              data-share-class={row.shareClass}
            >
              {label(SHARE_CLASS_LABELS, row.shareClass)}
            </Tag>
          ),
        },
        {
          title: '负面清单条目',
          dataIndex: 'negativeListEntry',
          render: (_, row) => (
            <span className="mono">{row.negativeListEntry ?? '—'}</span>
          ),
        },
      ]}
    />
  );
  return (
    <Flex vertical gap={12} data-testid="inputs-table">
      {[...groups.entries()].map(([owner, rows]) => (
        <div
          key={owner}
          data-testid={`inputs-of-${owner === '' ? 'none' : owner}`}
        >
          <Typography.Title level={5}>
            {owner === '' ? (
              <Typography.Text type="warning">已不在数据目录中</Typography.Text>
            ) : owner.includes(',') ? (
              `${owner.split(',').map(departmentName).join('、')}共有`
            ) : (
              departmentName(owner)
            )}
            <Typography.Text type="secondary">
              （{rows.length} 项）
            </Typography.Text>
          </Typography.Title>
          {table(rows)}
        </div>
      ))}
      {plumbing.length === 0 ? null : (
        <Collapse
          size="small"
          items={[
            {
              key: 'plumbing',
              label: `另含 ${String(plumbing.length)} 项分页结构字段（读取列表时必需，不含业务数据）`,
              forceRender: true,
              children: table(plumbing),
            },
          ]}
        />
      )}
    </Flex>
  );
}
