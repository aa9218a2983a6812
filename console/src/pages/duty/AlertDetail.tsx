import {
  Button,
  Descriptions,
  Empty,
  Flex,
  Input,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { DetailTable } from '../../components/DetailTable.js';
import { useFeedback } from '../../feedback.js';
import type { EnumOf } from '../../graphql/graphql.js';
import {
  ALERT_STATUS_LABELS,
  DELIVERY_CHANNEL_LABELS,
  DELIVERY_FAILURE_LABELS,
  DELIVERY_STATUS_LABELS,
  POLLUTION_SOURCE_LABELS,
  formatSeconds,
  label,
} from '../../labels.js';
import {
  ALERT_ACTION_LABELS,
  alertSteps,
  type AlertStep,
} from './alertActions.js';
import { AlertLevelTag, AlertStatusTag } from './tags.js';
import {
  AcknowledgeAlertMutation,
  AlertQuery,
  CloseAlertMutation,
  DisposeAlertMutation,
} from './operations.js';

const COMPARATORS: Readonly<Record<EnumOf<'Comparator'>, string>> = {
  LT: '<',
  LTE: '≤',
  GT: '>',
  GTE: '≥',
};

async function perform(
  step: AlertStep,
  id: string,
  comment: string,
): Promise<void> {
  const text = comment.trim() === '' ? null : comment.trim();
  switch (step.action) {
    case 'acknowledge':
      await request(AcknowledgeAlertMutation, { id, comment: text });
      return;
    case 'dispose':
      await request(DisposeAlertMutation, { id, comment: comment.trim() });
      return;
    case 'close':
      await request(CloseAlertMutation, { id, comment: text });
      return;
  }
}

/** One alert: what happened, its readings and suspected sources, its lifecycle and deliveries, the next step. */
export function AlertDetail({
  id,
  onChanged,
}: {
  id: string;
  onChanged: () => void;
}) {
  const feedback = useFeedback();
  const query = useQuery(AlertQuery, { id });
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (query.partialErrors.length > 0)
      feedback.showErrors(query.partialErrors);
  }, [query.error, query.data]);
  const alert = query.data?.alert;
  if (!alert) {
    return query.loading ? (
      <Typography.Text>正在加载…</Typography.Text>
    ) : (
      <Empty description="没有这条预警，或您无权查看。" />
    );
  }
  const act = async (step: AlertStep) => {
    setBusy(true);
    try {
      await perform(step, alert.id, comment);
      setComment('');
      feedback.showNotice(
        `已${ALERT_ACTION_LABELS[step.action]}：${alert.title}（${label(ALERT_STATUS_LABELS, step.to)}）`,
      );
      await query.reload();
      onChanged();
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  const steps = alertSteps(alert.status);
  return (
    <Flex
      vertical
      gap={16}
      data-testid="alert-detail"
      data-status={alert.status}
    >
      <Flex gap={8} wrap align="center">
        <AlertLevelTag level={alert.level} />
        <AlertStatusTag status={alert.status} testid="alert-status" />
        <Typography.Text type="secondary">
          {formatSeconds(alert.raisedAt)}
        </Typography.Text>
      </Flex>
      <Typography.Paragraph>{alert.message}</Typography.Paragraph>
      {steps.length === 0 ? (
        <Typography.Text type="secondary" data-testid="alert-no-actions">
          预警已关闭，无需再处理。
        </Typography.Text>
      ) : (
        <Flex vertical gap={8} data-testid="alert-actions">
          <Input.TextArea
            data-testid="alert-comment"
            aria-label="处理说明"
            placeholder={
              steps.some((s) => s.commentRequired)
                ? '处置说明（必填）：采取了哪些措施'
                : '说明（选填）'
            }
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <Flex gap={8} wrap>
            {steps.map((step) => (
              <Button
                key={step.action}
                type="primary"
                loading={busy}
                data-testid={`alert-${step.action}`}
                onClick={() => void act(step)}
              >
                {ALERT_ACTION_LABELS[step.action]}
              </Button>
            ))}
          </Flex>
        </Flex>
      )}
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          {
            label: '风险项',
            children: `${alert.riskItem.name}（${alert.riskItem.id}）`,
          },
          { label: '地址', children: alert.riskItem.address },
          {
            label: '监测断面',
            children: alert.monitoringSection?.name ?? '—',
          },
          {
            label: '触发阈值',
            children: alert.rule
              ? `${alert.rule.metric} ${COMPARATORS[alert.rule.comparator]} ${String(alert.rule.value)} ${alert.rule.unit}（连续 ${String(alert.rule.windowDays)} 天）`
              : '人工发布',
          },
          {
            label: '已通知',
            children: alert.notifiedParties.join('、') || '—',
          },
          {
            label: '处置措施',
            children:
              alert.riskItem.disposalMeasures.length === 0
                ? '—'
                : alert.riskItem.disposalMeasures
                    .map((m, i) => `${String(i + 1)}. ${m}`)
                    .join('　'),
          },
        ]}
      />
      <DetailTable
        title="超标读数"
        testid="alert-readings"
        rows={alert.triggeringReadings}
        rowKey={(r) => `${r.metric}:${r.measuredAt}`}
        columns={[
          { title: '指标', dataIndex: 'metric' },
          {
            title: '读数',
            dataIndex: 'value',
            render: (_, r) => `${String(r.value)} ${r.unit}`,
          },
          {
            title: '时间',
            dataIndex: 'measuredAt',
            className: 'nowrap',
            render: (_, r) => formatSeconds(r.measuredAt),
          },
        ]}
      />
      <DetailTable
        title="疑似污染源（上游，由近及远）"
        testid="alert-sources"
        rows={alert.suspectedSources}
        rowKey={(s) => s.source.id}
        columns={[
          {
            title: '名称',
            dataIndex: 'source',
            render: (_, s) => s.source.name,
          },
          {
            title: '类型',
            dataIndex: 'kind',
            render: (_, s) => label(POLLUTION_SOURCE_LABELS, s.source.kind),
          },
          {
            title: '上游距离',
            dataIndex: 'distanceKm',
            render: (_, s) => `${s.distanceKm.toFixed(1)} km`,
          },
        ]}
      />
      <div data-testid="alert-events">
        <Typography.Title level={5}>处理记录</Typography.Title>
        <Timeline
          items={alert.events.map((e) => ({
            key: `${e.to}:${e.at}`,
            content: (
              <span>
                {formatSeconds(e.at)} · {e.actor} ·{' '}
                {e.from === null || e.from === undefined
                  ? ''
                  : `${label(ALERT_STATUS_LABELS, e.from)} → `}
                {label(ALERT_STATUS_LABELS, e.to)}
                {e.comment ? `：${e.comment}` : ''}
              </span>
            ),
          }))}
        />
      </div>
      <DetailTable
        title="推送情况"
        testid="alert-deliveries"
        rows={alert.deliveries}
        rowKey={(d) => d.id}
        columns={[
          {
            title: '渠道',
            dataIndex: 'channel',
            render: (_, d) => label(DELIVERY_CHANNEL_LABELS, d.channel),
          },
          { title: '接收方', dataIndex: 'recipient', className: 'mono' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (_, d) => (
              <Tag
                color={
                  d.status === 'DELIVERED'
                    ? 'green'
                    : d.status === 'DEAD'
                      ? 'red'
                      : 'blue'
                }
              >
                {label(DELIVERY_STATUS_LABELS, d.status)}
              </Tag>
            ),
          },
          { title: '尝试次数', dataIndex: 'attempts' },
          {
            title: '失败原因',
            dataIndex: 'failure',
            render: (_, d) =>
              d.failure ? label(DELIVERY_FAILURE_LABELS, d.failure) : '—',
          },
          {
            title: '送达时间',
            dataIndex: 'deliveredAt',
            className: 'nowrap',
            render: (_, d) => formatSeconds(d.deliveredAt),
          },
        ]}
      />
    </Flex>
  );
}
