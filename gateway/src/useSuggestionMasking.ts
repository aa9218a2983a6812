import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Every form of graphql-js's suggestions: `Did you mean "a" or "b"?`,
 * `Did you mean to use an inline fragment on "A"?`, `Did you mean the enum
 * value "X"?` (see graphql-js's didYouMean).
 */
const SUGGESTION = /\s*Did you mean\b[^?]*\?/g;

/** The message without its suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '').trim();
}

/**
 * Removes graphql-js's suggestions ("Did you mean …?", in every form) from
 * every error of every request. They are drawn from the whole API schema,
 * not from the schema the caller may use: they would name fields, types
 * and enum values to callers who may not introspect, and fields withheld
 * from the introspection of those who may. (GraphQL Armor's mask covers
 * only the `Did you mean "…"` form.)
 */
export function useSuggestionMasking<
  TContext extends BaseContext,
>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ errors }) {
          for (const error of errors) {
            // As GraphQL Armor does: the message is the error's own field.
            (error as { message: string }).message = withoutSuggestions(
              error.message,
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
