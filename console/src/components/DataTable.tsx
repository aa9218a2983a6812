import { Empty, Table, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes, Key, ReactNode } from 'react';

/**
 * A list of a page: "正在加载…" until its rows came, an empty note, or a
 * table that scrolls inside itself at narrow widths, each row with a test
 * id `<testid>-row-<key>` and, when `onOpen` is given, opened by a click
 * or Enter. The console's lists share it rather than repeating the shape.
 */
export function DataTable<Row extends object>({
  testid,
  rows,
  rowKey,
  columns,
  loading,
  empty,
  onOpen,
  rowAttributes,
  rowTestid = `${testid}-row`,
  footer,
}: {
  /** Test ids: `<testid>-table`, `<testid>-empty`, `<rowTestid>-<key>`. */
  testid: string;
  /** The rows' test id before their key; default `<testid>-row`. */
  rowTestid?: string;
  /** `null` while nothing came back yet. */
  rows: readonly Row[] | null;
  rowKey: (row: Row) => string;
  columns: TableColumnsType<Row>;
  loading: boolean;
  /** What an empty list says. */
  empty: string;
  /** Opens a row (click or Enter). */
  onOpen?: (row: Row) => void;
  /** More `data-*` attributes of a row (what a test or style reads). */
  rowAttributes?: (row: Row) => Record<`data-${string}`, string>;
  /** Below the table: paging, counts. */
  footer?: ReactNode;
}) {
  if (rows === null) {
    return (
      <Typography.Text type="secondary">
        {loading ? '正在加载…' : ''}
      </Typography.Text>
    );
  }
  if (rows.length === 0) {
    return (
      <>
        <Empty data-testid={`${testid}-empty`} description={empty} />
        {footer}
      </>
    );
  }
  return (
    <div data-testid={`${testid}-table`}>
      <Table<Row>
        rowKey={(row): Key => rowKey(row)}
        dataSource={[...rows]}
        pagination={false}
        size="middle"
        loading={loading}
        scroll={{ x: 'max-content' }}
        onRow={(row) =>
          ({
            'data-testid': `${rowTestid}-${rowKey(row)}`,
            ...rowAttributes?.(row),
            ...(onOpen === undefined
              ? {}
              : {
                  className: 'clickable',
                  tabIndex: 0,
                  onClick: () => onOpen(row),
                  onKeyDown: (event: React.KeyboardEvent) => {
                    if (event.key === 'Enter') onOpen(row);
                  },
                }),
          }) as HTMLAttributes<HTMLElement>
        }
        columns={columns}
      />
      {footer}
    </div>
  );
}
