// Helpers for the security tests: the true values a test must never see,
// read straight from the database, and assertions over raw response bodies.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Queryable } from '../../subgraphs/kit/src/index.js';
import { postBody, type GraphQLResponse } from './graphql.js';

/** One person as the public-security register holds it (the true values). */
export interface PersonSecrets {
  id: string;
  name: string;
  idNumber: string;
  mobile: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  householdAddress: string;
  regionCode: string;
}

interface PersonRow {
  id: string;
  name: string;
  id_number: string;
  mobile: string;
  birth_date: string;
  household_address: string;
  region_code: string;
}

const PERSON_SELECT = `SELECT id, name, id_number, mobile,
  birth_date::text AS birth_date, household_address, region_code
  FROM publicsecurity.persons`;

function toSecrets(row: PersonRow): PersonSecrets {
  return {
    id: row.id,
    name: row.name,
    idNumber: row.id_number,
    mobile: row.mobile,
    birthDate: row.birth_date,
    householdAddress: row.household_address,
    regionCode: row.region_code,
  };
}

/** The persons with these opaque ids, in the order asked; fails for a missing one. */
export async function readPersons(
  db: Queryable,
  ids: readonly string[],
): Promise<PersonSecrets[]> {
  const { rows } = await db.query<PersonRow>(
    `${PERSON_SELECT} WHERE id = ANY($1::text[])`,
    [ids],
  );
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    assert.ok(row, `no person ${id} in the database`);
    return toSecrets(row);
  });
}

/** Persons whose residence lies under a region prefix. */
export async function readPersonsIn(
  db: Queryable,
  regionPrefix: string,
  limit = 1_000,
): Promise<PersonSecrets[]> {
  const { rows } = await db.query<PersonRow>(
    `${PERSON_SELECT} WHERE region_code LIKE $1 ORDER BY id LIMIT $2`,
    [`${regionPrefix}%`, limit],
  );
  return rows.map(toSecrets);
}

/** The values of a person no consumer may read in clear. */
export function personalValues(p: PersonSecrets): string[] {
  return [p.name, p.idNumber, p.mobile, p.birthDate, p.householdAddress];
}

/** One value of the first column of the first row of `sql`. */
export async function scalar<T>(
  db: Queryable,
  sql: string,
  values: unknown[] = [],
): Promise<T> {
  const { rows } = await db.query<Record<string, T>>(sql, values);
  const first = rows[0];
  assert.ok(first, `no row for ${sql}`);
  return Object.values(first)[0] as T;
}

/** The first column of every row of `sql`. */
export async function column<T>(
  db: Queryable,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const { rows } = await db.query<Record<string, T>>(sql, values);
  return rows.map((r) => Object.values(r)[0] as T);
}

/**
 * Asserts that no secret occurs anywhere in a raw response body: in its
 * text as sent, and in its JSON re-serialised (so that JSON `\u` escapes of
 * non-ASCII text are caught as well).
 */
export function assertNoLeak(
  res: Pick<GraphQLResponse, 'text'>,
  secrets: readonly string[],
): void {
  const texts = [res.text];
  try {
    texts.push(JSON.stringify(JSON.parse(res.text)));
  } catch {
    // Not JSON: the raw text is all there is to search.
  }
  for (const secret of secrets) {
    assert.ok(secret.length > 0, 'an empty secret proves nothing');
    for (const text of texts) {
      const at = text.indexOf(secret);
      assert.ok(
        at < 0,
        `withheld value ${JSON.stringify(secret)} appears in the response: …${text.slice(Math.max(0, at - 120), at + secret.length + 60)}…`,
      );
    }
  }
}

/** A GraphQL error as the tests read it. */
export type ResponseError = NonNullable<GraphQLResponse['errors']>[number];

/**
 * The error with this `extensions.code` (and `rule`, and response path,
 * when given); fails showing the body when there is none.
 */
export function findError(
  res: GraphQLResponse,
  code: string,
  options: { rule?: string; path?: readonly (string | number)[] } = {},
): ResponseError {
  const error = res.errors?.find(
    (e) =>
      e.extensions?.['code'] === code &&
      (options.rule === undefined || e.extensions['rule'] === options.rule) &&
      (options.path === undefined ||
        JSON.stringify(e.path) === JSON.stringify(options.path)),
  );
  assert.ok(
    error,
    `expected an error ${code} ${options.rule ?? ''} ${options.path ? JSON.stringify(options.path) : ''}; got ${res.text.slice(0, 2_000)}`,
  );
  return error;
}

/** `extensions.code` of every error of a response. */
export function codesOf(res: GraphQLResponse): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.['code']);
}

/** `first` characters of a name, then `**` (policies' NAME mask). */
export function maskedName(name: string): string {
  const chars = Array.from(name);
  return chars.length === 1 ? '*' : `${chars[0] ?? ''}**`;
}

/** `13812345678` → `138****5678` (policies' MOBILE mask). */
export function maskedMobile(mobile: string): string {
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

/** A call the capturing proxy saw, as it reached the subgraph. */
export interface CapturedCall {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An HTTP proxy in front of one subgraph that records every call. */
export interface CapturingProxy extends AsyncDisposable {
  /** Where to point the gateway instead of the subgraph (ends in /graphql). */
  readonly url: string;
  readonly calls: CapturedCall[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
]);

/**
 * Starts a proxy that forwards every request to `target` unchanged (same
 * path, headers and body bytes) and records it: to capture real signed
 * gateway-to-subgraph calls.
 */
export async function startCapturingProxy(
  target: string,
): Promise<CapturingProxy> {
  const calls: CapturedCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push({ headers: req.headers, body });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (value === undefined || HOP_BY_HOP.has(key)) continue;
        headers[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      const url = new URL(req.url ?? '/', target);
      fetch(url, {
        method: req.method ?? 'POST',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      })
        .then(async (upstream) => {
          const text = Buffer.from(await upstream.arrayBuffer());
          res.statusCode = upstream.status;
          res.setHeader(
            'content-type',
            upstream.headers.get('content-type') ?? 'application/json',
          );
          res.end(text);
        })
        .catch(() => {
          res.statusCode = 502;
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    calls,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** POSTs an automatic-persisted-query request (hash, with or without text). */
export function postPersisted(
  url: string,
  sha256Hash: string,
  query: string | undefined,
  headers: Record<string, string>,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  return postBody(
    url,
    JSON.stringify({
      ...(query === undefined ? {} : { query }),
      ...(variables === undefined ? {} : { variables }),
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    }),
    headers,
  );
}
