import { Button, Flex, Input, Modal, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { DataTable } from '../../components/DataTable.js';
import { ListPager, pagingErrors, usePaging } from '../../components/Pager.js';
import { useFeedback } from '../../feedback.js';
import { readFragment, type ResultOf } from '../../graphql/graphql.js';
import {
  GRANT_ACTION_LABELS,
  MASK_LABELS,
  departmentName,
  formatTime,
  label,
} from '../../labels.js';
import { hrefFor, navigate, type Route } from '../../router.js';
import { GrantStateBadge } from './badges.js';
import {
  GrantFragment,
  GrantsQuery,
  RevokeGrantMutation,
  SHARING_PAGE_SIZE,
} from './operations.js';
import { EXPIRING_SOON_DAYS, grantState } from './sharing.js';

type Grant = ResultOf<typeof GrantFragment>;

const scopeOptions = [
  { value: '', label: '全部授权' },
  { value: 'in-force', label: '生效中' },
];

/**
 * 共享授权: the grants of the department's data, each with its expiry
 * (expired, expiring within 30 days), its masks and row filter; one in
 * force can be revoked, saying why, after a confirmation.
 */
export function GrantsPage({ route }: { route: Route }) {
  const feedback = useFeedback();
  const session = useSession();
  const department = session?.claims.dept ?? '';
  const scope = route.params.get('scope') ?? '';
  const selected = route.params.get('grant');
  const [paging, setPaging] = usePaging(scope);
  const query = useQuery(GrantsQuery, {
    ownerDepartment: department,
    inForce: scope === 'in-force' ? true : null,
    first: SHARING_PAGE_SIZE,
    after: paging.after,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.data]);
  const { withheld, other } = pagingErrors(query.partialErrors);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data]);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const list = query.data?.grants ?? null;
  const rows =
    list === null
      ? null
      : list.nodes.map((n) => readFragment(GrantFragment, n));
  const revoke = async () => {
    if (revoking === null) return;
    setBusy(true);
    try {
      await request(RevokeGrantMutation, {
        id: revoking.id,
        reason: reason.trim(),
      });
      feedback.showNotice(`已撤销授权 ${revoking.id}，各网关将立即停止放行。`);
      setRevoking(null);
      setReason('');
      await query.reload();
    } catch (error) {
      feedback.showError(error);
      setRevoking(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>共享授权</Typography.Title>
        <Typography.Text type="secondary">
          {departmentName(department)}
          向其他部门签发的有条件共享授权：到期（{EXPIRING_SOON_DAYS}{' '}
          天内到期的有标记）、脱敏和行过滤；撤销即时生效。
        </Typography.Text>
      </div>
      <Flex gap={8} wrap>
        <Select
          aria-label="授权范围"
          data-testid="grant-scope-filter"
          className="filter"
          value={scope}
          options={scopeOptions}
          onChange={(value: string) =>
            navigate(hrefFor('grants', null, { scope: value }))
          }
        />
      </Flex>
      <DataTable<Grant>
        testid="grants"
        rows={rows}
        rowKey={(row) => row.id}
        loading={query.loading}
        empty="没有符合条件的授权。"
        rowAttributes={(row) => ({
          'data-state': grantState(row, now),
          'data-selected': String(row.id === selected),
        })}
        columns={[
          {
            title: '编号',
            className: 'mono nowrap',
            render: (_, row) =>
              row.id === selected ? <Tag color="blue">{row.id}</Tag> : row.id,
          },
          {
            title: '被授权部门',
            render: (_, row) => departmentName(row.consumerDepartment),
          },
          { title: '用途', className: 'mono', render: (_, row) => row.purpose },
          {
            title: '字段、脱敏与行过滤',
            render: (_, row) => (
              <Flex gap={4} wrap className="grant-scope">
                {row.coordinates.map((c) => {
                  const mask = row.masks.find((m) => m.coordinate === c);
                  return (
                    <Tag
                      key={c}
                      className="mono"
                      color={mask === undefined ? 'default' : 'gold'}
                    >
                      {c}
                      {mask === undefined
                        ? ''
                        : `（${label(MASK_LABELS, mask.mask)}）`}
                    </Tag>
                  );
                })}
                {row.rowFilter === null ? null : (
                  <Typography.Text
                    className="mono small break"
                    data-testid="grant-row-filter"
                  >
                    行过滤 {row.rowFilter}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: '到期',
            render: (_, row) => (
              <Flex gap={4} wrap align="center">
                <span className="nowrap">{formatTime(row.expiresAt)}</span>
                <GrantStateBadge state={grantState(row, now)} />
              </Flex>
            ),
          },
          {
            title: '来源',
            className: 'nowrap',
            render: (_, row) =>
              row.requestId === null ? (
                '—'
              ) : (
                <a
                  href={hrefFor('share-requests', null, {
                    status: 'ALL',
                    request: row.requestId,
                  })}
                  className="mono"
                >
                  {row.requestId}
                </a>
              ),
          },
          {
            title: '操作',
            render: (_, row) =>
              row.allowedActions.includes('REVOKE') ? (
                <Button
                  size="small"
                  danger
                  data-testid={`grant-revoke-${row.id}`}
                  onClick={() => {
                    setReason('');
                    setRevoking(row);
                  }}
                >
                  {GRANT_ACTION_LABELS.REVOKE}
                </Button>
              ) : row.revoked ? (
                <Typography.Text type="secondary" className="small">
                  {row.revokedBy ?? '—'} 于 {formatTime(row.revokedAt)} 撤销
                  {row.revocationReason === null
                    ? ''
                    : `：${row.revocationReason}`}
                </Typography.Text>
              ) : null,
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
        open={revoking !== null}
        title={`确认撤销授权 ${revoking?.id ?? ''}？`}
        okText="确认撤销"
        cancelText="取消"
        okButtonProps={{
          danger: true,
          disabled: reason.trim() === '',
          loading: busy,
          ...({ 'data-testid': 'confirm-ok' } as Record<string, string>),
        }}
        onOk={() => void revoke()}
        onCancel={() => setRevoking(null)}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Typography.Text>
            撤销后{departmentName(revoking?.consumerDepartment)}
            立即无法再读取这些字段，且不可恢复；如需恢复须重新申请。
          </Typography.Text>
          <label htmlFor="revoke-reason">撤销理由（必填）</label>
          <Input.TextArea
            id="revoke-reason"
            rows={3}
            data-testid="revoke-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Flex>
      </Modal>
    </Flex>
  );
}
