// The collections an indexer serves: each with its source and its
// department's outbox, and which of them are being rebuilt here.
import type { Database } from '../../../subgraphs/kit/src/db/Database.js';
import { Outbox } from './outbox.js';
import type { CollectionSource, SearchSource } from './SearchSource.js';

/** A collection with its source and outbox. */
export interface CollectionEntry {
  readonly source: SearchSource;
  readonly collection: CollectionSource;
  readonly outbox: Outbox;
}

/** The collections of the sources, by name (names are unique). */
export class SearchCollections {
  /** One per source, in the order of the sources. */
  readonly outboxes: readonly Outbox[];
  private readonly entries = new Map<string, CollectionEntry>();

  constructor(db: Database, sources: readonly SearchSource[]) {
    const outboxes: Outbox[] = [];
    for (const source of sources) {
      const outbox = new Outbox(db, source.outboxTable);
      outboxes.push(outbox);
      for (const collection of source.collections) {
        const name = collection.spec.name;
        if (this.entries.has(name)) {
          throw new Error(`search collection ${name} has two sources`);
        }
        this.entries.set(name, { source, collection, outbox });
      }
    }
    this.outboxes = outboxes;
  }

  /** Every collection, by name. */
  all(): IterableIterator<[string, CollectionEntry]> {
    return this.entries.entries();
  }

  has(collection: string): boolean {
    return this.entries.has(collection);
  }

  /** The collections whose changes `outbox` carries. */
  ofOutbox(outbox: Outbox): CollectionEntry[] {
    return [...this.entries.values()].filter((e) => e.outbox === outbox);
  }

  /** The entry of `collection`; throws for an unknown one. */
  entryOf(collection: string): CollectionEntry {
    const entry = this.entries.get(collection);
    if (!entry) throw new Error(`unknown search collection ${collection}`);
    return entry;
  }

  /** For a job: a collection this hub does not know cannot succeed on retry. */
  knownEntry(collection: string): CollectionEntry {
    try {
      return this.entryOf(collection);
    } catch (error) {
      throw Object.assign(error as Error, { unrecoverable: true });
    }
  }
}

/** Collections being rebuilt here: the relay leaves their rows alone. */
export class ReindexHolds {
  private readonly counts = new Map<string, number>();

  /** Holds the relay off `collection` until the returned release is called. */
  hold(collection: string): () => void {
    this.counts.set(collection, (this.counts.get(collection) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.counts.get(collection) ?? 1) - 1;
      if (n > 0) this.counts.set(collection, n);
      else this.counts.delete(collection);
    };
  }

  has(collection: string): boolean {
    return this.counts.has(collection);
  }

  /** The collections held, in the order they were first held. */
  collections(): string[] {
    return [...this.counts.keys()];
  }
}
