import { Empty, Table, type TableColumnsType } from 'antd';
import type { HTMLAttributes, Key } from 'react';

/**
 * A list's table whose rows open a record: each row a link by click or
 * Enter, with the test ids `<prefix>-table`, `<prefix>-row-<id>` and,
 * when there are no rows, `<prefix>-empty` with `empty` as its text.
 * Columns scroll inside the table at narrow widths.
 */
export function RecordTable<Row extends object>({
  rows,
  columns,
  rowKey,
  rowId,
  onOpen,
  testidPrefix,
  empty,
  rowAttributes,
}: {
  rows: readonly Row[];
  columns: TableColumnsType<Row>;
  /** The row's React key. */
  rowKey: (row: Row) => Key;
  /** The record's id in the row's test id (`<prefix>-row-<id>`). */
  rowId: (row: Row) => string;
  /** Opens the row's record. */
  onOpen: (row: Row) => void;
  testidPrefix: string;
  /** What an empty list says. */
  empty: string;
  /** More attributes of a row's element (e.g. `data-subject`). */
  rowAttributes?: (row: Row) => Record<string, string>;
}) {
  if (rows.length === 0) {
    return <Empty data-testid={`${testidPrefix}-empty`} description={empty} />;
  }
  return (
    <div data-testid={`${testidPrefix}-table`}>
      <Table<Row>
        rowKey={rowKey}
        dataSource={[...rows]}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        onRow={(row) =>
          ({
            ...rowAttributes?.(row),
            'data-testid': `${testidPrefix}-row-${rowId(row)}`,
            className: 'clickable',
            tabIndex: 0,
            onClick: () => onOpen(row),
            onKeyDown: (event) => {
              if (event.key === 'Enter') onOpen(row);
            },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={columns}
      />
    </div>
  );
}
