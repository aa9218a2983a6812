import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Row,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import {
  allowedFilingActions,
  type OfferedAction,
} from '../../api/allowedActions.js';
import { RequestError, request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { REVIEWER_ROLES } from '../../roles.js';
import { RiskBadge, StateBadge } from '../../components/Badges.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import {
  FILING_ACTION_LABELS,
  HISTORY_LABELS,
  RISK_LABELS,
  STATE_LABELS,
  departmentName,
  formatTime,
  label,
} from '../../labels.js';
import { EvidenceList, EvidenceUpload } from './Evidence.js';
import { InputsByDepartment } from './InputsByDepartment.js';
import { FilingQuery, TransitionMutation } from './operations.js';

type Filing = NonNullable<ResultOf<typeof FilingQuery>['algorithmFiling']>;

function Prose({ text, testid }: { text: string; testid: string }) {
  return (
    <Typography.Paragraph className="prose" data-testid={testid}>
      {text === '' ? '—' : text}
    </Typography.Paragraph>
  );
}

function History({ history }: { history: Filing['history'] }) {
  return (
    <Timeline
      data-testid="history"
      items={history.map((event) => ({
        key: `${event.at}-${event.action}`,
        content: (
          <div data-testid="history-item" data-action={event.action}>
            <Flex gap={6} wrap align="center">
              <strong>{label(HISTORY_LABELS, event.action)}</strong>
              {event.fromState ? (
                <>
                  <StateBadge state={event.fromState} />
                  <span>→</span>
                </>
              ) : null}
              <StateBadge state={event.toState} />
              <Typography.Text type="secondary">
                <time dateTime={event.at}>{formatTime(event.at)}</time>
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary">
              {event.actor} · {departmentName(event.actorDepartment)} · 第{' '}
              {event.revision} 版
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

/** A `data-testid` for props objects whose type names no data attributes. */
const testid = (id: string): Record<string, string> => ({ 'data-testid': id });

function ActionPanel({
  filing,
  onDone,
  onReload,
}: {
  filing: Filing;
  onDone: (notice: string) => Promise<void>;
  onReload: () => Promise<void>;
}) {
  const session = useSession();
  const feedback = useFeedback();
  const { modal } = App.useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const actions =
    session === null ? [] : allowedFilingActions(filing, session.claims);
  if (actions.length === 0) {
    return (
      <Card title="审核操作">
        <Typography.Text type="secondary" data-testid="no-actions">
          当前状态（{label(STATE_LABELS, filing.state)}）下您没有可执行的操作。
        </Typography.Text>
      </Card>
    );
  }
  const run = async (offered: OfferedAction): Promise<void> => {
    setBusy(true);
    feedback.clear();
    try {
      const { data } = await request(TransitionMutation, {
        id: filing.id,
        action: offered.action,
        version: filing.version,
        comment: comment.trim() === '' ? null : comment.trim(),
      });
      const result = data.transitionAlgorithmFiling;
      setComment('');
      await onDone(
        `已${FILING_ACTION_LABELS[offered.action]}：${filing.id} 当前状态为“${label(STATE_LABELS, result.state)}”${
          result.filingNumber ? `，备案编号 ${result.filingNumber}` : ''
        }。`,
      );
    } catch (error) {
      // Someone changed the filing first: show its state now (the history
      // says who did what) beside the error.
      if (error instanceof RequestError && error.codes.includes('CONFLICT')) {
        await onReload();
      }
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  const ask = (offered: OfferedAction): void => {
    if (!offered.irreversible) {
      void run(offered);
      return;
    }
    const name = FILING_ACTION_LABELS[offered.action];
    void modal.confirm({
      title: `确认${name}？`,
      content:
        offered.action === 'FILE'
          ? `将为“${filing.name}”发放备案编号，此操作不可撤销。`
          : `“${filing.name}”注销后不可恢复，其算法身份将不能再读取数据。`,
      okText: `确认${name}`,
      cancelText: '取消',
      okButtonProps: {
        danger: offered.action === 'RETIRE',
        ...testid('confirm-ok'),
      },
      cancelButtonProps: testid('confirm-cancel'),
      onOk: () => run(offered),
    });
  };
  return (
    <Card title="审核操作">
      <Flex vertical gap={8}>
        <label htmlFor="comment">备注 / 审核意见</label>
        <Input.TextArea
          id="comment"
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder="填写审核意见。退回、驳回变更、暂停和注销须说明理由，意见记入备案历史。"
          data-testid="comment"
        />
        <Flex gap={8} wrap data-testid="actions">
          {actions.map((offered) => (
            <Button
              key={offered.action}
              data-testid={`action-${offered.action}`}
              type={
                offered.action === 'FILE' || offered.action === 'APPROVE_CHANGE'
                  ? 'primary'
                  : 'default'
              }
              danger={
                offered.action === 'RETIRE' || offered.action === 'SUSPEND'
              }
              disabled={busy}
              title={offered.needsComment ? '须填写意见' : undefined}
              onClick={() => ask(offered)}
            >
              {FILING_ACTION_LABELS[offered.action]}
              {offered.needsComment ? <span aria-hidden="true"> *</span> : null}
            </Button>
          ))}
        </Flex>
        <Typography.Text type="secondary" className="small">
          操作基于第 {filing.version}{' '}
          版记录提交；若他人已先行处理，将提示状态冲突，请刷新后重试。带 *
          的操作须填写意见；通过备案和注销前会请您确认。
        </Typography.Text>
      </Flex>
    </Card>
  );
}

/** 备案详情: one filing, its current revision, evidence, history and the reviewer's actions. */
export function FilingPage({ id }: { id: string }) {
  const feedback = useFeedback();
  const session = useSession();
  // The review queue is a reviewer's page; a filer comes from the registry.
  const reviewer =
    session?.claims.roles.some((r) =>
      (REVIEWER_ROLES as readonly string[]).includes(r),
    ) ?? false;
  const query = useQuery(FilingQuery, { id });
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (query.partialErrors.length > 0)
      feedback.showErrors(query.partialErrors);
  }, [query.error, query.data]);
  const filing = query.data?.algorithmFiling;
  if (query.data === null) {
    return (
      <Typography.Text type="secondary">
        {query.loading ? '正在加载…' : ''}
      </Typography.Text>
    );
  }
  if (!filing) {
    return (
      <Flex vertical>
        <Typography.Title level={3}>备案详情</Typography.Title>
        <Empty description={`未找到备案 ${id}，或您无权查看。`} />
      </Flex>
    );
  }
  const revision = filing.currentRevision;
  const approved = filing.approvedRevision;
  const changes =
    approved !== null && approved.revision !== revision.revision
      ? new Set(approved.inputs.map((i) => i.coordinate))
      : null;
  const removed =
    changes === null
      ? []
      : [...changes].filter(
          (c) => !revision.inputs.some((i) => i.coordinate === c),
        );
  return (
    <Flex vertical gap={16}>
      <Breadcrumb
        items={[
          ...(reviewer ? [{ title: <a href="#/queue">审核队列</a> }] : []),
          { title: <a href="#/registry">备案目录</a> },
          { title: filing.id },
        ]}
      />
      <Card data-testid="filing-header">
        <Flex justify="space-between" wrap gap={8}>
          <div>
            <Typography.Text
              type="secondary"
              className="mono"
              data-testid="filing-id"
            >
              {filing.id}
            </Typography.Text>
            <Typography.Title
              level={3}
              data-testid="filing-name"
              className="filing-name"
            >
              {filing.name}
            </Typography.Title>
          </div>
          <Flex gap={4} align="start">
            <StateBadge state={filing.state} testid="filing-state" />
            <RiskBadge risk={filing.riskCategory} testid="filing-risk" />
          </Flex>
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            [
              '备案主体',
              <span data-testid="filing-owner">
                {departmentName(filing.ownerDepartment)}
              </span>,
            ],
            ['安全责任人', filing.safetyOfficer],
            ['服务形式', filing.serviceForm],
            ['应用领域', filing.domain],
            ['算法类型', filing.algorithmType],
            ['风险等级', label(RISK_LABELS, filing.riskCategory)],
            [
              '备案编号',
              <span data-testid="filing-number">
                {filing.filingNumber ?? '尚未发放'}
              </span>,
            ],
            ['提交人', filing.submittedBy ?? '—'],
            ['审核人', filing.reviewer ?? '—'],
            ['备案时间', formatTime(filing.filedAt)],
            ['下次复审', formatTime(filing.nextReviewAt)],
            ['数据读取', filing.mayRead ? '允许（按已批准版本）' : '不允许'],
            [
              '记录版本',
              <span data-testid="filing-version">v{filing.version}</span>,
            ],
          ].map(([title, value], index) => ({
            key: String(index),
            label: title,
            children: value,
          }))}
        />
        {filing.reviewFlaggedAt ? (
          <Typography.Text type="warning">
            年度复审已到期提醒（{formatTime(filing.reviewFlaggedAt)}）。
          </Typography.Text>
        ) : null}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <Card
              title={`当前版本（第 ${String(revision.revision)} 版${
                approved
                  ? approved.revision === revision.revision
                    ? '，已批准'
                    : `；已批准版本为第 ${String(approved.revision)} 版`
                  : '，尚未批准'
              }）`}
            >
              <Typography.Title level={5}>用途与影响</Typography.Title>
              <Prose
                text={revision.purposeAndImpact}
                testid="purpose-and-impact"
              />
              <Typography.Title level={5}>运行机理</Typography.Title>
              <Prose text={revision.operatingLogic} testid="operating-logic" />
              <Typography.Title level={5}>
                数据输入（{revision.inputs.length} 项）
              </Typography.Title>
              <InputsByDepartment inputs={revision.inputs} approved={changes} />
              {removed.length > 0 ? (
                <Typography.Text type="secondary">
                  本次变更删除的数据项：{removed.join('、')}
                </Typography.Text>
              ) : null}
              <Typography.Title level={5}>输出</Typography.Title>
              <ul data-testid="outputs">
                {revision.outputs.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
              <Typography.Title level={5}>法律依据</Typography.Title>
              <Prose text={revision.legalBasis} testid="legal-basis" />
              <Typography.Title level={5}>人工干预</Typography.Title>
              <Prose text={revision.humanOversight} testid="human-oversight" />
              <Typography.Title level={5}>自评估</Typography.Title>
              <Prose text={revision.selfAssessment} testid="self-assessment" />
              <Descriptions
                size="small"
                column={1}
                items={[
                  {
                    key: 'm',
                    label: '模型版本',
                    children: revision.modelVersions.join('、') || '—',
                  },
                  {
                    key: 'd',
                    label: '部署地址',
                    children: (
                      <span className="mono">
                        {revision.deploymentEndpoint}
                      </span>
                    ),
                  },
                  {
                    key: 'c',
                    label: '版本提交人',
                    children: revision.createdBy,
                  },
                  {
                    key: 't',
                    label: '版本时间',
                    children: formatTime(revision.createdAt),
                  },
                ]}
              />
            </Card>
            <Card
              title={`证明材料（${String(revision.evidence.length)} 份）`}
              data-testid="evidence-card"
            >
              <Flex vertical gap={16}>
                <EvidenceList evidence={revision.evidence} />
                {filing.mayEditDraft ? (
                  <EvidenceUpload
                    filingId={filing.id}
                    version={filing.version}
                    onUploaded={async (notice) => {
                      await query.reload();
                      feedback.showNotice(notice);
                    }}
                  />
                ) : null}
              </Flex>
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <ActionPanel
              filing={filing}
              onDone={async (notice) => {
                await query.reload();
                feedback.showNotice(notice);
              }}
              onReload={query.reload}
            />
            <Card title={`历史（${String(filing.history.length)}）`}>
              <History history={filing.history} />
            </Card>
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
