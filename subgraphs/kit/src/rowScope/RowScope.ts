import { z } from 'zod';

import { isStorableText } from '../arguments.js';
import { ErrorCode } from '../errors/ErrorCode.js';
import { GraphQLErrorWithCode } from '../errors/GraphQLErrorWithCode.js';
import { isRegionCode } from '../regions.js';
import type { SignedCallContext } from '../signing/SignedCallContext.js';
import type {
  RowFilter,
  RowFilterValue,
  RowScope,
} from '../../../../policies/src/index.js';

/**
 * The row scope and its filters are the policy engine's types
 * (`policies/src`), declared once: the gateway computes them, the kit parses
 * and compiles them into SQL.
 */
export type { RowFilter, RowFilterValue, RowScope };

/** The deepest nesting of `and` filters a scope may carry. */
export const MAX_ROW_FILTER_DEPTH = 8;
/** The most conditions (`eq`, `in`, `prefix`, `and`) one scope may carry. */
export const MAX_ROW_FILTER_NODES = 256;
/** The most values one `in` filter may list. */
export const MAX_ROW_FILTER_VALUES = 1000;

const StorableString = z
  .string()
  .max(1000)
  .refine(isStorableText, 'must not contain NUL');
const FieldSchema = z
  .string()
  .regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL field name');
// GraphQL type names, except the reserved `__` ones (and so `__proto__`).
const TYPE_NAME = /^(?!__)[_A-Za-z][_0-9A-Za-z]*$/;
const TypeNameSchema = z
  .string()
  .regex(TYPE_NAME, 'must be a GraphQL type name');
const ValueSchema = z.union([StorableString, z.number(), z.boolean()]);

const RowFilterSchema: z.ZodType<RowFilter> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({
      op: z.literal('and'),
      filters: z.array(RowFilterSchema).max(MAX_ROW_FILTER_NODES),
    }),
    z.strictObject({
      op: z.literal('eq'),
      field: FieldSchema,
      value: ValueSchema,
    }),
    z.strictObject({
      op: z.literal('in'),
      field: FieldSchema,
      values: z.array(ValueSchema).max(MAX_ROW_FILTER_VALUES),
    }),
    z.strictObject({
      op: z.literal('prefix'),
      field: FieldSchema,
      value: StorableString,
    }),
  ]),
);

// Strict objects: a key this subgraph does not understand could be a
// restriction it would otherwise ignore, so it makes the scope malformed.
const RowScopeSchema = z.strictObject({
  region: z
    .string()
    .refine(isRegionCode, 'must be an administrative code of Chongqing')
    .optional(),
  types: z.record(TypeNameSchema, RowFilterSchema).optional(),
  search: z
    .record(TypeNameSchema, z.array(FieldSchema).max(MAX_ROW_FILTER_VALUES))
    .optional(),
});

/**
 * The row scope of a call could not be understood. The subgraph fails
 * closed: the fields that read scoped rows answer this error (FORBIDDEN,
 * `rule: "row-scope-malformed"`) instead of reading without restriction.
 * The message does not repeat the scope.
 */
export class RowScopeError extends GraphQLErrorWithCode {
  /** What is wrong with the scope. */
  readonly reason: string;

  constructor(reason: string) {
    super(
      `The row scope of this call is malformed (${reason}); no rows are read.`,
      ErrorCode.FORBIDDEN,
      { extensions: { rule: 'row-scope-malformed' } },
    );
    this.reason = reason;
  }
}

/** Depth and number of conditions of a filter, counted without recursion. */
function measure(filter: RowFilter): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: Array<{ f: RowFilter; d: number }> = [{ f: filter, d: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    nodes += 1;
    depth = Math.max(depth, item.d);
    if (item.f.op === 'and') {
      const d = item.d + 1;
      for (const f of item.f.filters) stack.push({ f, d });
    }
  }
  return { depth, nodes };
}

/**
 * Validates the scope the gateway signed into a call (`ctx.call.scope`):
 * `null`/`undefined` is no restriction; a {@link RowScope} is returned as
 * validated; anything else — an unknown key, a region that is not an
 * administrative code, a filter of an unknown form, nesting deeper than
 * {@link MAX_ROW_FILTER_DEPTH} — throws a {@link RowScopeError}, never "no
 * restriction".
 */
export function parseRowScope(raw: unknown): RowScope | null {
  if (raw === null || raw === undefined) return null;
  let scope: z.infer<typeof RowScopeSchema>;
  try {
    const result = RowScopeSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new RowScopeError(
        issue
          ? `${issue.path.map(String).join('.') || 'scope'}: ${issue.message}`
          : 'invalid',
      );
    }
    scope = result.data;
    // zod drops a `__proto__` key silently; a filter must never be dropped.
    for (const key of ['types', 'search'] as const) {
      const rawMap = (raw as Record<string, unknown>)[key];
      if (typeof rawMap === 'object' && rawMap !== null) {
        const bad = Object.keys(rawMap).find((k) => !TYPE_NAME.test(k));
        if (bad !== undefined) {
          throw new RowScopeError(`${key}: key must be a GraphQL type name`);
        }
      }
    }
  } catch (error) {
    if (error instanceof RowScopeError) throw error;
    // e.g. a stack overflow on absurd nesting: still fail closed.
    throw new RowScopeError('unreadable');
  }
  const types: Record<string, RowFilter> = Object.create(null) as Record<
    string,
    RowFilter
  >;
  let nodes = 0;
  for (const [typeName, filter] of Object.entries(scope.types ?? {})) {
    const size = measure(filter);
    if (size.depth > MAX_ROW_FILTER_DEPTH) {
      throw new RowScopeError(
        `types.${typeName}: nested deeper than ${MAX_ROW_FILTER_DEPTH}`,
      );
    }
    nodes += size.nodes;
    types[typeName] = filter;
  }
  if (nodes > MAX_ROW_FILTER_NODES) {
    throw new RowScopeError(
      `more than ${MAX_ROW_FILTER_NODES} filter conditions`,
    );
  }
  return {
    ...(scope.region !== undefined ? { region: scope.region } : {}),
    ...(scope.types !== undefined ? { types } : {}),
    ...(scope.search !== undefined
      ? {
          search: Object.assign(
            Object.create(null) as Record<string, readonly string[]>,
            scope.search,
          ),
        }
      : {}),
  };
}

/**
 * The row scope of the call a resolver serves (`ctx.call`), validated by
 * the CallVerifier when the call arrived.
 */
export function rowScopeOf(ctx: { call: SignedCallContext }): RowScope | null {
  return ctx.call.scope;
}
