import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Input,
  Select,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { RequestError, request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useFeedback } from '../../feedback.js';
import { readFragment, type EnumOf } from '../../graphql/graphql.js';
import {
  MASK_LABELS,
  SHARE_REQUEST_ACTION_LABELS,
  departmentName,
  formatTime,
  label,
} from '../../labels.js';
import { hrefFor } from '../../router.js';
import { DueMark, ShareRequestStatusBadge } from './badges.js';
import {
  ApproveShareRequestMutation,
  GrantFragment,
  RejectShareRequestMutation,
  ShareRequestQuery,
  WithdrawShareRequestMutation,
} from './operations.js';
import {
  dateInChina,
  endOfDayInChina,
  rowFilterJson,
  type SimpleRowFilter,
} from './sharing.js';

type Action = EnumOf<'ShareRequestAction'>;
type Mask = EnumOf<'MaskKind'>;

const maskOptions = Object.entries(MASK_LABELS).map(([value, text]) => ({
  value: value as Mask,
  label: text,
}));

const testid = (id: string): Record<string, string> => ({ 'data-testid': id });

/**
 * One share request: what was asked for, why, by when it must be answered;
 * the decision the officer may take (the server's `allowedActions`), an
 * approval narrowed to fewer fields, masks, a row filter and an earlier
 * expiry; the grant it produced.
 */
export function ShareRequestDetail({
  id,
  onDecided,
}: {
  id: string;
  onDecided: () => void;
}) {
  const feedback = useFeedback();
  const { modal } = App.useApp();
  const query = useQuery(ShareRequestQuery, { id });
  const [now] = useState(() => Date.now());
  const [fields, setFields] = useState<string[] | null>(null);
  const [masks, setMasks] = useState<Record<string, Mask | undefined>>({});
  const [rowFilter, setRowFilter] = useState<SimpleRowFilter>({
    field: '',
    op: 'prefix',
    value: '',
  });
  const [expiry, setExpiry] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
  }, [query.error]);
  if (query.loading && query.data === null) {
    return <Typography.Text>正在加载…</Typography.Text>;
  }
  const shareRequest = query.data?.shareRequest;
  if (!shareRequest) return <Empty description="没有这件共享申请。" />;
  const granted = fields ?? shareRequest.coordinates;
  const grant =
    shareRequest.grant === null
      ? null
      : readFragment(GrantFragment, shareRequest.grant);
  const actions = shareRequest.allowedActions;
  const requestedDate = dateInChina(shareRequest.requestedExpiry);

  const decision = () => {
    const chosenMasks = granted.flatMap((coordinate) => {
      const mask = masks[coordinate];
      return mask === undefined ? [] : [{ coordinate, mask }];
    });
    const filter = rowFilterJson(rowFilter);
    return {
      ...(granted.length === shareRequest.coordinates.length
        ? {}
        : { coordinates: granted }),
      ...(chosenMasks.length === 0 ? {} : { masks: chosenMasks }),
      ...(filter === null ? {} : { rowFilter: filter }),
      ...(expiry === '' ? {} : { expiresAt: endOfDayInChina(expiry) }),
      ...(comment.trim() === '' ? {} : { comment: comment.trim() }),
    };
  };

  const run = async (action: Action) => {
    setBusy(true);
    try {
      const expectedRevision = shareRequest.revision;
      if (action === 'APPROVE') {
        const { data } = await request(ApproveShareRequestMutation, {
          id,
          expectedRevision,
          decision: decision(),
        });
        feedback.showNotice(
          `已批准 ${id}，签发授权 ${data.approveShareRequest.grant?.id ?? '—'}。`,
        );
      } else if (action === 'REJECT') {
        await request(RejectShareRequestMutation, {
          id,
          expectedRevision,
          reason: comment.trim(),
        });
        feedback.showNotice(`已驳回 ${id}。`);
      } else {
        await request(WithdrawShareRequestMutation, { id, expectedRevision });
        feedback.showNotice(`已撤回 ${id}。`);
      }
      await query.reload();
      onDecided();
    } catch (error) {
      if (error instanceof RequestError && error.codes.includes('CONFLICT')) {
        await query.reload();
      }
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };

  const ask = (action: Action) => {
    const name = SHARE_REQUEST_ACTION_LABELS[action];
    const d = decision();
    const narrowed = [
      `字段 ${String(granted.length)}/${String(shareRequest.coordinates.length)} 个`,
      d.masks === undefined ? null : `${String(d.masks.length)} 个字段脱敏`,
      d.rowFilter === undefined ? null : `行过滤 ${d.rowFilter}`,
      `有效期至 ${expiry === '' ? requestedDate : expiry}`,
    ]
      .filter((part) => part !== null)
      .join('，');
    void modal.confirm({
      title: `确认${name} ${id}？`,
      content:
        action === 'APPROVE'
          ? `将向${departmentName(shareRequest.consumerDepartment)}签发授权：${narrowed}。决定不可更改；授权可在“共享授权”中撤销。`
          : action === 'REJECT'
            ? `驳回后不可更改，理由将告知${departmentName(shareRequest.consumerDepartment)}。`
            : '撤回后不可恢复。',
      okText: `确认${name}`,
      cancelText: '取消',
      okButtonProps: { danger: action !== 'APPROVE', ...testid('confirm-ok') },
      cancelButtonProps: testid('confirm-cancel'),
      onOk: () => run(action),
    });
  };

  return (
    <Flex vertical gap={16} data-testid="share-request">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="编号">
          <span className="mono">{shareRequest.id}</span>
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          <ShareRequestStatusBadge status={shareRequest.status} />
        </Descriptions.Item>
        <Descriptions.Item label="申请部门">
          {departmentName(shareRequest.consumerDepartment)}（
          {shareRequest.requestedBy}）
        </Descriptions.Item>
        <Descriptions.Item label="负面清单条目">
          <a href={hrefFor('entry', shareRequest.entryId)} className="mono">
            {shareRequest.entryId}
          </a>
        </Descriptions.Item>
        <Descriptions.Item label="用途">
          <span className="mono">{shareRequest.purpose}</span>
          {shareRequest.scenario === null ? null : (
            <Tag className="mono tag-new">{shareRequest.scenario}</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="申请字段">
          <Flex gap={4} wrap>
            {shareRequest.coordinates.map((c) => (
              <Tag key={c} className="mono">
                {c}
              </Tag>
            ))}
          </Flex>
        </Descriptions.Item>
        <Descriptions.Item label="申请理由">
          <span className="prose">{shareRequest.justification}</span>
        </Descriptions.Item>
        <Descriptions.Item label="申请有效期至">
          {formatTime(shareRequest.requestedExpiry)}
        </Descriptions.Item>
        <Descriptions.Item label="申请时间">
          {formatTime(shareRequest.requestedAt)}
        </Descriptions.Item>
        <Descriptions.Item label="答复期限">
          <DueMark request={shareRequest} now={now} />
        </Descriptions.Item>
        {shareRequest.decidedAt === null ? null : (
          <Descriptions.Item label="决定">
            {shareRequest.decidedBy ?? '—'} ·{' '}
            {formatTime(shareRequest.decidedAt)}
            {shareRequest.decisionReason === null ? null : (
              <p className="comment" data-testid="decision-reason">
                {shareRequest.decisionReason}
              </p>
            )}
          </Descriptions.Item>
        )}
        {grant === null ? null : (
          <Descriptions.Item label="授权">
            <a
              href={hrefFor('grants', null, { grant: grant.id })}
              className="mono"
              data-testid="request-grant"
            >
              {grant.id}
            </a>
          </Descriptions.Item>
        )}
      </Descriptions>
      {actions.length === 0 ? null : (
        <Card title="答复" size="small">
          <Flex vertical gap={12}>
            {actions.includes('APPROVE') ? (
              <>
                <Typography.Text type="secondary">
                  批准时可以只给部分字段、对字段脱敏、限定可见的行、提前到期（不得超出申请）。
                </Typography.Text>
                <Flex vertical gap={6}>
                  <Typography.Text strong>批准的字段与脱敏</Typography.Text>
                  <Checkbox.Group
                    data-testid="approve-fields"
                    value={granted}
                    onChange={(value) => setFields(value)}
                  >
                    <Flex vertical gap={6}>
                      {shareRequest.coordinates.map((c) => (
                        <Flex key={c} gap={8} wrap align="center">
                          <Checkbox
                            value={c}
                            data-testid={`approve-field-${c}`}
                            className="mono"
                          >
                            {c}
                          </Checkbox>
                          <Select<Mask>
                            size="small"
                            allowClear
                            placeholder="不脱敏"
                            aria-label={`${c} 的脱敏方式`}
                            data-testid={`approve-mask-${c}`}
                            className="filter"
                            disabled={!granted.includes(c)}
                            value={masks[c] ?? null}
                            options={maskOptions}
                            onChange={(value: Mask | undefined) =>
                              setMasks((m) => ({
                                ...m,
                                [c]: value ?? undefined,
                              }))
                            }
                          />
                        </Flex>
                      ))}
                    </Flex>
                  </Checkbox.Group>
                </Flex>
                <Flex vertical gap={6}>
                  <Typography.Text strong>
                    行过滤（可选：只许看到这些行）
                  </Typography.Text>
                  <Flex gap={8} wrap>
                    <Input
                      className="narrow-input"
                      placeholder="属性，如 regionCode"
                      aria-label="行过滤属性"
                      data-testid="approve-row-field"
                      value={rowFilter.field}
                      onChange={(e) =>
                        setRowFilter((f) => ({ ...f, field: e.target.value }))
                      }
                    />
                    <Select<'eq' | 'prefix'>
                      aria-label="行过滤方式"
                      className="filter"
                      value={rowFilter.op}
                      options={[
                        { value: 'prefix', label: '前缀匹配' },
                        { value: 'eq', label: '等于' },
                      ]}
                      onChange={(op) => setRowFilter((f) => ({ ...f, op }))}
                    />
                    <Input
                      className="narrow-input"
                      placeholder="值，如 500103"
                      aria-label="行过滤值"
                      data-testid="approve-row-value"
                      value={rowFilter.value}
                      onChange={(e) =>
                        setRowFilter((f) => ({ ...f, value: e.target.value }))
                      }
                    />
                  </Flex>
                </Flex>
                <div>
                  <label htmlFor="approve-expiry">
                    <Typography.Text strong>有效期至（可选）</Typography.Text>
                  </label>
                  <Input
                    id="approve-expiry"
                    type="date"
                    className="narrow-input"
                    data-testid="approve-expiry"
                    max={requestedDate}
                    value={expiry}
                    onChange={(e) => setExpiry(e.target.value)}
                  />
                  <Typography.Text type="secondary" className="small">
                    {' '}
                    不填即按申请（{requestedDate}）
                  </Typography.Text>
                </div>
              </>
            ) : null}
            <label htmlFor="decision-comment">意见（驳回须说明理由）</label>
            <Input.TextArea
              id="decision-comment"
              rows={3}
              data-testid="decision-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <Flex gap={8} wrap>
              {actions.map((action) => (
                <Button
                  key={action}
                  data-testid={`action-${action}`}
                  type={action === 'APPROVE' ? 'primary' : 'default'}
                  danger={action === 'REJECT'}
                  loading={busy}
                  onClick={() => ask(action)}
                >
                  {label(SHARE_REQUEST_ACTION_LABELS, action)}
                </Button>
              ))}
            </Flex>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
