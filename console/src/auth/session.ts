// The signed-in user of this browser tab: a bearer token the gateway
// verifies (the console verifies nothing and holds no secret) and the
// purpose of use declared with every request. Kept in sessionStorage, so
// it ends with the tab.

import type { TokenClaims } from './claims.js';

export type { TokenClaims };

const TOKEN_KEY = 'govgraph.console.token';
const PURPOSE_KEY = 'govgraph.console.purpose';

export interface Session {
  readonly token: string;
  readonly purpose: string;
  readonly claims: TokenClaims;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/).filter((v) => v !== '')
      : [];

const stringOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** The payload of a JWT, not verified (the gateway verifies it), or `null`. */
export function decodeClaims(token: string): TokenClaims | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const body: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof body !== 'object' || body === null) return null;
    const claims = body as Record<string, unknown>;
    const sub = stringOrNull(claims['sub']);
    if (sub === null) return null;
    return {
      sub,
      dept: stringOrNull(claims['dept']) ?? '',
      roles: strings(claims['roles']),
      purposes: strings(claims['purposes']),
      level: stringOrNull(claims['level']),
      region: stringOrNull(claims['region']),
      name: stringOrNull(claims['name']),
    };
  } catch {
    return null;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = load();

function load(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null) return null;
  const claims = decodeClaims(token);
  if (claims === null) return null;
  const purpose =
    sessionStorage.getItem(PURPOSE_KEY) ?? claims.purposes[0] ?? '';
  return { token, purpose, claims };
}

/** The session of this tab, or `null` when nobody is signed in. */
export function currentSession(): Session | null {
  return current;
}

/**
 * Signs in with `token` and `purpose` (by default the token's first
 * purpose). Returns `false` when the token is not a JWT with a subject.
 */
export function signIn(token: string, purpose?: string): boolean {
  const claims = decodeClaims(token);
  if (claims === null) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  const chosen = purpose ?? claims.purposes[0] ?? '';
  sessionStorage.setItem(PURPOSE_KEY, chosen);
  current = { token, purpose: chosen, claims };
  notify();
  return true;
}

/** Declares another purpose of use for the following requests. */
export function choosePurpose(purpose: string): void {
  if (current === null) return;
  sessionStorage.setItem(PURPOSE_KEY, purpose);
  current = { ...current, purpose };
  notify();
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PURPOSE_KEY);
  current = null;
  notify();
}

/** Calls `listener` whenever the session changes; returns the unsubscribe. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
