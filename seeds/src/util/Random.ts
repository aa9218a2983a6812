import { at, invariant } from './invariant.js';

/**
 * A small seeded pseudo-random generator (sfc32, seeded through cyrb128) so
 * that every generator is deterministic: the same seed and labels always give
 * the same sequence. `Math.random()` is never used by the seeds.
 *
 * Streams are derived from a numeric seed plus labels (`new Random(seed,
 * 'persons')`), so that adding draws to one stream never shifts another.
 *
 * @see {@link https://pracrand.sourceforge.net/RNG_engines.txt} for sfc32
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, ...labels: readonly (string | number)[]) {
    const [a, b, c, d] = cyrb128([seed, ...labels].join('\u001f'));
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    for (let i = 0; i < 12; i += 1) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    invariant(max >= min, `int(${min}, ${max})`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A normally distributed value (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    invariant(items.length > 0, 'pick from an empty list');
    return at(items, Math.floor(this.next() * items.length));
  }

  /** One element, with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    invariant(items.length === weights.length && items.length > 0, 'weights');
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i += 1) {
      r -= at(weights, i);
      if (r < 0) return at(items, i);
    }
    return at(items, items.length - 1);
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = at(copy, i);
      copy[i] = at(copy, j);
      copy[j] = tmp;
    }
    return copy;
  }

  /** `count` distinct elements in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const indexes = this.shuffle(items.map((_, i) => i))
      .slice(0, count)
      .sort((x, y) => x - y);
    return indexes.map((i) => at(items, i));
  }

  /** `length` lowercase hexadecimal characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += this.uint32().toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }
}

/**
 * A picker that draws from a fixed weighted list in O(log n) per draw; for
 * the large tables where {@link Random.weighted} would be quadratic.
 */
export function createWeightedPicker<T>(
  items: readonly T[],
  weights: readonly number[],
): (random: Random) => T {
  invariant(items.length === weights.length && items.length > 0, 'weights');
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  return (random) => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at(cumulative, mid) > r) hi = mid;
      else lo = mid + 1;
    }
    return at(items, lo);
  };
}

/** cyrb128: a fast 128-bit string hash, used only to seed sfc32. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
