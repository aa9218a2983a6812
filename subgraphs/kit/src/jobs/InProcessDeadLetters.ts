// The dead letters of the in-process queue: jobs that failed their last
// attempt, newest first, with what retrying one needs.
import type { DeadLetter } from './JobQueue.js';

/** A dead letter with the options its job was added with. */
export interface StoredDeadLetter<T> extends DeadLetter<T> {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** The newest `max` dead letters of a queue. */
export class InProcessDeadLetters<T> {
  /** Newest first. */
  private readonly letters: StoredDeadLetter<T>[] = [];

  constructor(private readonly max: number) {}

  /** Keeps a dead letter; the oldest is dropped beyond the maximum. */
  add(letter: StoredDeadLetter<T>): void {
    this.letters.unshift(letter);
    if (this.letters.length > this.max) this.letters.length = this.max;
  }

  /** How many are kept. */
  get size(): number {
    return this.letters.length;
  }

  /** The dead letter of job `id`, if any. */
  find(id: string): StoredDeadLetter<T> | undefined {
    return this.letters.find((d) => d.id === id);
  }

  /** Removes and returns the dead letter of job `id`, if any. */
  take(id: string): StoredDeadLetter<T> | undefined {
    const index = this.letters.findIndex((d) => d.id === id);
    const letter = this.letters[index];
    if (letter) this.letters.splice(index, 1);
    return letter;
  }

  /** The newest `limit` dead letters, as the queue reports them. */
  list(limit: number): DeadLetter<T>[] {
    return this.letters.slice(0, limit).map((d) => ({
      id: d.id,
      name: d.name,
      data: d.data,
      attemptsMade: d.attemptsMade,
      failedReason: d.failedReason,
      failedAt: d.failedAt,
    }));
  }
}
