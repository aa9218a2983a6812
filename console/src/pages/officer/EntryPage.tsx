import {
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { RequestError, request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { useFeedback } from '../../feedback.js';
import { readFragment, type ResultOf } from '../../graphql/graphql.js';
import {
  ENTRY_ACTION_LABELS,
  ENTRY_STATUS_LABELS,
  departmentName,
  formatTime,
  label,
} from '../../labels.js';
import { hrefFor } from '../../router.js';
import { EntryStatusBadge, ShareClassBadge } from './badges.js';
import { EntryDiff } from './EntryDiff.js';
import { EntryImpact } from './EntryImpact.js';
import {
  ApproveEntryMutation,
  EntryQuery,
  EntryVersionFragment,
  ReturnEntryMutation,
  RevokeEntryMutation,
  SubmitEntryMutation,
} from './operations.js';

type Entry = NonNullable<ResultOf<typeof EntryQuery>['negativeListEntry']>;
type Version = Entry['versions'][number];
type Row = ResultOf<typeof EntryVersionFragment>;

/** What the signed-in officer may do with a version, and why not. */
interface Offer {
  readonly submit: boolean;
  readonly review: boolean;
  readonly revoke: boolean;
  /** Why the officer cannot review a version in review, or null. */
  readonly reviewBlocked: string | null;
}

/**
 * The actions offered: approve and return only for versions the server
 * lists in the caller's review queue (never the author's own: four eyes);
 * submit for the author's draft; revoke for the version in force.
 */
function offerFor(
  row: Row,
  me: string,
  queue: readonly { id: string; version: number }[],
): Offer {
  const inQueue = queue.some(
    (q) => q.id === row.id && q.version === row.version,
  );
  return {
    submit: row.status === 'DRAFT' && row.author === me,
    review: row.status === 'IN_REVIEW' && inQueue,
    revoke: row.status === 'ACTIVE',
    reviewBlocked:
      row.status !== 'IN_REVIEW' || inQueue
        ? null
        : row.author === me
          ? '您是该版本的起草人：须由本部门另一位数据专员审核（四眼原则，规则 governance:four-eyes）。'
          : '该版本不在您的待审核列表中。',
  };
}

function History({ version }: { version: Version }) {
  return (
    <Timeline
      data-testid="entry-history"
      items={version.history.map((event) => ({
        key: `${event.at}-${event.action}`,
        content: (
          <div data-testid="entry-history-item" data-action={event.action}>
            <Flex gap={6} wrap align="center">
              <strong>{label(ENTRY_ACTION_LABELS, event.action)}</strong>
              {event.fromStatus ? (
                <>
                  <EntryStatusBadge status={event.fromStatus} />
                  <span>→</span>
                </>
              ) : null}
              <EntryStatusBadge status={event.toStatus} />
              <Typography.Text type="secondary">
                <time dateTime={event.at}>{formatTime(event.at)}</time>
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary">
              {event.actor} · {departmentName(event.actorDepartment)} · 修订{' '}
              {event.revision}
            </Typography.Text>
            {event.comment ? (
              <blockquote className="comment">{event.comment}</blockquote>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

function Actions({
  version,
  offer,
  onDone,
  onReload,
}: {
  version: Row;
  offer: Offer;
  onDone: (notice: string) => Promise<void>;
  onReload: () => Promise<void>;
}) {
  const feedback = useFeedback();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const args = {
    id: version.id,
    version: version.version,
    expectedRevision: version.revision,
  };
  const run = async (
    what: string,
    call: () => Promise<{ status: string }>,
  ): Promise<void> => {
    setBusy(true);
    feedback.clear();
    try {
      const result = await call();
      setComment('');
      await onDone(
        `已${what}：${version.id} 第 ${String(version.version)} 版，当前状态为“${label(ENTRY_STATUS_LABELS, result.status)}”。`,
      );
    } catch (error) {
      if (error instanceof RequestError && error.codes.includes('CONFLICT')) {
        await onReload();
      }
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  const text = comment.trim();
  const none = !offer.submit && !offer.review && !offer.revoke;
  return (
    <Card title="操作" data-testid="entry-actions">
      <Flex vertical gap={8}>
        {offer.reviewBlocked === null ? null : (
          <Typography.Text type="warning" data-testid="entry-review-blocked">
            {offer.reviewBlocked}
          </Typography.Text>
        )}
        {none ? (
          <Typography.Text type="secondary" data-testid="entry-no-actions">
            当前状态（{label(ENTRY_STATUS_LABELS, version.status)}
            ）下您没有可执行的操作。
          </Typography.Text>
        ) : (
          <>
            <Input.TextArea
              data-testid="entry-comment"
              placeholder="审核意见（退回、撤销时必填）"
              rows={2}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <Flex gap={8} wrap>
              {offer.submit ? (
                <Button
                  type="primary"
                  data-testid="entry-submit"
                  loading={busy}
                  onClick={() =>
                    void run(
                      '提交审核',
                      async () =>
                        (
                          await request(SubmitEntryMutation, {
                            ...args,
                            comment: text === '' ? null : text,
                          })
                        ).data.submitNegativeListEntry,
                    )
                  }
                >
                  提交审核
                </Button>
              ) : null}
              {offer.review ? (
                <>
                  <Button
                    type="primary"
                    data-testid="entry-approve"
                    loading={busy}
                    onClick={() =>
                      void run(
                        '审核通过并发布',
                        async () =>
                          (
                            await request(ApproveEntryMutation, {
                              ...args,
                              comment: text === '' ? null : text,
                            })
                          ).data.approveNegativeListEntry,
                      )
                    }
                  >
                    审核通过并发布
                  </Button>
                  <Button
                    data-testid="entry-return"
                    loading={busy}
                    onClick={() =>
                      void run(
                        '退回',
                        async () =>
                          (
                            await request(ReturnEntryMutation, {
                              ...args,
                              comment: text,
                            })
                          ).data.returnNegativeListEntry,
                      )
                    }
                  >
                    退回修改
                  </Button>
                </>
              ) : null}
              {offer.revoke ? (
                <Button
                  danger
                  data-testid="entry-revoke"
                  loading={busy}
                  onClick={() =>
                    void run(
                      '撤销',
                      async () =>
                        (
                          await request(RevokeEntryMutation, {
                            ...args,
                            comment: text,
                          })
                        ).data.revokeNegativeListEntry,
                    )
                  }
                >
                  撤销条目
                </Button>
              ) : null}
            </Flex>
          </>
        )}
      </Flex>
    </Card>
  );
}

/** 负面清单条目: its versions, the chosen version's content, history and actions. */
export function EntryPage({ id }: { id: string }) {
  const session = useSession();
  const feedback = useFeedback();
  const query = useQuery(EntryQuery, { id });
  const [chosen, setChosen] = useState<number | null>(null);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
  }, [query.error]);
  const entry = query.data?.negativeListEntry;
  if (entry === undefined || entry === null) {
    return (
      <Typography.Text type="secondary" data-testid="entry-missing">
        {query.loading ? '正在加载…' : `没有条目 ${id}，或您无权查看。`}
      </Typography.Text>
    );
  }
  const versions = entry.versions;
  const current =
    versions.find(
      (v) => readFragment(EntryVersionFragment, v).version === chosen,
    ) ?? versions.at(-1);
  if (current === undefined) return null;
  const row = readFragment(EntryVersionFragment, current);
  const queue = query.data?.reviewQueue.nodes ?? [];
  const offer = offerFor(row, session?.claims.sub ?? '', queue);
  const rows = versions.map((v) => readFragment(EntryVersionFragment, v));
  return (
    <Flex vertical gap={16}>
      <Breadcrumb
        items={[
          { title: <a href={hrefFor('negative-list')}>负面清单</a> },
          { title: entry.id },
        ]}
      />
      <Flex gap={8} wrap align="center">
        <Typography.Title level={3} className="entry-title">
          {entry.id}
        </Typography.Title>
        <span data-testid="entry-status">
          <EntryStatusBadge status={row.status} />
        </span>
        <ShareClassBadge shareClass={row.shareClass} />
        <Typography.Text type="secondary">
          {departmentName(entry.ownerDepartment)} · 生效版本{' '}
          {entry.active ? `v${String(entry.active.version)}` : '无'}
        </Typography.Text>
      </Flex>
      <Card title="版本" size="small">
        <Table
          data-testid="entry-versions"
          rowKey="version"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={rows}
          rowClassName={(r) =>
            r.version === row.version ? 'selected-row' : ''
          }
          onRow={(r) => ({
            onClick: () => setChosen(r.version),
            className: 'clickable',
          })}
          columns={[
            { title: '版本', render: (_, r) => `v${String(r.version)}` },
            {
              title: '状态',
              render: (_, r) => <EntryStatusBadge status={r.status} />,
            },
            { title: '起草人', render: (_, r) => r.author },
            { title: '审核人', render: (_, r) => r.approver ?? '—' },
            {
              title: '更新时间',
              className: 'nowrap',
              render: (_, r) => formatTime(r.updatedAt),
            },
          ]}
        />
      </Card>
      <Card
        title={`第 ${String(row.version)} 版（修订 ${String(row.revision)}）`}
      >
        <Descriptions
          column={1}
          size="small"
          items={[
            {
              key: 'selector',
              label: '选择器',
              children: (
                <Flex gap={4} wrap data-testid="entry-selector">
                  {row.selector.coordinates.map((c) => (
                    <Tag key={c} className="mono">
                      {c}
                    </Tag>
                  ))}
                  {row.selector.types.map((c) => (
                    <Tag key={`t-${c}`} color="blue" className="mono">
                      类型 {c}
                    </Tag>
                  ))}
                  {row.selector.tags.map((c) => (
                    <Tag key={`g-${c}`} color="purple" className="mono">
                      标签 {c}
                    </Tag>
                  ))}
                </Flex>
              ),
            },
            {
              key: 'coverage',
              label: '覆盖的字段',
              children: current.coverage.join('，') || '—',
            },
            { key: 'priority', label: '优先级', children: row.priority },
            { key: 'legalBasis', label: '法律依据', children: row.legalBasis },
            { key: 'reason', label: '理由', children: row.reason },
            { key: 'author', label: '起草人', children: row.author },
            { key: 'approver', label: '审核人', children: row.approver ?? '—' },
            {
              key: 'window',
              label: '有效期',
              children: `${formatTime(current.validFrom)} 至 ${current.validUntil ? formatTime(current.validUntil) : '长期'}`,
            },
          ]}
        />
        {current.contradictions.map((c) => (
          <Typography.Paragraph
            key={`${c.kind}-${c.message}`}
            type="warning"
            data-testid="entry-contradiction"
          >
            矛盾（{c.kind}）：{c.message}
          </Typography.Paragraph>
        ))}
      </Card>
      {row.status === 'DRAFT' || row.status === 'IN_REVIEW' ? (
        <EntryImpact
          key={`impact-${String(row.version)}`}
          id={entry.id}
          version={row.version}
        />
      ) : null}
      {rows.length > 1 ? (
        <EntryDiff id={entry.id} versions={rows.map((r) => r.version)} />
      ) : null}
      <Actions
        key={`${row.version}-${String(row.revision)}`}
        version={row}
        offer={offer}
        onReload={query.reload}
        onDone={async (notice) => {
          await query.reload();
          feedback.showNotice(notice);
        }}
      />
      <Card title="历史">
        <History version={current} />
      </Card>
    </Flex>
  );
}
