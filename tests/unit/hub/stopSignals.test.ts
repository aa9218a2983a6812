// npm start's signals (hub/stopSignals.ts): one listener per signal from
// start-up on, never swapped (a swap closed the signal's watcher, and a
// SIGTERM delivered to it just then was lost), an early signal handed over
// once the hub is up, and the listeners gone after the first stop. Emitted
// here on SIGUSR2 and SIGHUP, which the test runner does not listen to.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { listenForStop } from '../../../hub/stopSignals.js';

const SIGNALS: NodeJS.Signals[] = ['SIGUSR2', 'SIGHUP'];
const counts = (): number[] => SIGNALS.map((s) => process.listenerCount(s));

describe('npm start’s stop signals', () => {
  const before = counts();
  afterEach(() => {
    // Whatever a test left behind goes, so the next starts clean.
    SIGNALS.forEach((s, i) => {
      for (const l of process.listeners(s).slice(before[i])) {
        process.off(s, l);
      }
    });
  });

  it('keeps the same listener from start-up to the stop: the watcher is never closed in between', () => {
    const stops = listenForStop(SIGNALS);
    const atStart = SIGNALS.map((s) => process.listeners(s).at(-1));
    const calls: string[] = [];
    stops.ready((signal) => calls.push(signal));
    assert.deepEqual(
      SIGNALS.map((s) => process.listeners(s).at(-1)),
      atStart,
      'the listeners are the ones installed at start-up',
    );
    assert.deepEqual(calls, []);
    process.emit('SIGHUP', 'SIGHUP');
    assert.deepEqual(calls, ['SIGHUP']);
  });

  it('hands a signal that came during start-up to the stop once the hub is up', () => {
    const stops = listenForStop(SIGNALS);
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGHUP', 'SIGHUP');
    const calls: string[] = [];
    stops.ready((signal) => calls.push(signal));
    assert.deepEqual(calls, ['SIGUSR2'], 'the first one, once');
    assert.deepEqual(counts(), before, 'and the listeners are gone');
  });

  it('stops once, then leaves the signals to Node (a second Ctrl-C ends the process)', () => {
    const stops = listenForStop(SIGNALS);
    assert.deepEqual(
      counts(),
      before.map((n) => n + 1),
    );
    const calls: string[] = [];
    stops.ready((signal) => calls.push(signal));
    process.emit('SIGUSR2', 'SIGUSR2');
    assert.deepEqual(calls, ['SIGUSR2']);
    assert.deepEqual(counts(), before);
  });
});
