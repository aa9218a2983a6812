import {
  print,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import {
  analyzeOperation,
  type IntrospectionUse,
} from '../analyzeOperation.js';
import { decide, nextPolicyChange } from '../decide/index.js';
import type {
  Decision,
  DecisionCode,
  MaskKind,
  PolicySet,
  Principal,
} from '../model/index.js';
import { removeFields, type RemovalCause } from '../removeFields.js';
import { compileRowScope, type RowScope } from '../scope/index.js';
import { withTypenames } from './withTypenames.js';
import {
  probedTypes,
  referencedRegionTypes,
  withScopeProbes,
} from './withScopeProbes.js';
import type { OwnershipCatalog } from './FieldOwnership.js';

/**
 * The rule of a field no department owns (it cannot be decided, so it is
 * withheld): `unowned-field` for a coordinate the supergraph does not hold,
 * `unowned-field:<construct>` (see {@link unownedFieldRule}) for one whose
 * Federation construct names no owning subgraph.
 */
export const UNOWNED_FIELD_RULE = 'unowned-field';

/** The rule of a field the supergraph holds but names no owner for, by construct. */
export function unownedFieldRule(construct: string): string {
  return `${UNOWNED_FIELD_RULE}:${construct}`;
}

/** The rule of an `@inaccessible` field (never in the API schema; withheld if reached). */
export const INACCESSIBLE_FIELD_RULE = 'inaccessible-field';

/** One coordinate of the operation with the decision that governs it. */
export interface CoordinateDecision {
  readonly coordinate: string;
  /** Departments that resolve it; empty for an unowned field. */
  readonly owners: readonly string[];
  /** Response paths (response keys, no list positions). */
  readonly paths: readonly (readonly string[])[];
  readonly decision: Decision;
}

/** A field removed from the operation before planning. */
export interface WithheldField {
  readonly coordinate: string;
  readonly path: readonly string[];
  readonly code: DecisionCode;
  readonly rule: string;
  readonly reason: string;
  /** Why it went: withheld itself, or with a withheld field (see RemovalCause). */
  readonly cause: RemovalCause;
}

/** A field whose values are masked before the response leaves the gateway. */
export interface MaskedField {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly paths: readonly (readonly string[])[];
  readonly mask: MaskKind;
  readonly rule: string;
}

/**
 * What the gateway does with one operation for one principal and purpose
 * under one policy version: the operation rewritten without its withheld
 * fields, the masks to apply, the row scope to sign into subgraph calls and
 * what to log. Cached (see PlanCache) until {@link expiresAt}.
 */
export interface GovernedPlan {
  /** The operation without withheld fields (and only the selected operation). */
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** `print(document)`. */
  readonly text: string;
  /** Nothing of the top-level selection set was left. */
  readonly empty: boolean;
  /**
   * The document asks for `__govgraph_typename` on abstract selections, so
   * that masks apply per object type; stripped from the response.
   */
  readonly typenames: boolean;
  /**
   * The document asks the home department of region-bearing entities the
   * caller's scope restricts for `__govgraph_scope` (see withScopeProbes):
   * references outside the scope are answered as `null`.
   */
  readonly scopeProbes: boolean;
  readonly operationName: string | null;
  /** Top-level coordinates of the original operation, e.g. `Query.person`. */
  readonly rootFields: readonly string[];
  readonly introspection: IntrospectionUse;
  /**
   * Variables any `@skip`/`@include` of the operation reads (from its text;
   * their coerced values are part of the cache key, see PlanCache).
   */
  readonly conditionVariables: readonly string[];
  /** Every concrete coordinate of the original operation, decided. */
  readonly decisions: readonly CoordinateDecision[];
  readonly withheld: readonly WithheldField[];
  readonly masked: readonly MaskedField[];
  /** Allowed and masked coordinates per owner department (single-owner fields). */
  readonly read: Readonly<Record<string, readonly string[]>>;
  /** The operation touches data another department owns. */
  readonly crossDepartment: boolean;
  readonly scope: RowScope | null;
  /** The policy version decided under. */
  readonly policyVersion: string;
  /** Epoch milliseconds from which the plan must be recomputed (Infinity: never by the clock). */
  readonly expiresAt: number;
}

/** What {@link governOperation} needs. */
export interface GovernInput {
  /** The API schema the document was validated against. */
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName: string | null;
  readonly variables: Readonly<Record<string, unknown>> | null;
  readonly principal: Principal;
  readonly purpose: string;
  readonly policy: PolicySet;
  readonly ownership: OwnershipCatalog;
  /** Coordinates the gateway itself resolves (never decided, never sent on). */
  readonly localCoordinates: ReadonlySet<string>;
  readonly now: Date;
}

function typeAndField(coordinate: string): [string, string] {
  const dot = coordinate.indexOf('.');
  return [coordinate.slice(0, dot), coordinate.slice(dot + 1)];
}

function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

function startsWith(
  path: readonly string[],
  prefix: readonly string[],
): boolean {
  return (
    path.length > prefix.length && prefix.every((step, i) => path[i] === step)
  );
}

/**
 * Decides one coordinate for the principal. A field several departments
 * resolve (an entity key, a shared value type) is the principal's own when
 * its department is among them; otherwise it is decided for every owner and
 * the strictest answer holds (a denial, else a mask, else an allowance).
 */
export function decideCoordinate(
  coordinate: string,
  input: Pick<
    GovernInput,
    'principal' | 'purpose' | 'policy' | 'ownership' | 'now'
  >,
): { owners: readonly string[]; decision: Decision } {
  const ownership = input.ownership.get(coordinate);
  if (ownership === undefined || ownership.owners.length === 0) {
    const rule =
      ownership?.unowned == null
        ? UNOWNED_FIELD_RULE
        : unownedFieldRule(ownership.unowned.construct);
    const why =
      ownership === undefined
        ? 'it is not in the supergraph'
        : (ownership.unowned?.detail ?? 'the supergraph names no owner');
    return {
      owners: [],
      decision: {
        effect: 'DENY',
        coordinate,
        code: 'FORBIDDEN',
        rule,
        reason: `No department owns ${coordinate} (${why}), so it cannot be shared. Its department names itself the owner with @tag(name: "owner:<subgraph>") on the field in its subgraph SDL.`,
        trail: [rule],
      },
    };
  }
  if (ownership.inaccessible) {
    return {
      owners: ownership.owners,
      decision: {
        effect: 'DENY',
        coordinate,
        code: 'FORBIDDEN',
        rule: INACCESSIBLE_FIELD_RULE,
        reason: `${coordinate} is @inaccessible in the supergraph: it is not part of the shared graph.`,
        trail: [INACCESSIBLE_FIELD_RULE],
      },
    };
  }
  const { owners, classification } = ownership;
  const candidates = owners.includes(input.principal.department)
    ? [input.principal.department]
    : owners;
  let chosen: Decision | undefined;
  for (const ownerDepartment of candidates) {
    const decision = decide(
      input.principal,
      input.purpose,
      { coordinate, ownerDepartment, classification },
      input.policy,
      input.now,
    );
    if (decision.effect === 'DENY') return { owners, decision };
    if (chosen === undefined || decision.effect === 'MASK') chosen = decision;
  }
  // candidates is never empty, so chosen is set.
  return { owners, decision: chosen as Decision };
}

/**
 * What a search field may search: for every type its root coordinates name
 * in `search:` tags, the fields of that type the principal may read unmasked
 * (decided like any selected field), and those decisions, whose row filters
 * then restrict the type's rows in the scope as if the fields were selected
 * — so that facet counts obey the same conditions as hits.
 */
function searchableFields(
  input: GovernInput,
  rootFields: readonly string[],
): { readable: Record<string, string[]>; decisions: Decision[] } | null {
  const types = new Set<string>();
  for (const root of rootFields) {
    for (const type of input.ownership.get(root)?.searches ?? []) {
      types.add(type);
    }
  }
  if (types.size === 0) return null;
  const readable: Record<string, string[]> = {};
  for (const type of [...types].sort()) readable[type] = [];
  const decisions: Decision[] = [];
  for (const coordinate of [...input.ownership.keys()].sort()) {
    const [type, field] = typeAndField(coordinate);
    const fields = readable[type];
    if (fields === undefined || field.startsWith('_')) continue;
    const { decision } = decideCoordinate(coordinate, input);
    if (decision.effect !== 'ALLOW') continue;
    fields.push(field);
    decisions.push(decision);
  }
  return { readable, decisions };
}

const regionTypes = new WeakMap<
  OwnershipCatalog,
  { schema: GraphQLSchema; types: ReadonlySet<string> }
>();

/** {@link referencedRegionTypes} of the input's supergraph, computed once. */
function regionTypesOf(input: GovernInput): ReadonlySet<string> {
  const known = regionTypes.get(input.ownership);
  if (known !== undefined && known.schema === input.schema) return known.types;
  const types = referencedRegionTypes(input.schema, input.ownership);
  regionTypes.set(input.ownership, { schema: input.schema, types });
  return types;
}

/** The row scope signed into the operation's subgraph calls. */
function rowScopeOf(
  input: GovernInput,
  rootFields: readonly string[],
  decisions: readonly CoordinateDecision[],
): RowScope | null {
  const search = searchableFields(input, rootFields);
  const scope = compileRowScope(input.principal, [
    ...decisions.map((d) => d.decision),
    ...(search?.decisions ?? []),
  ]);
  if (search === null) return scope;
  return { ...scope, search: search.readable };
}

/**
 * Governs one operation: analyses it (aliases, fragments, abstract types,
 * `@skip`/`@include` with the request's variables), decides every concrete
 * coordinate it can touch, removes the withheld ones before anything is
 * planned, and works out masks, row scope and what the access log records.
 * Pure apart from hashing; the caller caches the result.
 *
 * @throws OperationAnalysisError for a document the analysis cannot take
 */
export function governOperation(input: GovernInput): GovernedPlan {
  const options = {
    operationName: input.operationName,
    variables: input.variables,
  };
  const analysis = analyzeOperation(input.schema, input.document, options);

  const byCoordinate = new Map<string, CoordinateDecision>();
  for (const touched of analysis.coordinates) {
    if (touched.abstract || input.localCoordinates.has(touched.coordinate)) {
      continue;
    }
    const { owners, decision } = decideCoordinate(touched.coordinate, input);
    byCoordinate.set(touched.coordinate, {
      coordinate: touched.coordinate,
      owners,
      paths: touched.paths,
      decision,
    });
  }
  const decisions = [...byCoordinate.values()];

  const removed = removeFields(
    input.document,
    (coordinate) => byCoordinate.get(coordinate)?.decision.effect === 'DENY',
    input.schema,
    options,
  );

  // Fields removed with a withheld one take its code and rule: the denial
  // at the same path (shared selection on an interface) or under it
  // (a selection set left empty).
  const denials = removed.removed.filter((r) => r.cause === 'predicate');
  const withheld: WithheldField[] = [];
  for (const field of removed.removed) {
    const own = byCoordinate.get(field.coordinate)?.decision;
    let cause: Decision | undefined =
      field.cause === 'predicate' ? own : undefined;
    if (cause === undefined) {
      const related = denials.find((d) =>
        field.cause === 'emptied'
          ? startsWith(d.path, field.path)
          : pathKey(d.path) === pathKey(field.path),
      );
      cause = related && byCoordinate.get(related.coordinate)?.decision;
    }
    if (cause?.effect !== 'DENY') continue;
    withheld.push({
      coordinate: field.coordinate,
      path: field.path,
      code: cause.code,
      rule: cause.rule,
      reason:
        field.cause === 'predicate'
          ? cause.reason
          : field.cause === 'emptied'
            ? `Every field selected under ${field.coordinate} is withheld (${cause.coordinate}: ${cause.reason})`
            : `Selected together with ${cause.coordinate} on an interface, which is withheld: ${cause.reason}`,
      cause: field.cause,
    });
  }
  const withheldKeys = new Set(
    withheld.map((w) => `${w.coordinate} ${pathKey(w.path)}`),
  );

  const masked: MaskedField[] = [];
  const read: Record<string, string[]> = {};
  let crossDepartment = false;
  for (const { coordinate, owners, paths, decision } of decisions) {
    if (!owners.includes(input.principal.department)) crossDepartment = true;
    if (decision.effect === 'DENY') continue;
    const livePaths = paths.filter(
      (p) => !withheldKeys.has(`${coordinate} ${pathKey(p)}`),
    );
    if (livePaths.length === 0) continue;
    const [owner] = owners;
    if (owners.length === 1 && owner !== undefined) {
      (read[owner] ??= []).push(coordinate);
    }
    if (decision.effect === 'MASK') {
      const [typeName, fieldName] = typeAndField(coordinate);
      masked.push({
        coordinate,
        typeName,
        fieldName,
        paths: livePaths,
        mask: decision.mask,
        rule: decision.rule,
      });
    }
  }

  const scope = rowScopeOf(input, analysis.rootFields, decisions);
  // A reference to a scoped row goes through the row's home, which answers
  // only rows in scope.
  const probed = withScopeProbes(
    input.schema,
    removed.document,
    probedTypes(regionTypesOf(input), scope),
  );
  // Masks apply per object type: on abstract selections, ask for it.
  const document =
    masked.length > 0 ? withTypenames(input.schema, probed) : probed;
  const text = print(document);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  );
  if (operation === undefined) {
    throw new Error('removeFields returned a document without an operation');
  }
  const next = nextPolicyChange(input.policy, input.now);
  return {
    document,
    operation,
    text,
    empty: removed.empty,
    typenames: document !== probed,
    scopeProbes: probed !== removed.document,
    operationName: analysis.operationName,
    rootFields: analysis.rootFields,
    introspection: analysis.introspection,
    conditionVariables: analysis.conditionVariables,
    decisions,
    withheld,
    masked,
    read,
    crossDepartment,
    scope,
    policyVersion: input.policy.version,
    expiresAt: next === null ? Number.POSITIVE_INFINITY : next.getTime(),
  };
}
