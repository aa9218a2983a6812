// Every request of the console: POST /graphql on the console's own origin
// (the console's server passes it to the gateway), with the signed-in
// user's bearer token and purpose of use. The gateway governs and logs
// every screen like any other client.
import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';

import { currentSession, signOut } from '../auth/session.js';
import { errorMessageOf } from './errorMessages.js';

/** One GraphQL error as the hub sends it. */
export interface HubError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: {
    readonly code?: string;
    readonly rule?: string;
    readonly [key: string]: unknown;
  };
}

/** An operation that returned no data: its errors, described in Chinese. */
export class RequestError extends Error {
  readonly errors: readonly HubError[];
  constructor(errors: readonly HubError[]) {
    super(errors.map(describeError).join('\n'));
    this.name = 'RequestError';
    this.errors = errors;
  }
  get codes(): (string | undefined)[] {
    return this.errors.map((e) => e.extensions?.code);
  }
}

/**
 * One line for an error: the Chinese title and what to do next, the rule
 * that decided it, then the server's own message (kept for support).
 */
export function describeError(error: HubError): string {
  const code = error.extensions?.code;
  const rule = error.extensions?.rule;
  const message = errorMessageOf(code, error.extensions?.['reason']);
  const detail = [
    typeof code === 'string' ? code : null,
    typeof rule === 'string' ? `规则 ${rule}` : null,
  ]
    .filter((part) => part !== null)
    .join('，');
  return `${message.title}${detail === '' ? '' : `（${detail}）`}：${message.next}${error.message === '' ? '' : ` 详情：${error.message}`}`;
}

export interface Answer<Data> {
  readonly data: Data;
  /** Errors beside the data: fields the gateway withheld. */
  readonly errors: readonly HubError[];
}

function isHubError(value: unknown): value is HubError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * Runs a typed operation. Resolves with the data and the errors of partial
 * data; rejects with a {@link RequestError} when no data came back.
 */
export async function request<Data, Variables>(
  document: TadaDocumentNode<Data, Variables>,
  variables?: Variables,
): Promise<Answer<Data>> {
  return requestText<Data>(print(document), variables ?? {});
}

/** Runs an operation given as text (the developer page's explain). */
export async function requestText<Data>(
  query: string,
  variables: unknown,
): Promise<Answer<Data>> {
  const session = currentSession();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(session === null
          ? {}
          : {
              authorization: `Bearer ${session.token}`,
              'x-govgraph-purpose': session.purpose,
            }),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new RequestError([
      {
        message: '无法连接控制台服务',
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      },
    ]);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new RequestError([
      {
        message: `服务返回了无法解析的应答（HTTP ${String(response.status)}）`,
      },
    ]);
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as {
    data?: unknown;
    errors?: unknown;
  };
  const errors = Array.isArray(record.errors)
    ? record.errors.filter(isHubError)
    : [];
  if (errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    signOut();
  }
  if (record.data === null || record.data === undefined) {
    throw new RequestError(
      errors.length > 0
        ? errors
        : [{ message: `服务未返回数据（HTTP ${String(response.status)}）` }],
    );
  }
  return { data: record.data as Data, errors };
}
