import { Empty, Flex, Input, List, Typography } from 'antd';
import {
  buildClientSchema,
  getIntrospectionQuery,
  isIntrospectionType,
  isSpecifiedScalarType,
  printType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { useEffect, useMemo, useState } from 'react';

import { requestText } from '../../api/client.js';
import { useFeedback } from '../../feedback.js';

/**
 * The schema the signed-in user may use: the gateway answers introspection
 * with the types and fields this caller's policy lets them read (visible
 * introspection), so what is listed here is what their operations can ask.
 */
export function SchemaBrowser() {
  const feedback = useFeedback();
  const [schema, setSchema] = useState<GraphQLSchema | null>(null);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState('Query');
  useEffect(() => {
    requestText<IntrospectionQuery>(
      getIntrospectionQuery({ descriptions: true }),
      {},
    )
      .then((answer) => setSchema(buildClientSchema(answer.data)))
      .catch((error: unknown) => feedback.showError(error));
  }, []);
  const types = useMemo(
    () =>
      schema === null
        ? []
        : Object.values(schema.getTypeMap())
            .filter((t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t))
            .map((t) => t.name)
            .sort((a, b) =>
              a === 'Query' ? -1 : b === 'Query' ? 1 : a.localeCompare(b),
            ),
    [schema],
  );
  if (schema === null) {
    return (
      <Typography.Text type="secondary">正在读取可用的接口…</Typography.Text>
    );
  }
  const type = schema.getType(selected);
  const shown = types.filter((name) =>
    name.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  return (
    <Flex gap={16} wrap className="schema-browser" data-testid="schema">
      <Flex vertical gap={8} className="schema-types">
        <Input.Search
          placeholder="按类型名筛选"
          aria-label="按类型名筛选"
          data-testid="schema-filter"
          allowClear
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        <Typography.Text type="secondary" data-testid="schema-count">
          可用类型 {types.length} 个
        </Typography.Text>
        <List
          size="small"
          className="schema-type-list"
          dataSource={shown}
          renderItem={(name) => (
            <List.Item
              className={name === selected ? 'selected clickable' : 'clickable'}
              data-testid={`schema-type-${name}`}
              onClick={() => setSelected(name)}
            >
              <span className="mono">{name}</span>
            </List.Item>
          )}
        />
      </Flex>
      <div className="schema-sdl">
        {type === undefined ? (
          <Empty description="请选择类型" />
        ) : (
          <pre className="mono sdl" data-testid="schema-sdl">
            {printType(type)}
          </pre>
        )}
      </div>
    </Flex>
  );
}
