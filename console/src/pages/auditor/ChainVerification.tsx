import { Alert, Button, Descriptions, Flex, Typography } from 'antd';
import { useState } from 'react';

import { request } from '../../api/client.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import { formatSeconds } from '../../labels.js';
import { AccessLogVerificationQuery } from './operations.js';

type Verification = ResultOf<
  typeof AccessLogVerificationQuery
>['accessLogVerification'];

/**
 * The chain's verification, run on request (it reads the whole log): the
 * state, the last verified head and checkpoint, the problems found.
 */
export function ChainVerification() {
  const feedback = useFeedback();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Verification | null>(null);
  const verify = async () => {
    setRunning(true);
    try {
      const answer = await request(AccessLogVerificationQuery, {});
      setResult(answer.data.accessLogVerification);
    } catch (error) {
      feedback.showError(error);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Flex vertical gap={8} data-testid="verification">
      <Flex gap={8} align="center" wrap>
        <Button
          data-testid="verify"
          loading={running}
          onClick={() => void verify()}
        >
          校验日志哈希链
        </Button>
        <Typography.Text type="secondary">
          重新计算每条链与检查点（读取全部日志）。
        </Typography.Text>
      </Flex>
      {result === null ? null : (
        <>
          <Alert
            type={result.ok ? 'success' : 'error'}
            showIcon
            data-testid="verification-state"
            data-ok={String(result.ok)}
            title={
              result.ok
                ? `日志完整：${String(result.records)} 条记录、${String(result.chains.length)} 条链、${String(result.checkpointCount)} 个检查点均校验通过`
                : `日志校验未通过：发现 ${String(result.problems.length + result.problemsOmitted)} 个问题`
            }
          />
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { label: '校验时间', children: formatSeconds(result.verifiedAt) },
              {
                label: '最后校验的记录',
                children:
                  result.head === null || result.head === undefined ? (
                    '—'
                  ) : (
                    <span
                      className="mono small break"
                      data-testid="verified-head"
                    >
                      #{result.head.seq} {result.head.hash}
                    </span>
                  ),
              },
              {
                label: '最后检查点',
                children:
                  result.lastCheckpoint === null ||
                  result.lastCheckpoint === undefined ? (
                    '—'
                  ) : (
                    <span className="mono small break">
                      {result.lastCheckpoint.id} {result.lastCheckpoint.hash}
                    </span>
                  ),
              },
              ...result.chains.map((c) => ({
                label: `链 ${c.chain}`,
                children: (
                  <span className="mono small break">
                    {c.writer ?? '—'} · {String(c.records)} 条 · #
                    {c.head?.seq ?? '—'} {c.head?.hash ?? ''}
                  </span>
                ),
              })),
              ...result.problems.map((p) => ({
                label: `问题 ${p.kind}`,
                children: `#${p.seq} ${p.chain ?? ''} ${p.detail}`,
              })),
            ]}
          />
        </>
      )}
    </Flex>
  );
}
