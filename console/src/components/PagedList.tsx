import { Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';

import type { QueryState } from '../api/useQuery.js';
import { useFeedback } from '../feedback.js';
import { Pager, pagingErrors, type PagerState } from './Pager.js';

/** What a paged list answer has: its total and where the next page starts. */
export interface PagedAnswer {
  readonly totalCount: number;
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly endCursor: string | null;
  };
}

/**
 * Reports a list query's failure and the errors beside its data in the
 * page's message area (the first of `also` too: another query of the
 * page), leaving out the withheld paging fields, which {@link PagedList}
 * shows by the pager.
 */
export function useListFeedback(
  query: QueryState<unknown>,
  also: readonly unknown[] = [],
): void {
  const feedback = useFeedback();
  const { other } = pagingErrors(query.partialErrors);
  const failed = also.find((error) => error !== null) ?? null;
  useEffect(() => {
    if (query.error !== null) feedback.showError(query.error);
    else if (failed !== null) feedback.showError(failed);
    else if (other.length > 0) feedback.showErrors(other);
  }, [query.error, query.data, failed]);
}

/**
 * A paged list: `children` of the answer and the pager under it, or a
 * loading line until the first answer.
 */
export function PagedList<List extends PagedAnswer>({
  query,
  list,
  paging,
  onPage,
  children,
}: {
  /** The list's query (its loading state and withheld paging fields). */
  query: QueryState<unknown>;
  /** The list in the answer, `undefined` before it. */
  list: List | undefined;
  paging: PagerState;
  onPage: (next: PagerState) => void;
  children: (list: List) => ReactNode;
}) {
  if (list === undefined) {
    return (
      <Typography.Text type="secondary">
        {query.loading ? '正在加载…' : ''}
      </Typography.Text>
    );
  }
  return (
    <>
      {children(list)}
      <Pager
        totalCount={list.totalCount}
        pageInfo={list.pageInfo}
        state={paging}
        onChange={onPage}
        withheld={pagingErrors(query.partialErrors).withheld}
      />
    </>
  );
}
