import {
  Alert,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { request } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { useSession } from '../../auth/useSession.js';
import { useFeedback } from '../../feedback.js';
import type { ResultOf, VariablesOf } from '../../graphql/graphql.js';
import {
  SHARE_CLASS_LABELS,
  departmentName,
  type EnumOf,
} from '../../labels.js';
import { hrefFor, navigate } from '../../router.js';
import {
  CreateEntryMutation,
  DirectoryQuery,
  ValidateEntryQuery,
} from './operations.js';

type EntryInput = VariablesOf<typeof ValidateEntryQuery>['input'];
type Validation = ResultOf<
  typeof ValidateEntryQuery
>['validateNegativeListEntry'];

interface Draft {
  id: string;
  coordinates: string[];
  types: string[];
  tags: string[];
  shareClass: EnumOf<'ShareClass'>;
  consumers: string[];
  purposes: string[];
  priority: number;
  legalBasis: string;
  reason: string;
}

const EMPTY: Draft = {
  id: '',
  coordinates: [],
  types: [],
  tags: [],
  shareClass: 'NOT_SHARED',
  consumers: [],
  purposes: [],
  priority: 0,
  legalBasis: '',
  reason: '',
};

/** The Chinese name of an input field the server's problems name. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  id: '编号',
  ownerDepartment: '数据所属部门',
  'selector.coordinates': '字段',
  'selector.types': '类型',
  'selector.tags': '分类标签',
  selector: '选择器',
  shareClass: '共享类型',
  legalBasis: '法律依据',
  reason: '理由',
  conditions: '共享条件',
  'conditions.consumers': '可申请部门',
  'conditions.purposes': '可申请用途',
  priority: '优先级',
};

function toInput(draft: Draft, department: string): EntryInput {
  const conditional = draft.shareClass === 'CONDITIONAL';
  return {
    id: draft.id.trim(),
    ownerDepartment: department,
    content: {
      selector: {
        coordinates: draft.coordinates,
        types: draft.types,
        tags: draft.tags,
      },
      shareClass: draft.shareClass,
      priority: draft.priority,
      legalBasis: draft.legalBasis.trim(),
      reason: draft.reason.trim(),
      conditions: conditional
        ? { consumers: draft.consumers, purposes: draft.purposes }
        : null,
    },
  };
}

/** Replaces the unknown `name` by `suggestion` wherever the draft names it. */
function applySuggestion(
  draft: Draft,
  name: string,
  suggestion: string,
): Draft {
  const swap = (list: string[]) =>
    list.map((item) => (item === name ? suggestion : item));
  return {
    ...draft,
    coordinates: swap(draft.coordinates),
    types: swap(draft.types),
    tags: swap(draft.tags),
  };
}

/** The unknown name of a problem and the nearest existing one, if both. */
function suggestionOf(problem: {
  name: string | null;
  suggestion: string | null;
}): { name: string; suggestion: string } | null {
  return problem.name && problem.suggestion
    ? { name: problem.name, suggestion: problem.suggestion }
    : null;
}

/**
 * 新建负面清单条目: the selector picked from the data directory, checked
 * by the server as it is typed (validateNegativeListEntry: unknown names
 * with the nearest existing one), saved as a draft.
 */
export function EntryEditorPage() {
  const session = useSession();
  const feedback = useFeedback();
  const department = session?.claims.dept ?? '';
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [search, setSearch] = useState('');
  const [validation, setValidation] = useState<Validation | null>(null);
  const [busy, setBusy] = useState(false);
  const directory = useQuery(DirectoryQuery, {
    department,
    search: search.trim() === '' ? null : search.trim(),
    first: 50,
  });
  const input = toInput(draft, department);
  const inputKey = JSON.stringify(input);
  // Live validation: the server's own checks, 400 ms after the last change.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      request(ValidateEntryQuery, { input })
        .then((answer) => {
          if (current) setValidation(answer.data.validateNegativeListEntry);
        })
        .catch((error: unknown) => {
          if (current) feedback.showError(error);
        });
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [inputKey]);
  const set = (change: Partial<Draft>) =>
    setDraft((d) => ({ ...d, ...change }));
  const save = async () => {
    setBusy(true);
    feedback.clear();
    try {
      const { data } = await request(CreateEntryMutation, { input });
      const created = data.createNegativeListEntry;
      feedback.showNotice(
        `已保存草稿：${created.id} 第 ${String(created.version)} 版。提交审核后，由本部门另一位数据专员审核发布。`,
      );
      navigate(hrefFor('entry', created.id));
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  const options = (directory.data?.dataResources.nodes ?? []).map((r) => ({
    value: r.coordinate,
    label: (
      <Flex gap={6} wrap align="center">
        <span className="mono">{r.coordinate}</span>
        {r.classification.map((tag) => (
          <Tag key={tag} color="purple">
            {tag}
          </Tag>
        ))}
        <Typography.Text type="secondary" className="small">
          {r.description ?? ''}
        </Typography.Text>
      </Flex>
    ),
  }));
  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3}>新建负面清单条目</Typography.Title>
        <Typography.Text type="secondary">
          {departmentName(department)}
          的数据。字段从数据目录中选择；输入时即由服务端校验，保存为草稿。
        </Typography.Text>
      </div>
      <Form layout="vertical" className="entry-form">
        <Form.Item label="编号" required>
          <Input
            data-testid="entry-id"
            placeholder="如 NL-PS-004"
            value={draft.id}
            onChange={(e) => set({ id: e.target.value })}
          />
        </Form.Item>
        <Form.Item label="字段（数据目录）">
          <Select
            mode="tags"
            data-testid="entry-coordinates"
            placeholder="输入字段名搜索数据目录，如 Person.birthDate"
            value={draft.coordinates}
            options={options}
            filterOption={false}
            onSearch={setSearch}
            onChange={(value: string[]) => {
              set({ coordinates: value });
              setSearch('');
            }}
            notFoundContent={
              directory.loading ? '正在加载…' : '数据目录中没有匹配的字段'
            }
          />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item label="类型（整类）" className="grow">
            <Select
              mode="tags"
              data-testid="entry-types"
              value={draft.types}
              open={false}
              onChange={(value: string[]) => set({ types: value })}
            />
          </Form.Item>
          <Form.Item label="分类标签" className="grow">
            <Select
              mode="tags"
              data-testid="entry-tags"
              value={draft.tags}
              open={false}
              onChange={(value: string[]) => set({ tags: value })}
            />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item label="共享类型" required>
            <Select
              data-testid="entry-class"
              className="filter"
              value={draft.shareClass}
              options={(['NOT_SHARED', 'CONDITIONAL'] as const).map((v) => ({
                value: v,
                label: SHARE_CLASS_LABELS[v],
              }))}
              onChange={(value: EnumOf<'ShareClass'>) =>
                set({ shareClass: value })
              }
            />
          </Form.Item>
          <Form.Item label="优先级">
            <InputNumber
              data-testid="entry-priority"
              value={draft.priority}
              onChange={(value) => set({ priority: value ?? 0 })}
            />
          </Form.Item>
        </Flex>
        {draft.shareClass === 'CONDITIONAL' ? (
          <Flex gap={16} wrap>
            <Form.Item label="可申请部门（编码）" className="grow">
              <Select
                mode="tags"
                data-testid="entry-consumers"
                value={draft.consumers}
                open={false}
                onChange={(value: string[]) => set({ consumers: value })}
              />
            </Form.Item>
            <Form.Item label="可申请用途" className="grow">
              <Select
                mode="tags"
                data-testid="entry-purposes"
                value={draft.purposes}
                open={false}
                onChange={(value: string[]) => set({ purposes: value })}
              />
            </Form.Item>
          </Flex>
        ) : null}
        <Form.Item label="法律依据" required>
          <Input.TextArea
            data-testid="entry-legal-basis"
            rows={2}
            placeholder="如《中华人民共和国个人信息保护法》第二十八条"
            value={draft.legalBasis}
            onChange={(e) => set({ legalBasis: e.target.value })}
          />
        </Form.Item>
        <Form.Item label="理由" required>
          <Input.TextArea
            data-testid="entry-reason"
            rows={2}
            value={draft.reason}
            onChange={(e) => set({ reason: e.target.value })}
          />
        </Form.Item>
      </Form>
      <Card title="服务端校验" size="small" data-testid="entry-validation">
        {validation === null ? (
          <Typography.Text type="secondary">正在校验…</Typography.Text>
        ) : (
          <Flex vertical gap={8}>
            {validation.valid ? (
              <Alert
                type="success"
                showIcon
                title="校验通过，可以保存。"
                data-testid="entry-valid"
              />
            ) : null}
            {validation.problems.length > 0 ? (
              <List
                size="small"
                dataSource={validation.problems}
                renderItem={(p) => (
                  <List.Item data-testid="entry-problem" data-field={p.field}>
                    <Flex vertical gap={4}>
                      <Typography.Text type="danger">
                        {FIELD_LABELS[p.field] ?? p.field}
                        {p.name ? `：未知名称 ${p.name}` : ''}
                      </Typography.Text>
                      <Typography.Text type="secondary" className="small">
                        {p.message}
                      </Typography.Text>
                      {suggestionOf(p) === null ? null : (
                        <Button
                          size="small"
                          data-testid="entry-suggestion"
                          onClick={() => {
                            const fix = suggestionOf(p);
                            if (fix !== null)
                              setDraft((d) =>
                                applySuggestion(d, fix.name, fix.suggestion),
                              );
                          }}
                        >
                          改为最接近的名称 {p.suggestion}
                        </Button>
                      )}
                    </Flex>
                  </List.Item>
                )}
              />
            ) : null}
            <div>
              <Typography.Text strong>覆盖的字段：</Typography.Text>{' '}
              <span data-testid="entry-coverage">
                {validation.coverage.length === 0
                  ? '—'
                  : validation.coverage.join('，')}
              </span>
            </div>
            {validation.contradictions.map((c) => (
              <Alert
                key={`${c.kind}-${c.message}`}
                type="warning"
                showIcon
                data-testid="entry-contradiction"
                title={`与现行清单的矛盾（${c.kind}）`}
                description={c.message}
              />
            ))}
          </Flex>
        )}
      </Card>
      <Flex gap={8}>
        <Button
          type="primary"
          data-testid="entry-save"
          loading={busy}
          disabled={validation?.valid !== true}
          onClick={() => void save()}
        >
          保存草稿
        </Button>
        <Button onClick={() => navigate(hrefFor('negative-list'))}>取消</Button>
      </Flex>
    </Flex>
  );
}
