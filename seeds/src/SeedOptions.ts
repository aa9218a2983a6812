/**
 * How much data to generate. `demo` is small enough to seed the embedded
 * database in seconds; `city` matches the city-scale numbers of the design
 * (62,000 grids, 520,000 risk items).
 */
export type Scale = 'demo' | 'city';

/** The scales, for argument parsing. */
export const SCALES: readonly Scale[] = ['demo', 'city'];

/** Options of `generateWorld` and `seedDatabase`. */
export interface SeedOptions {
  /**
   * Seed of every random choice: the same seed and scale always give the
   * same world. A non-negative integer.
   */
  seed: number;
  /** How much data to generate. */
  scale: Scale;
}

/** The row counts a scale asks for. */
export interface ScaleProfile {
  /** Grids per street (`perStreet`) or in total over all streets. */
  grids: { perStreet: number } | { total: number };
  persons: number;
  enterprises: number;
  complaints: number;
  inspections: number;
  riskItems: number;
  alerts: number;
}

/** Row counts per scale. */
export const SCALE_PROFILES: Readonly<Record<Scale, ScaleProfile>> = {
  demo: {
    grids: { perStreet: 3 },
    persons: 4_000,
    enterprises: 3_000,
    complaints: 1_500,
    inspections: 2_000,
    riskItems: 6_000,
    alerts: 300,
  },
  city: {
    grids: { total: 62_000 },
    persons: 60_000,
    enterprises: 40_000,
    complaints: 20_000,
    inspections: 30_000,
    riskItems: 520_000,
    alerts: 5_000,
  },
};
