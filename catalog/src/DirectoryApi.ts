import { loadPolicySnapshot } from '../../policies/store/src/policy/index.js';
import { shareClassOf, type PolicySet } from '../../policies/src/index.js';
import {
  parsePage,
  toConnection,
  type Connection,
  type PageArgs,
} from '../../subgraphs/kit/src/pagination.js';
import type { Queryable } from '../../subgraphs/kit/src/db/Database.js';
import type { CatalogShared } from './CatalogShared.js';
import { updateFrequencyOf } from './model/updateFrequency.js';
import { readConsumers } from './repository.js';

/** One field of the supergraph as a data resource. */
export interface DataResource {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly owners: readonly string[];
  readonly description: string | null;
  readonly classification: readonly string[];
  readonly shareClass: string;
  readonly negativeListEntry: string | null;
  readonly updateFrequency: string;
  /** Filing ids whose approved revision reads it while serving. */
  readonly consumers: readonly string[];
}

/**
 * The data directory for one request, derived from the composed supergraph
 * (owners, descriptions, SDL classification), the policy in force (stored
 * classification, share class) and the registry (consuming algorithms):
 * always as current as both.
 */
export class DirectoryApi {
  readonly #db: Queryable;
  readonly #shared: CatalogShared;
  #policy: Promise<PolicySet> | undefined;

  constructor(db: Queryable, shared: CatalogShared) {
    this.#db = db;
    this.#shared = shared;
  }

  #loadPolicy(): Promise<PolicySet> {
    this.#policy ??= loadPolicySnapshot(this.#db).then((s) => s.policy);
    return this.#policy;
  }

  async #resources(coordinates: readonly string[]): Promise<DataResource[]> {
    const policy = await this.#loadPolicy();
    const consumers = await readConsumers(this.#db, coordinates);
    const now = this.#shared.now();
    const stored = policy.classifications ?? {};
    return coordinates.flatMap((coordinate) => {
      const ownership = this.#shared.supergraph.ownership.get(coordinate);
      if (ownership === undefined) return [];
      const extra = Object.hasOwn(stored, coordinate)
        ? (stored[coordinate] ?? [])
        : [];
      const classification = [
        ...new Set([...ownership.classification, ...extra]),
      ];
      // A field several departments resolve stands as its strictest owner's.
      const standings = ownership.owners.map((ownerDepartment) =>
        shareClassOf(
          { coordinate, ownerDepartment, classification },
          policy,
          now,
        ),
      );
      const standing =
        standings.find((s) => s.shareClass === 'NOT_SHARED') ??
        standings.find((s) => s.shareClass === 'CONDITIONAL') ??
        standings[0];
      const dot = coordinate.indexOf('.');
      return [
        {
          coordinate,
          typeName: coordinate.slice(0, dot),
          fieldName: coordinate.slice(dot + 1),
          owners: ownership.owners,
          description: this.#shared.descriptions.get(coordinate) ?? null,
          classification,
          shareClass: standing?.shareClass ?? 'UNCONDITIONAL',
          negativeListEntry: standing?.entry ?? null,
          updateFrequency: updateFrequencyOf(coordinate),
          consumers: consumers.get(coordinate) ?? [],
        },
      ];
    });
  }

  async resource(coordinate: string): Promise<DataResource | null> {
    const [found] = await this.#resources([coordinate]);
    return found ?? null;
  }

  async resources(
    filter: { ownerDepartment?: string | null; search?: string | null },
    args: PageArgs,
  ): Promise<Connection<DataResource>> {
    const page = parsePage(args);
    const needle = filter.search?.trim().toLowerCase() ?? '';
    const matching = [...this.#shared.supergraph.ownership]
      .filter(
        ([coordinate, o]) =>
          (filter.ownerDepartment === null ||
            filter.ownerDepartment === undefined ||
            o.owners.includes(filter.ownerDepartment)) &&
          (needle === '' ||
            coordinate.toLowerCase().includes(needle) ||
            (this.#shared.descriptions.get(coordinate) ?? '')
              .toLowerCase()
              .includes(needle)),
      )
      .map(([coordinate]) => coordinate)
      .sort();
    const slice = matching.slice(page.offset, page.offset + page.limit);
    return toConnection(await this.#resources(slice), page, matching.length);
  }
}
