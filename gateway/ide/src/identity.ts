// The caller the IDE speaks for: a bearer token and a purpose of use, sent
// as `Authorization` and `x-govgraph-purpose` on every request (the
// introspection that gives the schema this caller may use, the operations,
// the explain queries). The token stays in this tab's session storage.
import { createContext } from 'react';

/** The header every request declares its purpose of use in. */
export const PURPOSE_HEADER = 'x-govgraph-purpose';

/** The gateway's GraphQL endpoint: always this page's own origin. */
export const GRAPHQL_URL = new URL('/graphql', window.location.href).href;

export interface Identity {
  readonly token: string;
  readonly purpose: string;
}

/** What a token says about its holder, read without verifying it. */
export interface TokenClaims {
  readonly sub?: string;
  readonly dept?: string;
  readonly roles?: readonly string[];
  readonly purposes?: readonly string[];
  readonly exp?: number;
}

const TOKEN_KEY = 'govgraph-ide:token';
const PURPOSE_KEY = 'govgraph-ide:purpose';

export function loadIdentity(): Identity {
  return {
    token: sessionStorage.getItem(TOKEN_KEY) ?? '',
    purpose: localStorage.getItem(PURPOSE_KEY) ?? '',
  };
}

export function saveIdentity(identity: Identity): void {
  sessionStorage.setItem(TOKEN_KEY, identity.token);
  localStorage.setItem(PURPOSE_KEY, identity.purpose);
}

/**
 * The claims of a JWT's payload, for display and the purpose list only
 * (the gateway verifies the token); `null` when it is not a JWT.
 */
export function readClaims(token: string): TokenClaims | null {
  const payload = token
    .trim()
    .replace(/^bearer\s+/i, '')
    .split('.')[1];
  if (payload === undefined) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object'
      ? (claims as TokenClaims)
      : null;
  } catch {
    return null;
  }
}

/** The request headers of `identity` (none for what is left empty). */
export function identityHeaders(identity: Identity): Record<string, string> {
  const headers: Record<string, string> = {};
  const token = identity.token.trim().replace(/^bearer\s+/i, '');
  if (token !== '') headers['authorization'] = `Bearer ${token}`;
  if (identity.purpose.trim() !== '') {
    headers[PURPOSE_HEADER] = identity.purpose.trim();
  }
  return headers;
}

/** A GraphQL answer as the gateway sends it. */
export interface GraphQLAnswer<T = unknown> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; rule?: string; [key: string]: unknown };
  }[];
}

/**
 * POSTs one GraphQL request to the gateway as `identity`; `extraHeaders`
 * (from GraphiQL's headers editor) win over the identity's. A body that is
 * not JSON becomes an error naming the HTTP status.
 */
export async function postGraphQL<T = unknown>(
  identity: Identity,
  body: unknown,
  extraHeaders: Record<string, unknown> = {},
): Promise<GraphQLAnswer<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...identityHeaders(identity),
  };
  for (const [name, value] of Object.entries(extraHeaders)) {
    headers[name.toLowerCase()] = String(value);
  }
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  try {
    return (await response.json()) as GraphQLAnswer<T>;
  } catch {
    return {
      errors: [
        { message: `HTTP ${String(response.status)} ${response.statusText}` },
      ],
    };
  }
}

export const IdentityContext = createContext<Identity>({
  token: '',
  purpose: '',
});
