// Progress of long work (the city-scale seed, a search reindex): a bar
// redrawn in place on a terminal (cli-progress), plain lines otherwise —
// a log file or a pipe gets one line a second at most, and the last one.
import { SingleBar } from 'cli-progress';

/** Where progress goes: a stream, a terminal when `isTTY`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Work counted in `unit`s, `done` of `total` after `elapsedMs`. */
export interface ProgressState {
  readonly label: string;
  readonly unit: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** Units a second so far; 0 before any time has passed. */
export function progressRate(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
}

/**
 * Milliseconds left at the rate so far: 0 when done, null while nothing is
 * done yet (no rate to go by).
 */
export function progressEtaMs(state: ProgressState): number | null {
  if (state.done >= state.total) return 0;
  const rate = progressRate(state);
  return rate > 0 ? ((state.total - state.done) * 1000) / rate : null;
}

/** `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${String(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${String(minutes)} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${String(Math.floor(minutes / 60))} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * One plain line of progress:
 * `reindexing riskItems: 12000/48000 documents (25%), 4100/s, ETA 9 s`.
 */
export function progressLine(state: ProgressState): string {
  const percent =
    state.total > 0 ? Math.floor((state.done * 100) / state.total) : 100;
  const eta = progressEtaMs(state);
  return `${state.label}: ${String(state.done)}/${String(state.total)} ${state.unit} (${String(percent)}%), ${String(Math.round(progressRate(state)))}/s, ${
    state.done >= state.total
      ? `done in ${formatDuration(state.elapsedMs)}`
      : `ETA ${eta === null ? '?' : formatDuration(eta)}`
  }`;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly label: string;
  readonly unit: string;
  readonly total: number;
  readonly stream: ProgressStream;
  /** Put before each plain line (`govgraph: `). @defaultValue '' */
  readonly prefix?: string;
  /**
   * Whether to draw a bar: on a terminal by default. Off, plain lines are
   * written (at most one each `intervalMs`, and the last).
   */
  readonly bar?: boolean;
  /** @defaultValue 1000 */
  readonly intervalMs?: number;
  /** The clock. @defaultValue performance.now */
  readonly now?: () => number;
  /**
   * How long the work has been going when its progress is first shown
   * (rates and ETAs count from its start). @defaultValue 0
   */
  readonly startedAgoMs?: number;
}

/** A piece of long work's progress. */
export interface Progress {
  /** `done` units are done (of the total); `detail` says what is next. */
  update(done: number, detail?: string): void;
  /** The work ended (the bar is completed and left on its line). */
  finish(): void;
}

/** Starts reporting progress: see {@link ProgressOptions}. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now() - (options.startedAgoMs ?? 0);
  const prefix = options.prefix ?? '';
  const state = (done: number): ProgressState => ({
    label: options.label,
    unit: options.unit,
    done,
    total: options.total,
    elapsedMs: now() - started,
  });
  if (options.bar ?? options.stream.isTTY === true) {
    const bar = new SingleBar({
      format: `${prefix}${options.label} [{bar}] {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted} {detail}`,
      stream: options.stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
      noTTYOutput: true,
    });
    bar.start(options.total, 0, { rate: '0', detail: '' });
    let last = 0;
    return {
      update(done, detail) {
        last = done;
        bar.update(done, {
          rate: String(Math.round(progressRate(state(done)))),
          detail: detail ?? '',
        });
      },
      finish() {
        bar.update(Math.max(last, options.total), {
          rate: String(Math.round(progressRate(state(last)))),
          detail: '',
        });
        bar.stop();
      },
    };
  }
  const intervalMs = options.intervalMs ?? 1000;
  let written = -Infinity;
  let last = 0;
  let finished = false;
  return {
    update(done) {
      if (finished) return;
      last = done;
      const at = now();
      if (done < options.total && at - written < intervalMs) return;
      written = at;
      options.stream.write(`${prefix}${progressLine(state(done))}\n`);
      if (done >= options.total) finished = true;
    },
    finish() {
      if (finished) return;
      finished = true;
      options.stream.write(`${prefix}${progressLine(state(last))}\n`);
    },
  };
}
