// The entries of subgraphs' response `extensions` the gateway passes on to
// the caller: only those named here (the search index's state), merged per
// operation. Everything else a subgraph puts in `extensions` stays inside.

/** The subgraph extensions a caller gets. */
export const PASSED_EXTENSIONS: readonly string[] = ['searchIndex'];

const passed = new WeakMap<object, Record<string, unknown>>();

/** Keeps the passed entries of a subgraph response's `extensions` for the operation of `context`. */
export function keepSubgraphExtensions(
  context: object | undefined,
  extensions: unknown,
): void {
  if (
    context === undefined ||
    extensions === null ||
    typeof extensions !== 'object'
  ) {
    return;
  }
  for (const name of PASSED_EXTENSIONS) {
    const value = (extensions as Record<string, unknown>)[name];
    if (value === undefined) continue;
    let kept = passed.get(context);
    if (kept === undefined) {
      kept = {};
      passed.set(context, kept);
    }
    kept[name] = value;
  }
}

/** What {@link keepSubgraphExtensions} kept for the operation of `context`. */
export function subgraphExtensionsOf(
  context: object,
): Record<string, unknown> | undefined {
  return passed.get(context);
}
