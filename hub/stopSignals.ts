// Ctrl-C and SIGTERM for `npm start`: one listener per signal from the
// start of start-up to the first signal after it. A signal that arrives
// while the hub starts (the gateway may already answer while the job
// runners start) is kept and handed to the stop once the hub is up, so the
// hub stops whole, not half-way. The listeners are never swapped for
// others: Node closes a signal's watcher when its last listener goes, and
// libuv drops a signal delivered to a watcher closed before the event loop
// read it — a SIGTERM sent just as `npm start` printed that it was up (the
// start-up listener removed, the running one added, in the same tick) was
// lost that way, and the hub kept running.

/** The signals {@link listenForStop} listens for by default. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** What {@link listenForStop} returns. */
export interface StopSignals {
  /**
   * From now on a signal calls `stop`; one that came before calls it at
   * once. After the first call the listeners are removed, so a second
   * Ctrl-C ends the process at once, as Node does without a listener.
   */
  ready(stop: (signal: NodeJS.Signals) => void): void;
}

/** Listens for `signals` until the process is ready to stop on them. */
export function listenForStop(
  signals: readonly NodeJS.Signals[] = STOP_SIGNALS,
): StopSignals {
  let early: NodeJS.Signals | null = null;
  let stop: ((signal: NodeJS.Signals) => void) | null = null;
  const hand = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.off(s, listener);
    stop?.(signal);
  };
  const listener = (signal: NodeJS.Signals): void => {
    if (stop === null) early ??= signal;
    else hand(signal);
  };
  for (const s of signals) process.on(s, listener);
  return {
    ready(onStop) {
      stop = onStop;
      if (early !== null) hand(early);
    },
  };
}
