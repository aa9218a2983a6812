/**
 * Why a database could not be seeded. The CLI turns these into one line and
 * exit code 1; nothing is written when one is thrown.
 */
export class SeedError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_EMPTY' | 'NOT_MIGRATED',
    readonly tables: readonly string[],
  ) {
    super(message);
    this.name = this.constructor.name;
  }

  /** The database already holds department data and no reset was asked. */
  static notEmpty(tables: readonly string[]): SeedError {
    const shown =
      tables.length > 3
        ? `${tables.slice(0, 3).join(', ')} and ${tables.length - 3} more`
        : tables.join(', ');
    return new SeedError(
      `the database already holds data (${shown}); seed with reset to replace it`,
      'NOT_EMPTY',
      tables,
    );
  }

  /** Tables the seeds fill do not exist: the migrations were not applied. */
  static notMigrated(tables: readonly string[]): SeedError {
    return new SeedError(
      `tables missing (${tables.join(', ')}); apply the departments' migrations first`,
      'NOT_MIGRATED',
      tables,
    );
  }
}
