import { Button, Flex, Modal, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { DataTable } from '../../components/DataTable.js';
import { ListPager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import {
  CLASSIFICATION_TAG_LABELS,
  departmentName,
  formatTime,
} from '../../labels.js';
import {
  ClassifyFieldsMutation,
  SHARING_PAGE_SIZE,
  UnclassifiedFieldsQuery,
} from './operations.js';

type Row = ResultOf<
  typeof UnclassifiedFieldsQuery
>['unclassifiedFields']['nodes'][number];

const tagOptions = Object.entries(CLASSIFICATION_TAG_LABELS).map(
  ([value, text]) => ({ value, label: `${text}（${value}）` }),
);

/**
 * 待分级字段: the department's fields nobody has classified yet, first
 * seen first; one is classified with tags (`classifyFields`). A change
 * other departments depend on becomes a proposal awaiting them.
 */
export function UnclassifiedFieldsPage() {
  const feedback = useFeedback();
  const session = useSession();
  const department = session?.claims.dept ?? '';
  const [paging, setPaging] = usePaging(department);
  const query = useQuery(UnclassifiedFieldsQuery, {
    ownerDepartment: department,
    first: SHARING_PAGE_SIZE,
    after: paging.after,
  });
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const [open, setOpen] = useState<Row | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const list = query.data?.unclassifiedFields ?? null;
  const classify = async () => {
    if (open === null) return;
    setBusy(true);
    try {
      const { data } = await request(ClassifyFieldsMutation, {
        input: [
          {
            coordinate: open.coordinate,
            tags: tags.map((t) => t.trim().toUpperCase()),
          },
        ],
      });
      const review = data.classifyFields[0];
      const proposal = review?.pendingProposal ?? null;
      feedback.showNotice(
        proposal === null
          ? `已将 ${open.coordinate} 分级为 ${tags.join('、')}，各网关数秒内生效。`
          : `${open.coordinate} 的分级会影响其他部门，已生成分级变更提案 ${proposal.id}，待 ${proposal.awaiting.map(departmentName).join('、')} 同意后生效。`,
      );
      setOpen(null);
      await query.reload();
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>待分级字段</Typography.Title>
        <Typography.Text type="secondary">
          {departmentName(department)}
          尚未分级分类的字段（接口定义中没有 class:
          标签，也没有人工分级），最早发现的在前。未分级的字段可能被暂停向其他部门共享。
        </Typography.Text>
      </div>
      <DataTable<Row>
        testid="unclassified"
        rows={list?.nodes ?? null}
        rowKey={(row) => row.coordinate}
        loading={query.loading}
        empty="没有待分级的字段。"
        columns={[
          {
            title: '字段',
            className: 'mono',
            render: (_, row) => row.coordinate,
          },
          {
            title: '提供部门',
            render: (_, row) => row.owners.map(departmentName).join('、'),
          },
          {
            title: '首次发现',
            className: 'nowrap',
            render: (_, row) => formatTime(row.firstSeenAt),
          },
          {
            title: '操作',
            render: (_, row) =>
              row.pendingProposal === null ? (
                <Button
                  size="small"
                  data-testid={`classify-${row.coordinate}`}
                  onClick={() => {
                    setTags([]);
                    setOpen(row);
                  }}
                >
                  分级
                </Button>
              ) : (
                <Tag color="processing">
                  提案 {row.pendingProposal.id} 待{' '}
                  {row.pendingProposal.awaiting.map(departmentName).join('、')}{' '}
                  同意
                </Tag>
              ),
          },
        ]}
        footer={
          <ListPager
            list={list}
            state={paging}
            onChange={setPaging}
            withheld={withheld}
          />
        }
      />
      <Modal
        open={open !== null}
        title={`为 ${open?.coordinate ?? ''} 分级`}
        okText="保存分级"
        cancelText="取消"
        okButtonProps={{
          disabled: tags.length === 0,
          loading: busy,
          ...({ 'data-testid': 'classify-save' } as Record<string, string>),
        }}
        onOk={() => void classify()}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <label htmlFor="classify-tags">
            分类分级标签（可选择，也可输入其他大写标签）
          </label>
          <Select
            id="classify-tags"
            mode="tags"
            data-testid="classify-tags"
            value={tags}
            options={tagOptions}
            onChange={(value: string[]) => setTags(value)}
            tokenSeparators={[',', ' ']}
          />
        </Flex>
      </Modal>
    </Flex>
  );
}
