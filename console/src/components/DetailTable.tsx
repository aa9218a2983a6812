import { Table, Typography, type TableColumnsType } from 'antd';
import type { Key } from 'react';

/**
 * A titled table inside a record (what was withheld, the readings that
 * crossed a threshold…): no paging, scrolling inside itself at narrow
 * widths, and one line saying `empty` when there are no rows.
 */
export function DetailTable<Row extends object>({
  title,
  testid,
  rows,
  rowKey,
  columns,
  empty = '无。',
}: {
  /** The section's heading. */
  title: string;
  /** The section's `data-testid`. */
  testid: string;
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  columns: TableColumnsType<Row>;
  /** What the record says when there are no rows. */
  empty?: string;
}) {
  return (
    <div data-testid={testid}>
      <Typography.Title level={5}>{title}</Typography.Title>
      {rows.length === 0 ? (
        <Typography.Text type="secondary">{empty}</Typography.Text>
      ) : (
        <Table<Row>
          rowKey={rowKey}
          dataSource={[...rows]}
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          columns={columns}
        />
      )}
    </div>
  );
}
