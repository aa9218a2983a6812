import { context, trace } from '@opentelemetry/api';
import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

import { activeTracer, failSpan } from './tracing.js';

/**
 * Most resolver spans one request makes; the fields resolved beyond it (a
 * field resolver run once per row of a long list) run without a span of
 * their own (the span active when the limit is reached gets an event
 * `govgraph.resolver_spans.limit`).
 */
export const MAX_RESOLVER_SPANS = 100;

/** Resolver spans made per request context. */
const made = new WeakMap<object, number>();

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Wraps, in place, every field of `schema` that has a resolver of its own
 * (root fields, `_entities`, fields that load related rows; not the fields
 * read off a row) so that, while tracing is on, it runs in a span
 * `resolve <Type.field>` whose children are the SQL statements it runs. At
 * most {@link MAX_RESOLVER_SPANS} per request. Attributes: the schema
 * coordinate only (never arguments).
 */
export function traceResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (resolve === undefined) continue;
      const coordinate = `${type.name}.${field.name}`;
      const name = `resolve ${coordinate}`;
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (
        source,
        args,
        ctx,
        info,
      ) => {
        const tracer = activeTracer();
        const parent = trace.getActiveSpan();
        if (tracer === null || parent === undefined) {
          return resolve(source, args, ctx, info);
        }
        const key = typeof ctx === 'object' && ctx !== null ? ctx : info;
        const count = made.get(key) ?? 0;
        made.set(key, count + 1);
        if (count >= MAX_RESOLVER_SPANS) {
          if (count === MAX_RESOLVER_SPANS) {
            parent.addEvent('govgraph.resolver_spans.limit', {
              limit: MAX_RESOLVER_SPANS,
            });
          }
          return resolve(source, args, ctx, info);
        }
        const span = tracer.startSpan(name, {
          attributes: { 'graphql.field.coordinate': coordinate },
        });
        const end = (error?: unknown): void => {
          if (error !== undefined) failSpan(span, error);
          span.end();
        };
        try {
          const result = context.with(
            trace.setSpan(context.active(), span),
            () => resolve(source, args, ctx, info),
          );
          if (isPromiseLike(result)) {
            return Promise.resolve(result).then(
              (value) => {
                end();
                return value;
              },
              (error: unknown) => {
                end(error);
                throw error;
              },
            );
          }
          end();
          return result;
        } catch (error) {
          end(error);
          throw error;
        }
      };
      field.resolve = wrapped;
    }
  }
  return schema;
}
