/** Proves a switch over a union exhaustive: reaching it is a compile error. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
    this.name = this.constructor.name;
  }
}
