// What the governance property runs against: one seeded hub (the real
// gateway and subgraphs over a fresh PostgreSQL database), the API schema
// it serves, the policy it loaded, every demo principal with the decision
// the policy takes for each coordinate, and the ground truth read from the
// database as the owning departments hold it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { Supergraph } from '@apollo/federation-internals';
import fc from 'fast-check';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isNonNullType,
  printSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

import { DEFAULT_SUPERGRAPH_PATH } from '../../subgraphs/kit/src/index.js';
import { type PolicyInForce } from '../../gateway/src/pipeline/index.js';
import {
  decideCoordinate,
  readOwnership,
  withExplain,
  type OwnershipCatalog,
} from '../../policies/src/index.js';
import { demoUsers, type DemoUser } from '../../hub/demoUsers.js';
import {
  mask,
  mayIntrospect,
  type Decision,
  type MaskKind,
  type Principal,
} from '../../policies/src/index.js';
import { demoHeaders } from '../utils/graphql.js';
import { startTestHub, type TestHub } from '../utils/hub.js';
import {
  oracleEntry,
  readScopedRows,
  readTableColumns,
  readValues,
  type OracleEntry,
  type ScopedRows,
  type TableColumns,
} from './groundTruth.js';
import type { ArgumentSource } from './operationArbitrary.js';
import type { ValueSpec } from './operationSpec.js';

/** A demo user acting for one of its purposes. */
export interface PropertyPrincipal {
  /** `user (purpose)`, for reports. */
  readonly label: string;
  readonly user: DemoUser;
  readonly purpose: string;
  /** The policy engine's principal, as the gateway builds it. */
  readonly principal: Principal;
  /** Every coordinate's decision for this principal and purpose. */
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly mayIntrospect: boolean;
}

/** A withheld value the body search looks for, and whose it is. */
export interface Secret {
  readonly coordinate: string;
  readonly value: string;
}

/** The running hub and everything the oracle knows. */
export interface PropertyWorld extends AsyncDisposable {
  readonly hub: TestHub;
  readonly gatewayUrl: string;
  /** The API schema the gateway serves (with `Query.explain`). */
  readonly schema: GraphQLSchema;
  /** Coordinates the gateway resolves itself (explain). */
  readonly localCoordinates: ReadonlySet<string>;
  readonly ownership: OwnershipCatalog;
  readonly governance: PolicyInForce;
  readonly principals: readonly PropertyPrincipal[];
  /** Oracle entry per coordinate of the ownership catalog. */
  readonly oracle: ReadonlyMap<string, OracleEntry>;
  /**
   * Coordinates the policy withholds or masks for some principal that the
   * oracle cannot check (see {@link oracleGaps}); the property refuses to
   * run while there are any.
   */
  readonly oracleGaps: readonly string[];
  /** True values per coordinate with a `values` entry. */
  readonly values: ReadonlyMap<string, ReadonlySet<string>>;
  readonly rows: ScopedRows;
  readonly arguments: ArgumentSource;
  /** Withheld values of a principal the body must never contain, by length. */
  secretsOf(principal: PropertyPrincipal): SecretIndex;
  /** `mask(kind, v)` of every true value of a coordinate. */
  maskedValuesOf(coordinate: string, kind: MaskKind): ReadonlySet<string>;
  /** Fresh bearer-token headers for a principal. */
  headersOf(principal: PropertyPrincipal): Promise<Record<string, string>>;
}

/** Secrets grouped by length, for a sliding-window search. */
export interface SecretIndex {
  readonly byLength: ReadonlyMap<number, ReadonlyMap<string, Secret>>;
  readonly size: number;
}

/** Text that contains a CJK character. */
const CJK = /[\u3400-\u9fff]/u;

/**
 * Whether a value is distinctive enough to search a body for: Chinese text
 * of two characters or more (personal names have two or three), other text
 * of six characters or more (shorter codes and units such as `mg/L` or
 * `COD` occur in any body). A value is also dropped when the principal may
 * read it under some coordinate (it is then not withheld information), or
 * when it occurs in the schema or the policy texts the gateway sends in
 * errors (see {@link startPropertyWorld}).
 */
export function isDistinctive(value: string): boolean {
  return CJK.test(value) ? Array.from(value).length >= 2 : value.length >= 6;
}

function policyPrincipal(user: DemoUser, governance: PolicyInForce): Principal {
  const { claims } = user;
  const base = {
    subject: claims.sub,
    department: claims.dept,
    roles: claims.roles,
    level: claims.level,
    regionCode: claims.region,
    purposes: claims.purposes,
  };
  if (claims.filing === undefined) return base;
  const filing = governance.algorithms.get(claims.filing);
  return {
    ...base,
    algorithm: {
      filingId: claims.filing,
      state: filing?.state ?? 'RETIRED',
      inputs: filing?.inputs ?? [],
    },
  };
}

/** A stable pseudo-random order (by hash) for sampling keys. */
function hashOrder(values: Iterable<string>): string[] {
  const h = (v: string): string => createHash('sha1').update(v).digest('hex');
  return [...values].sort((a, b) => (h(a) < h(b) ? -1 : 1));
}

/** The regions the demo principals act in: keys there are sampled first. */
const PRINCIPAL_REGIONS = [
  ...new Set(demoUsers.map((u) => u.claims.region)),
].filter((r) => r !== '500000');

/** Keys of a type for generated lookups: some in every principal's region, some anywhere. */
function sampleKeys(rows: ScopedRows, typeName: string, size = 24): string[] {
  const byKey = rows.get(typeName);
  if (byKey === undefined) return [];
  const keys = hashOrder(byKey.keys());
  const chosen = new Set<string>();
  for (const region of PRINCIPAL_REGIONS) {
    keys
      .filter((k) => byKey.get(k)?.region?.startsWith(region) === true)
      .slice(0, 4)
      .forEach((k) => chosen.add(k));
  }
  for (const k of keys) {
    if (chosen.size >= size) break;
    chosen.add(k);
  }
  return [...chosen];
}

const SEARCH_TEXTS = ['河', '重庆', '危化', '污水', 'A'];
const REGION_CODES = ['500000', '500103', '500103001', '500110', '500106'];

/** Argument values from the seeded data. */
function argumentSource(
  schema: GraphQLSchema,
  rows: ScopedRows,
  extras: {
    coordinates: readonly string[];
    departments: readonly string[];
    policyVersions: readonly string[];
  },
): ArgumentSource {
  const keysOf = new Map<string, string[]>();
  const keys = (typeName: string): string[] => {
    let list = keysOf.get(typeName);
    if (list === undefined) {
      const type = schema.getType(typeName);
      list =
        type !== undefined && type !== null && isAbstractType(type)
          ? schema
              .getPossibleTypes(type)
              .flatMap((t) => sampleKeys(rows, t.name, 12))
          : sampleKeys(rows, typeName);
      keysOf.set(typeName, list);
    }
    return list;
  };
  const strings = (
    values: readonly string[],
  ): fc.Arbitrary<ValueSpec> | null =>
    values.length === 0
      ? null
      : fc
          .constantFrom(...values)
          .map((value) => ({ kind: 'string' as const, value }));
  return {
    valuesFor(
      parentType: string,
      field: GraphQLField<unknown, unknown>,
      argument: GraphQLArgument,
    ): fc.Arbitrary<ValueSpec> | null {
      const named = getNamedType(argument.type);
      const required = isNonNullType(argument.type);
      if (isEnumType(named)) {
        return fc
          .constantFrom(...named.getValues().map((v) => v.name))
          .map((value) => ({ kind: 'enum' as const, value }));
      }
      switch (named.name) {
        case 'Boolean':
          return fc
            .boolean()
            .map((value) => ({ kind: 'boolean' as const, value }));
        case 'Int':
          return fc
            .integer({ min: 1, max: 2 })
            .map((value) => ({ kind: 'int' as const, value }));
        case 'Float':
          return argument.name === 'latitude'
            ? fc
                .constantFrom(29.556, 29.01)
                .map((value) => ({ kind: 'float' as const, value }))
            : argument.name === 'longitude'
              ? fc
                  .constantFrom(106.577, 106.65)
                  .map((value) => ({ kind: 'float' as const, value }))
              : null;
        case 'ID':
        case 'String':
          break;
        default:
          return null;
      }
      switch (argument.name) {
        case 'coordinate':
          return strings(extras.coordinates);
        case 'ownerDepartment':
        case 'consumerDepartment':
          return strings(extras.departments);
        case 'regionCode':
        case 'parentCode':
          return strings(REGION_CODES);
        case 'categoryCode':
          return strings(keys('RiskCategory'));
        case 'riverId':
          return strings(keys('River'));
        case 'filingId':
          return strings(keys('AlgorithmFiling'));
        case 'nameContains':
        case 'search':
        case 'text':
          return strings(SEARCH_TEXTS);
        case 'from':
        case 'to':
          return parentType === 'Query' ? strings(extras.policyVersions) : null;
      }
      if (parentType === 'Query' && required && named.name === 'ID') {
        return strings(keys(getNamedType(field.type).name));
      }
      return null;
    },
  };
}

/** Options of {@link startPropertyWorld}. */
export interface PropertyWorldOptions {
  /** Where progress goes. @defaultValue nowhere */
  readonly log?: (line: string) => void;
}

/**
 * Starts a seeded test hub and reads everything the oracle needs,
 * including the coordinates it cannot check (`oracleGaps`).
 */
export async function startPropertyWorld(
  options: PropertyWorldOptions = {},
): Promise<PropertyWorld> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const hub = await startTestHub({ replayScenarios: false });
  try {
    log(`hub started in ${String(Math.round(performance.now() - started))} ms`);
    const db = hub.tdb.db;
    const sdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
    const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    const { schema, localCoordinates } = withExplain(api);
    const ownership = readOwnership(sdl);
    const governance = hub.hub.policy.current();
    const now = new Date();

    const principals: PropertyPrincipal[] = demoUsers.flatMap((user) =>
      user.claims.purposes.map((purpose) => {
        const principal = policyPrincipal(user, governance);
        const decisions = new Map<string, Decision>();
        for (const coordinate of ownership.keys()) {
          decisions.set(
            coordinate,
            decideCoordinate(coordinate, {
              principal,
              purpose,
              policy: governance.policy,
              ownership,
              now,
            }).decision,
          );
        }
        return {
          label: `${user.id} (${purpose})`,
          user,
          purpose,
          principal,
          decisions,
          mayIntrospect: mayIntrospect(principal, governance.policy),
        };
      }),
    );

    const columns: TableColumns = await readTableColumns(db);
    const oracle = new Map<string, OracleEntry>();
    const values = new Map<string, ReadonlySet<string>>();
    for (const coordinate of ownership.keys()) {
      const entry = oracleEntry(schema, columns, coordinate);
      oracle.set(coordinate, entry);
      if (entry.kind === 'values') {
        values.set(coordinate, await readValues(db, entry.sql));
      }
    }
    const gaps = oracleGaps(principals, oracle);
    const rows = await readScopedRows(db, schema);
    const { rows: versions } = await db.query<{ version: string }>(
      'SELECT version FROM policy.publications ORDER BY seq',
    );
    const args = argumentSource(schema, rows, {
      coordinates: hashOrder(ownership.keys()).slice(0, 24),
      departments: [
        ...new Set([...ownership.values()].flatMap((o) => o.owners)),
      ].sort(),
      policyVersions: versions.map((v) => v.version),
    });

    // Texts the gateway may send whatever the data: the schema (names,
    // descriptions, and its coordinates, which errors and explain cite) and
    // the policy (reasons, legal bases, rules).
    const publicText = new TextIndex(
      [
        printSchema(schema),
        [...ownership.keys()].join('\n'),
        JSON.stringify(governance.policy),
      ].join('\n'),
    );
    const secrets = new Map<string, SecretIndex>();
    const masked = new Map<string, ReadonlySet<string>>();

    log(
      `world ready in ${String(Math.round(performance.now() - started))} ms: ${String(principals.length)} principals, ${String(values.size)} coordinates with ground truth`,
    );
    return {
      hub,
      gatewayUrl: hub.hub.gatewayUrl,
      schema,
      localCoordinates,
      ownership,
      governance,
      principals,
      oracle,
      oracleGaps: gaps,
      values,
      rows,
      arguments: args,
      secretsOf(principal) {
        let index = secrets.get(principal.label);
        if (index === undefined) {
          index = secretIndex(principal, values, publicText);
          secrets.set(principal.label, index);
        }
        return index;
      },
      maskedValuesOf(coordinate, kind) {
        const key = `${coordinate} ${kind}`;
        let set = masked.get(key);
        if (set === undefined) {
          // HASH digests with the gateway's secret, which the test does
          // not know: its image stays empty (see checkResponse).
          set =
            kind === 'HASH'
              ? new Set()
              : new Set(
                  [...(values.get(coordinate) ?? [])].map((v) =>
                    String(mask(kind, v)),
                  ),
                );
          masked.set(key, set);
        }
        return set;
      },
      headersOf: (p) => demoHeaders(p.user.id, { purpose: p.purpose }),
      async [Symbol.asyncDispose]() {
        await hub[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await hub[Symbol.asyncDispose]();
    throw error;
  }
}

/**
 * Coordinates the policy withholds or masks for some principal that the
 * oracle cannot check: text values without ground truth (a `missing`
 * entry), and masked coordinates without true values (the mask check
 * compares with the mask of the true value).
 */
export function oracleGaps(
  principals: readonly PropertyPrincipal[],
  oracle: ReadonlyMap<string, OracleEntry>,
): string[] {
  const gaps: string[] = [];
  for (const [coordinate, entry] of oracle) {
    const effects = new Set(
      principals.map((p) => p.decisions.get(coordinate)?.effect),
    );
    if (!effects.has('DENY') && !effects.has('MASK')) continue;
    if (entry.kind === 'missing') {
      gaps.push(`  ${coordinate}: ${entry.reason}`);
    } else if (effects.has('MASK') && entry.kind !== 'values') {
      gaps.push(
        `  ${coordinate}: masked for some principal, but the oracle has no true values (${entry.reason})`,
      );
    }
  }
  return gaps;
}

/**
 * Substring search in one long text, answered by its rarest two-character
 * gram: the text is indexed once, and each query checks only the places
 * where that gram occurs. Answers are cached.
 */
class TextIndex {
  readonly #text: string;
  readonly #grams = new Map<string, number[]>();
  readonly #answers = new Map<string, boolean>();

  constructor(text: string) {
    this.#text = text;
    for (let i = 0; i + 2 <= text.length; i += 1) {
      const gram = text.slice(i, i + 2);
      let at = this.#grams.get(gram);
      if (at === undefined) {
        at = [];
        this.#grams.set(gram, at);
      }
      at.push(i);
    }
  }

  includes(value: string): boolean {
    let answer = this.#answers.get(value);
    if (answer === undefined) {
      answer = this.#search(value);
      this.#answers.set(value, answer);
    }
    return answer;
  }

  #search(value: string): boolean {
    if (value.length < 2) return this.#text.includes(value);
    let best: number[] | undefined;
    let offset = 0;
    for (let j = 0; j + 2 <= value.length; j += 1) {
      const at = this.#grams.get(value.slice(j, j + 2));
      if (at === undefined) return false;
      if (best === undefined || at.length < best.length) {
        best = at;
        offset = j;
      }
    }
    return (best ?? []).some((p) => this.#text.startsWith(value, p - offset));
  }
}

function secretIndex(
  principal: PropertyPrincipal,
  values: ReadonlyMap<string, ReadonlySet<string>>,
  publicText: TextIndex,
): SecretIndex {
  const readable = new Set<string>();
  for (const [coordinate, set] of values) {
    if (principal.decisions.get(coordinate)?.effect !== 'ALLOW') continue;
    for (const v of set) readable.add(v);
  }
  const byLength = new Map<number, Map<string, Secret>>();
  let size = 0;
  for (const [coordinate, set] of values) {
    const decision = principal.decisions.get(coordinate);
    if (decision === undefined || decision.effect === 'ALLOW') continue;
    for (const value of set) {
      if (!isDistinctive(value) || readable.has(value)) continue;
      // A masked value may be read in its masked form, which can equal
      // the clear one (nothing to hide).
      if (
        decision.effect === 'MASK' &&
        mask(decision.mask, value, { hash: (s) => `#${s}` }) === value
      ) {
        continue;
      }
      if (publicText.includes(value)) continue;
      let bucket = byLength.get(value.length);
      if (bucket === undefined) {
        bucket = new Map();
        byLength.set(value.length, bucket);
      }
      if (!bucket.has(value)) {
        bucket.set(value, { coordinate, value });
        size += 1;
      }
    }
  }
  return { byLength, size };
}
