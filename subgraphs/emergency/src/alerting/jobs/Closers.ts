// What a runner has started, to stop in reverse order.

/** Close functions, run last-added first. */
export class Closers {
  private readonly closers: (() => Promise<void>)[] = [];

  add(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** Runs every close function, newest first; rethrows the first failure. */
  async closeAll(): Promise<void> {
    const results = [];
    for (const close of this.closers.reverse()) {
      results.push(
        await close().then(
          () => null,
          (e: unknown) => e,
        ),
      );
    }
    const failed = results.find((r) => r !== null);
    if (failed !== undefined) throw failed;
  }
}
