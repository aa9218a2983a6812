import type { TadaDocumentNode } from 'gql.tada';
import { useCallback, useEffect, useRef, useState } from 'react';

import { request, type HubError } from './client.js';

export interface QueryState<Data> {
  readonly loading: boolean;
  readonly data: Data | null;
  /** Errors beside the data (withheld fields). */
  readonly partialErrors: readonly HubError[];
  /** Why no data came back, or `null`. */
  readonly error: unknown;
  /** Runs the operation again (after a change). */
  reload(): Promise<void>;
}

/**
 * Runs `document` with `variables` (compared by their JSON) and again when
 * they change; an answer that arrives after a newer request is dropped, and
 * while the answer for new variables loads, `data` is `null`.
 */
export function useQuery<Data, Variables>(
  document: TadaDocumentNode<Data, Variables>,
  variables: Variables,
): QueryState<Data> {
  const key = JSON.stringify(variables);
  const ticket = useRef(0);
  const [state, setState] = useState<{
    /** The variables the answer is for. */
    key: string | null;
    loading: boolean;
    data: Data | null;
    partialErrors: readonly HubError[];
    error: unknown;
  }>({ key: null, loading: true, data: null, partialErrors: [], error: null });
  const run = useCallback(async () => {
    const mine = ++ticket.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const answer = await request(document, JSON.parse(key) as Variables);
      if (mine !== ticket.current) return;
      setState({
        key,
        loading: false,
        data: answer.data,
        partialErrors: answer.errors,
        error: null,
      });
    } catch (error) {
      if (mine !== ticket.current) return;
      setState({ key, loading: false, data: null, partialErrors: [], error });
    }
  }, [document, key]);
  useEffect(() => {
    void run();
  }, [run]);
  // An answer for other variables is not shown as this one's (a list does
  // not show page 2's rows under page 1's number while page 1 loads).
  const current = state.key === key;
  return {
    loading: state.loading || !current,
    data: current ? state.data : null,
    partialErrors: current ? state.partialErrors : [],
    error: current ? state.error : null,
    reload: run,
  };
}
