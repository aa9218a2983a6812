import { RiskBadge, StateBadge } from '../../components/Badges.js';
import { RecordTable } from '../../components/RecordTable.js';
import { readFragment, type FragmentOf } from '../../graphql/graphql.js';
import { departmentName, formatTime } from '../../labels.js';
import { hrefFor, navigate } from '../../router.js';
import { FilingRowFragment } from './operations.js';

/** The filings of a list; a row opens the filing. */
export function FilingTable({
  nodes,
  testidPrefix,
  withNumber,
}: {
  nodes: readonly FragmentOf<typeof FilingRowFragment>[];
  testidPrefix: string;
  withNumber: boolean;
}) {
  const rows = nodes.map((node) => readFragment(FilingRowFragment, node));
  type Row = (typeof rows)[number];
  return (
    <RecordTable<Row>
      rows={rows}
      rowKey={(row) => row.id}
      rowId={(row) => row.id}
      onOpen={(row) => navigate(hrefFor('filing', row.id))}
      testidPrefix={testidPrefix}
      empty="没有符合条件的备案。"
      columns={[
        { title: '编号', dataIndex: 'id', className: 'mono', width: 130 },
        {
          title: '名称',
          dataIndex: 'name',
          render: (_, row) => (
            <a href={hrefFor('filing', row.id)}>{row.name}</a>
          ),
        },
        {
          title: '备案主体',
          dataIndex: 'ownerDepartment',
          render: (_, row) => departmentName(row.ownerDepartment),
        },
        {
          title: '状态',
          dataIndex: 'state',
          render: (_, row) => <StateBadge state={row.state} />,
        },
        {
          title: '风险等级',
          dataIndex: 'riskCategory',
          render: (_, row) => <RiskBadge risk={row.riskCategory} />,
        },
        ...(withNumber
          ? [
              {
                title: '备案编号',
                dataIndex: 'filingNumber',
                render: (_: unknown, row: Row) => row.filingNumber ?? '—',
              },
            ]
          : []),
        {
          title: '更新时间',
          dataIndex: 'updatedAt',
          className: 'nowrap',
          render: (_, row) => formatTime(row.updatedAt),
        },
      ]}
    />
  );
}
