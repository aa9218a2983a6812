import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

/**
 * One resolver map from several, type by type (Query of each, Alert of
 * each, …). Two maps resolving the same field of a type is a mistake, and
 * throws, so that a merge never silently replaces a resolver.
 */
export function mergeResolverMaps<Context>(
  ...maps: readonly GraphQLResolverMap<Context>[]
): GraphQLResolverMap<Context> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const target = (merged[typeName] ??= {});
      for (const [field, resolver] of Object.entries(
        fields as Record<string, unknown>,
      )) {
        if (Object.hasOwn(target, field)) {
          throw new Error(`two resolvers for ${typeName}.${field}`);
        }
        target[field] = resolver;
      }
    }
  }
  return merged as GraphQLResolverMap<Context>;
}
