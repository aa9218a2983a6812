import { Button, Flex, List, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useFeedback } from '../../feedback.js';
import {
  DELIVERY_FAILURE_LABELS,
  DELIVERY_STATUS_LABELS,
  formatSeconds,
  label,
} from '../../labels.js';
import { RedeliverMutation, WebhooksQuery } from './operations.js';

/** The department's webhooks and the deliveries that failed every attempt. */
export function WebhookPanel({ version }: { version: number }) {
  const feedback = useFeedback();
  const query = useQuery(WebhooksQuery, {});
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (version > 0) void query.reload();
  }, [version]);
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
  }, [query.error]);
  const redeliver = async (id: string) => {
    setBusy(id);
    try {
      const answer = await request(RedeliverMutation, { id });
      feedback.showNotice(
        `已重新投递（${label(DELIVERY_STATUS_LABELS, answer.data.redeliverAlert.status)}）。`,
      );
      await query.reload();
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(null);
    }
  };
  const data = query.data;
  return (
    <Flex vertical gap={8} data-testid="webhooks">
      <Typography.Title level={4}>Webhook 推送</Typography.Title>
      {data === null ? (
        <Typography.Text type="secondary">
          {query.loading ? '正在加载…' : ''}
        </Typography.Text>
      ) : (
        <>
          <Typography.Text data-testid="webhook-count">
            本部门登记的推送地址 {String(data.alertWebhooks.length)} 个
          </Typography.Text>
          {data.alertWebhooks.map((w) => (
            <Typography.Text key={w.id} className="mono small break">
              {w.url}（{formatSeconds(w.createdAt)} 登记）
            </Typography.Text>
          ))}
          <Typography.Text data-testid="dead-count">
            投递失败（死信）{String(data.deadAlertDeliveries.totalCount)} 条
          </Typography.Text>
          {data.deadAlertDeliveries.nodes.length === 0 ? null : (
            <List
              size="small"
              bordered
              dataSource={data.deadAlertDeliveries.nodes}
              renderItem={(d) => (
                <List.Item
                  actions={[
                    <Button
                      key="redeliver"
                      size="small"
                      loading={busy === d.id}
                      onClick={() => void redeliver(d.id)}
                    >
                      重新投递
                    </Button>,
                  ]}
                >
                  <span className="break">
                    {d.alert.title} → {d.recipient}：
                    {d.failure
                      ? label(DELIVERY_FAILURE_LABELS, d.failure)
                      : '—'}
                    （尝试 {String(d.attempts)} 次，{formatSeconds(d.createdAt)}
                    ）
                  </span>
                </List.Item>
              )}
            />
          )}
        </>
      )}
    </Flex>
  );
}
