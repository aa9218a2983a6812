import { createHash } from 'node:crypto';

import type { NegativeListEntry, PolicySet } from '../../../src/index.js';
import type { Queryable } from '../../../../subgraphs/kit/src/db/Database.js';
import { canonicalJson } from '../../../src/index.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type AlgorithmFiling,
  type PolicyDocument,
  type PolicySnapshot,
} from '../../../src/document/PolicyDocument.js';
import { readPolicyDocument } from './readPolicyDocument.js';
import { sortPolicyDocument } from '../../../src/document/index.js';
import { TokenRevocationList } from '../../../src/document/TokenRevocationList.js';
import { readTokenRevocations } from './tokenRevocations.js';

/** Hex digits of the SHA-256 a policy version keeps. */
const VERSION_LENGTH = 16;

/**
 * The version a policy document loads as: the first 16 hex digits of the
 * SHA-256 of its canonical JSON (entries with author and approver, grants,
 * roles, algorithm bindings, and — when there are any — field
 * classifications and settings that differ from the defaults, in canonical
 * order). Equal content gives an equal version whatever order it was
 * written or stored in; any change of any row gives another.
 */
export function policyVersion(doc: PolicyDocument): string {
  const sorted = sortPolicyDocument(doc);
  const classifications = sorted.classifications ?? [];
  const settings = sorted.settings ?? DEFAULT_POLICY_SETTINGS;
  return createHash('sha256')
    .update(
      canonicalJson({
        entries: sorted.entries,
        grants: sorted.grants,
        roles: sorted.roles,
        algorithms: sorted.algorithms,
        ...(classifications.length > 0 ? { classifications } : {}),
        ...(canonicalJson(settings) === canonicalJson(DEFAULT_POLICY_SETTINGS)
          ? {}
          : { settings }),
      }),
    )
    .digest('hex')
    .slice(0, VERSION_LENGTH);
}

/** Freezes a value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Maps frozen by {@link FrozenMap}; their `set`, `delete` and `clear` throw. */
const frozenMaps = new WeakSet<object>();

/** A Map that cannot change once built (a frozen object cannot stop `Map#set`). */
class FrozenMap<K, V> extends Map<K, V> {
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entries);
    frozenMaps.add(this);
    Object.freeze(this);
  }

  override set(key: K, value: V): this {
    if (frozenMaps.has(this)) throw new TypeError('the map is frozen');
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (frozenMaps.has(this)) throw new TypeError('the map is frozen');
    return super.delete(key);
  }

  override clear(): void {
    if (frozenMaps.has(this)) throw new TypeError('the map is frozen');
    super.clear();
  }
}

/** The model's entry: the stored one without author and approver. */
function modelEntry(
  entry: PolicyDocument['entries'][number],
): NegativeListEntry {
  const { author: _author, approver: _approver, ...rest } = entry;
  return rest;
}

/**
 * The immutable snapshot of a validated document: the policy set the
 * engine decides from (versioned by {@link policyVersion}), the filings
 * by id and the token revocations (none unless given). Everything in it is
 * frozen.
 */
export function snapshotOf(
  doc: PolicyDocument,
  loadedAt: Date = new Date(),
  revocations: TokenRevocationList = TokenRevocationList.EMPTY,
): PolicySnapshot {
  const policy: PolicySet = deepFreeze({
    version: policyVersion(doc),
    entries: structuredClone(doc.entries).map(modelEntry),
    grants: structuredClone(doc.grants),
    roles: structuredClone(doc.roles),
    // Object.fromEntries defines own properties: no coordinate can reach
    // the prototype.
    classifications: Object.fromEntries(
      (doc.classifications ?? []).map((c) => [c.coordinate, [...c.tags]]),
    ),
    settings: { ...DEFAULT_POLICY_SETTINGS, ...doc.settings },
  });
  const algorithms = new FrozenMap<string, AlgorithmFiling>(
    doc.algorithms.map((filing) => [
      filing.filingId,
      deepFreeze(structuredClone(filing)),
    ]),
  );
  return Object.freeze({ policy, algorithms, revocations, loadedAt });
}

/**
 * Reads the whole policy store in one consistent read, validates every row
 * and returns it as one frozen snapshot, with the token revocations read
 * just after. A row that is not valid raises a {@link PolicyStoreError}
 * naming it and nothing is returned: never half a policy.
 *
 * @throws PolicyStoreError `INVALID_ROW` or `NOT_MIGRATED`; database errors as they come
 */
export async function loadPolicySnapshot(
  db: Queryable,
): Promise<PolicySnapshot> {
  const doc = await readPolicyDocument(db);
  const revocations = await readTokenRevocations(db);
  return snapshotOf(doc, new Date(), revocations);
}
