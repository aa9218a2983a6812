import {
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';

import {
  describeError,
  request,
  requestText,
  type HubError,
} from '../../api/client.js';
import { errorMessageOf } from '../../api/errorMessages.js';
import { useSession } from '../../auth/useSession.js';
import { errorText, useFeedback } from '../../feedback.js';
import type { ResultOf } from '../../graphql/graphql.js';
import { departmentName, label, type EnumOf } from '../../labels.js';
import type { Route } from '../../router.js';
import { ExplainQuery } from './operations.js';
import { SchemaBrowser } from './SchemaBrowser.js';

type Explanation = ResultOf<typeof ExplainQuery>['explain'];
type ExplainedField = Explanation['fields'][number];

const EFFECT_LABELS: Readonly<Record<EnumOf<'FieldEffect'>, string>> = {
  ALLOW: '允许',
  MASK: '脱敏',
  DENY: '拒绝（返回 null）',
};
const EFFECT_COLORS: Readonly<Record<EnumOf<'FieldEffect'>, string>> = {
  ALLOW: 'green',
  MASK: 'gold',
  DENY: 'red',
};

const EXAMPLE = `query Example {
  monitoringSections(first: 3) {
    nodes {
      id
      name
    }
  }
}`;

interface Ran {
  readonly data: unknown;
  readonly errors: readonly HubError[];
}

/**
 * 接口与字段说明 (for a department's developers): the schema they may use,
 * and for any operation what the gateway decides for each field — allowed,
 * masked or withheld (null), by which rule and why — without running it,
 * beside the answer of running it.
 */
export function DeveloperPage(_: { route: Route }) {
  const session = useSession();
  const feedback = useFeedback();
  const [operation, setOperation] = useState(EXAMPLE);
  const [variables, setVariables] = useState('');
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [ran, setRan] = useState<Ran | null>(null);
  const [busy, setBusy] = useState(false);

  const parsedVariables = (): { ok: true; value: unknown } | { ok: false } => {
    if (variables.trim() === '') return { ok: true, value: null };
    try {
      return { ok: true, value: JSON.parse(variables) };
    } catch {
      feedback.showErrors([
        {
          message: '变量须为 JSON 对象，例如 {"id": "ALG-2025-017"}。',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      return { ok: false };
    }
  };

  const explain = async (): Promise<void> => {
    const vars = parsedVariables();
    if (!vars.ok) return;
    setBusy(true);
    feedback.clear();
    try {
      const { data } = await request(ExplainQuery, {
        operation,
        operationName: null,
        variables: vars.value,
      });
      setExplanation(data.explain);
    } catch (error) {
      setExplanation(null);
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };

  const run = async (): Promise<void> => {
    const vars = parsedVariables();
    if (!vars.ok) return;
    setBusy(true);
    feedback.clear();
    try {
      const answer = await requestText<unknown>(operation, vars.value ?? {});
      setRan({ data: answer.data, errors: answer.errors });
    } catch (error) {
      setRan({ data: null, errors: [{ message: errorText(error) }] });
    } finally {
      setBusy(false);
    }
  };

  const explainTab = (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary">
        以当前身份（{session?.claims.sub}，
        {departmentName(session?.claims.dept)}）和使用目的（
        {session?.purpose}
        ）向网关询问：这个操作的每个字段会被允许、脱敏还是拒绝（返回
        null），依据哪条规则。解释不会执行操作，也不会读取数据。
      </Typography.Paragraph>
      <Input.TextArea
        className="mono"
        rows={8}
        value={operation}
        aria-label="GraphQL 操作"
        data-testid="explain-operation"
        onChange={(event) => setOperation(event.target.value)}
      />
      <Input
        className="mono"
        placeholder='变量（JSON，可不填），例如 {"id": "ALG-2025-017"}'
        aria-label="变量"
        data-testid="explain-variables"
        value={variables}
        onChange={(event) => setVariables(event.target.value)}
      />
      <Flex gap={8} wrap>
        <Button
          type="primary"
          loading={busy}
          data-testid="explain-submit"
          onClick={() => void explain()}
        >
          解释每个字段
        </Button>
        <Button
          data-testid="run-submit"
          disabled={busy}
          onClick={() => void run()}
        >
          执行并查看结果
        </Button>
      </Flex>
      {explanation === null ? null : (
        <ExplanationView explanation={explanation} />
      )}
      {ran === null ? null : (
        <Card title="执行结果" size="small" data-testid="run-result">
          {ran.errors.length === 0 ? null : (
            <ul className="run-errors" data-testid="run-errors">
              {ran.errors.map((e, index) => (
                <li key={index}>
                  {e.path ? (
                    <span className="mono">{e.path.join('.')}：</span>
                  ) : null}
                  {describeError(e)}
                </li>
              ))}
            </ul>
          )}
          <pre className="mono result">{JSON.stringify(ran.data, null, 2)}</pre>
        </Card>
      )}
    </Flex>
  );

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>接口与字段说明</Typography.Title>
        <Typography.Text type="secondary">
          您可使用的接口，以及任一操作中每个字段的鉴权结果（“这个字段为什么是
          null”）。
        </Typography.Text>
      </div>
      <Tabs
        defaultActiveKey="explain"
        items={[
          { key: 'explain', label: '字段说明', children: explainTab },
          { key: 'schema', label: '可用的接口', children: <SchemaBrowser /> },
        ]}
      />
    </Flex>
  );
}

function ExplanationView({ explanation }: { explanation: Explanation }) {
  return (
    <Card title="解释结果" size="small" data-testid="explanation">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'p', label: '使用目的', children: explanation.purpose },
          {
            key: 'v',
            label: '策略版本',
            children: (
              <span className="mono">
                {explanation.policyVersion.slice(0, 12)}
              </span>
            ),
          },
          {
            key: 'c',
            label: '跨部门读取',
            children: explanation.crossDepartment ? '是（记入访问日志）' : '否',
          },
          {
            key: 's',
            label: '严格模式下',
            children: explanation.rejectedInStrictMode
              ? '整个操作将被拒绝'
              : '可执行',
          },
          {
            key: 'r',
            label: '行范围',
            children: (
              <span className="mono">
                {explanation.rowScope === null
                  ? '不限'
                  : JSON.stringify(explanation.rowScope)}
              </span>
            ),
          },
        ]}
      />
      <Table<ExplainedField>
        rowKey="coordinate"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={[...explanation.fields]}
        onRow={(row) =>
          ({
            'data-testid': `explained-${row.coordinate}`,
            'data-effect': row.effect,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '字段',
            dataIndex: 'coordinate',
            render: (_, row) => <span className="mono">{row.coordinate}</span>,
          },
          {
            title: '提供部门',
            dataIndex: 'owners',
            render: (_, row) =>
              row.owners.map(departmentName).join('、') || '网关',
          },
          {
            title: '结果',
            dataIndex: 'effect',
            render: (_, row) => (
              <Tag color={EFFECT_COLORS[row.effect]}>
                {label(EFFECT_LABELS, row.effect)}
              </Tag>
            ),
          },
          {
            title: '规则',
            dataIndex: 'rule',
            render: (_, row) => <span className="mono">{row.rule}</span>,
          },
          {
            title: '原因',
            dataIndex: 'reason',
            render: (_, row) => (
              <Flex vertical>
                {row.code === null ? null : (
                  <strong>{errorMessageOf(row.code).title}</strong>
                )}
                <span>{row.reason}</span>
                {row.code === null ? null : (
                  <Typography.Text type="secondary">
                    {errorMessageOf(row.code).next}
                  </Typography.Text>
                )}
                {row.mask === null ? null : (
                  <Typography.Text type="secondary">
                    脱敏方式：{row.mask}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
        ]}
      />
    </Card>
  );
}
