/**
 * A search request the caller got wrong (unknown field, size out of range,
 * a cursor from another request…). `message` is safe to show to users and
 * names the problem; `code` maps onto GraphQL's `BAD_USER_INPUT`.
 */
export class SearchRequestError extends Error {
  readonly code = 'BAD_USER_INPUT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'SearchRequestError';
  }
}
