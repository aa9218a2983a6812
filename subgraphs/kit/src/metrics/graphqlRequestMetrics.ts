// The request metrics every GraphQL server of govgraph reports (the
// gateway and each subgraph): requests by operation name, outcome and HTTP
// status, and their latency, counted by an Apollo Server plugin.
import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextWillSendResponse,
} from '@apollo/server';

import {
  BoundedLabel,
  counterIn,
  histogramIn,
  type ComponentMetrics,
} from './ComponentMetrics.js';

/** How an operation ended: no errors, data with errors, or no data. */
export type RequestOutcome = 'ok' | 'partial' | 'error';

/** The outcome of a response (`single` results; streamed ones count as ok). */
export function outcomeOfResponse(
  requestContext: GraphQLRequestContextWillSendResponse<BaseContext>,
): RequestOutcome {
  const { body } = requestContext.response;
  if (body.kind !== 'single') return 'ok';
  const { errors, data } = body.singleResult;
  if (errors === undefined || errors.length === 0) return 'ok';
  return data === null || data === undefined ? 'error' : 'partial';
}

/** The operation label of a request: its operation's name or `anonymous`. */
export function operationLabelOf(
  requestContext: GraphQLRequestContextWillSendResponse<BaseContext>,
): string {
  return requestContext.operationName ?? 'anonymous';
}

/** The request counters of one GraphQL server. */
export interface GraphQLRequestMetrics {
  /** Counts one operation answered. */
  observe(
    operation: string,
    outcome: string,
    status: number,
    seconds: number,
  ): void;
  /** The Apollo plugin that calls {@link GraphQLRequestMetrics.observe}. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext>;
}

/**
 * `govgraph_graphql_requests_total{operation,outcome,status}` and
 * `govgraph_graphql_request_duration_seconds{operation,outcome}` in the
 * component's registry. Operation names are bounded (see BoundedLabel);
 * no variable or value is ever a label.
 */
export function graphqlRequestMetrics(
  metrics: ComponentMetrics,
): GraphQLRequestMetrics {
  const requests = counterIn(metrics.registry, {
    name: 'govgraph_graphql_requests_total',
    help: 'GraphQL operations answered, by operation name, outcome (ok, partial, error, or a refusal before the operation ran) and HTTP status',
    labelNames: ['operation', 'outcome', 'status'],
  });
  const duration = histogramIn(metrics.registry, {
    name: 'govgraph_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL operation to its answer, by operation name and outcome',
    labelNames: ['operation', 'outcome'],
  });
  const operations = new BoundedLabel();
  const observe: GraphQLRequestMetrics['observe'] = (
    operation,
    outcome,
    status,
    seconds,
  ) => {
    const name = operations.of(operation);
    requests.inc({ operation: name, outcome, status: String(status) });
    duration.observe({ operation: name, outcome }, seconds);
  };
  return {
    observe,
    plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
      return {
        requestDidStart() {
          const started = performance.now();
          return Promise.resolve({
            willSendResponse(requestContext) {
              const rc =
                requestContext as unknown as GraphQLRequestContextWillSendResponse<BaseContext>;
              observe(
                operationLabelOf(rc),
                outcomeOfResponse(rc),
                rc.response.http.status ?? 200,
                (performance.now() - started) / 1000,
              );
              return Promise.resolve();
            },
          });
        },
      };
    },
  };
}
