import { useState } from 'react';

import { Button, Flex, Typography } from 'antd';

import type { HubError } from '../api/client.js';

/**
 * Cursor paging without showing cursors: the `after` cursors of the pages
 * before the current one, kept by the page and reset when filters change.
 */
export interface PagerState {
  readonly stack: readonly (string | null)[];
  readonly after: string | null;
}

export const FIRST_PAGE: PagerState = { stack: [], after: null };

export function Pager({
  totalCount,
  pageInfo,
  state,
  onChange,
  withheld,
}: {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null } | null;
  state: PagerState;
  onChange: (next: PagerState) => void;
  /** The gateway withheld the paging fields: why. */
  withheld: HubError | null;
}) {
  const hasNext =
    pageInfo?.hasNextPage === true && (pageInfo.endCursor ?? '') !== '';
  return (
    <Flex className="pager" gap={8} align="center" wrap data-testid="pager">
      <Typography.Text type="secondary" data-testid="page-info">
        共 {totalCount ?? '—'} 条 · 第 {state.stack.length + 1} 页
      </Typography.Text>
      {withheld === null ? null : (
        <Typography.Text type="warning" data-testid="paging-withheld">
          无法翻页：网关未允许读取分页信息（
          {withheld.extensions?.rule ?? withheld.extensions?.code ?? '—'}）。
        </Typography.Text>
      )}
      <Button
        disabled={state.stack.length === 0}
        data-testid="page-prev"
        onClick={() =>
          onChange({
            stack: state.stack.slice(0, -1),
            after: state.stack.at(-1) ?? null,
          })
        }
      >
        上一页
      </Button>
      <Button
        disabled={!hasNext}
        data-testid="page-next"
        onClick={() =>
          onChange({
            stack: [...state.stack, state.after],
            after: pageInfo?.endCursor ?? null,
          })
        }
      >
        下一页
      </Button>
    </Flex>
  );
}

/**
 * The pager of a list in a query's answer (`null` before the answer came:
 * no pager then).
 */
export function ListPager({
  list,
  state,
  onChange,
  withheld,
}: {
  list: {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; endCursor: string | null } | null;
  } | null;
  state: PagerState;
  onChange: (next: PagerState) => void;
  withheld: HubError | null;
}) {
  return list === null ? null : (
    <Pager
      totalCount={list.totalCount}
      pageInfo={list.pageInfo}
      state={state}
      onChange={onChange}
      withheld={withheld}
    />
  );
}

/** Splits the errors of a list answer: the paging fields' first, the others. */
export function pagingErrors(errors: readonly HubError[]): {
  withheld: HubError | null;
  other: HubError[];
} {
  const paging = errors.filter((e) => e.path?.includes('pageInfo') === true);
  return {
    withheld: paging[0] ?? null,
    other: errors.filter((e) => !paging.includes(e)),
  };
}

/**
 * The paging of a list whose filters are `key`: back on the first page
 * whenever the filters change.
 */
export function usePaging(
  key: string,
): [PagerState, (next: PagerState) => void] {
  const [state, setState] = useState<{ key: string; paging: PagerState }>({
    key,
    paging: FIRST_PAGE,
  });
  const paging = state.key === key ? state.paging : FIRST_PAGE;
  return [paging, (next) => setState({ key, paging: next })];
}
