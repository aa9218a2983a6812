/** The marker in a condition that {@link SqlConditions.add} numbers. */
const PLACEHOLDER = '$?';

/**
 * Collects `AND`-ed SQL conditions and the values of their `$n` placeholders
 * in step, so that a listing's optional filters never number placeholders by
 * hand.
 *
 * Placeholders are numbered from `$1` in the order the conditions are added;
 * the values line up with {@link SqlConditions.values}. A caller that binds
 * more parameters after these (as `loadPage` does with its limit and offset,
 * and `createPagedChildrenLoader` with the parent keys) numbers them from
 * `values.length + 1`.
 *
 * @example
 * ```ts
 * const c = new SqlConditions();
 * if (filter.regionPrefix !== undefined) {
 *   c.add('s.region_code LIKE $?', `${filter.regionPrefix}%`);
 * }
 * if (filter.riverId !== undefined) c.add('s.river_id = $?', filter.riverId);
 * return loadPage(db, { select, from, ...c.listing, orderBy }, page);
 * ```
 */
export class SqlConditions {
  #values: unknown[] = [];
  readonly #parts: string[] = [];

  /**
   * Adds the condition `sql`, in which every `$?` stands for the placeholder
   * of `value` (e.g. `'r.measured_at >= $?::timestamptz'`).
   *
   * @throws Error when `sql` has no `$?`: the value would be bound to nothing.
   */
  add(sql: string, value: unknown): void {
    if (!sql.includes(PLACEHOLDER)) {
      throw new Error(`SQL condition without a ${PLACEHOLDER}: ${sql}`);
    }
    this.#values.push(value);
    const placeholder = `$${this.#values.length}`;
    this.#parts.push(sql.replaceAll(PLACEHOLDER, () => placeholder));
  }

  /**
   * Adds the condition `sql`, in which the n-th `$?` stands for the
   * placeholder of `values[n]` (a condition built elsewhere, e.g. from CASL
   * rules).
   *
   * @throws Error when the number of `$?` and of values differ.
   */
  addAll(sql: string, values: readonly unknown[]): void {
    const parts = sql.split(PLACEHOLDER);
    if (parts.length - 1 !== values.length) {
      throw new Error(
        `SQL condition with ${String(parts.length - 1)} ${PLACEHOLDER} for ${String(values.length)} values: ${sql}`,
      );
    }
    let text = parts[0] ?? '';
    for (const [i, value] of values.entries()) {
      this.#values.push(value);
      text += `$${String(this.#values.length)}${parts[i + 1] ?? ''}`;
    }
    this.#parts.push(text);
  }

  /**
   * Adds a condition that no row satisfies (`FALSE`), e.g. for a row filter
   * naming an attribute the listed type does not have.
   */
  addFalse(): void {
    this.#parts.push('FALSE');
  }

  /**
   * Conditions for another part of the same statement (a subquery, one
   * branch of a `UNION`): their placeholders continue this object's
   * numbering and their values are bound in this object's
   * {@link SqlConditions.values}, but their `where` is their own, to be
   * placed where that part is written. This object's own `where` does not
   * include them.
   */
  branch(): SqlConditions {
    const branch = new SqlConditions();
    branch.#values = this.#values;
    return branch;
  }

  /** The values of the placeholders so far, `$1` first. */
  get values(): readonly unknown[] {
    return this.#values;
  }

  /** The conditions joined with `AND`; `undefined` when there are none. */
  get where(): string | undefined {
    return this.#parts.length > 0 ? this.#parts.join(' AND ') : undefined;
  }

  /**
   * The `where` and `values` of a `loadPage` or `createPagedChildrenLoader`
   * query, to spread into it: without a `where` when there is no condition.
   */
  get listing(): { where?: string; values: readonly unknown[] } {
    const where = this.where;
    return where !== undefined
      ? { where, values: this.values }
      : { values: this.values };
  }
}
