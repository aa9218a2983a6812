// GraphQL over HTTP to the gateway as the emergency department's service
// principal: its bearer token and declared purpose on every request, a
// timeout, and errors of the graph as AlertSourceError.
import type { Logger } from '../../../kit/src/logger.js';

/** The header the gateway reads the purpose from. */
const PURPOSE_HEADER = 'x-govgraph-purpose';

/** An error of the graph: what the gateway answered. */
export class AlertSourceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

interface GraphResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: unknown }[];
}

/** Posts a query and resolves with its `data`. */
export type PostGraphql = (
  query: string,
  variables: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Where and as whom the queries are posted. */
export interface GatewayRequestSettings {
  /** The gateway's GraphQL URL. */
  readonly url: string;
  /** The purpose of use declared with every request. */
  readonly purpose: string;
  /** Milliseconds before a request is abandoned. */
  readonly timeoutMs: number;
  /** A current bearer token of the service principal. */
  readonly token: () => Promise<string>;
  readonly fetch: typeof fetch;
  readonly logger?: Logger | undefined;
}

/**
 * A {@link PostGraphql} to the gateway. Rejects with an
 * {@link AlertSourceError} when the answer is not JSON or has no data;
 * errors beside data (withheld or failed fields) are logged only.
 */
export function gatewayPoster(settings: GatewayRequestSettings): PostGraphql {
  const doFetch = settings.fetch;
  return async (query, variables) => {
    const res = await doFetch(settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await settings.token()}`,
        [PURPOSE_HEADER]: settings.purpose,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const text = await res.text();
    let body: GraphResponse;
    try {
      body = JSON.parse(text) as GraphResponse;
    } catch {
      throw new AlertSourceError(
        `gateway answered ${res.status} without JSON: ${text.slice(0, 200)}`,
        res.status,
      );
    }
    if (!res.ok || !body.data) {
      throw new AlertSourceError(
        `gateway answered ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? text.slice(0, 200)}`,
        res.status,
      );
    }
    if (body.errors?.length) {
      settings.logger?.warn(
        {
          errors: body.errors.map((e) => ({
            message: e.message,
            path: e.path,
          })),
        },
        'alert source: fields withheld or failed',
      );
    }
    return body.data;
  };
}
