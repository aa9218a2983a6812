// GB 3838-2002 《地表水环境质量标准》: the limits of the basic items for
// surface water, per water-quality class. Pure data and arithmetic, no I/O.
import { UnreachableCaseError } from '../../kit/src/UnreachableCaseError.js';

/** The water-quality parameters this department monitors (schema enum `WaterParameter`). */
export const WATER_PARAMETERS = [
  'DISSOLVED_OXYGEN',
  'AMMONIA_NITROGEN',
  'PERMANGANATE_INDEX',
  'TOTAL_PHOSPHORUS',
  'PETROLEUM',
  'PH',
] as const;

/** One monitored parameter, as stored in `environment.readings.parameter`. */
export type WaterParameter = (typeof WATER_PARAMETERS)[number];

/** The five classes of GB 3838-2002, I (best) to V (worst). */
export const TARGET_CLASSES = ['I', 'II', 'III', 'IV', 'V'] as const;

/** A section's target class, as stored in `environment.sections.target_class`. */
export type TargetClass = (typeof TARGET_CLASSES)[number];

/**
 * What a reading must satisfy to meet a class: `atLeast` for dissolved
 * oxygen (too little oxygen is the pollution), `atMost` for the pollutants,
 * `between` for pH.
 */
export type Standard =
  | { kind: 'atLeast'; limit: number }
  | { kind: 'atMost'; limit: number }
  | { kind: 'between'; min: number; max: number };

/** Limits per class, in the order of {@link TARGET_CLASSES} (table 1 of the standard). */
type ClassLimits = readonly [number, number, number, number, number];

// Dissolved oxygen, class I: "饱和率 90% (或 7.5)" — the 7.5 mg/L figure.
const DISSOLVED_OXYGEN_MIN: ClassLimits = [7.5, 6, 5, 3, 2];
const AMMONIA_NITROGEN_MAX: ClassLimits = [0.15, 0.5, 1.0, 1.5, 2.0];
const PERMANGANATE_INDEX_MAX: ClassLimits = [2, 4, 6, 10, 15];
// Total phosphorus: the river limits (lakes and reservoirs have lower ones).
const TOTAL_PHOSPHORUS_MAX: ClassLimits = [0.02, 0.1, 0.2, 0.3, 0.4];
const PETROLEUM_MAX: ClassLimits = [0.05, 0.05, 0.05, 0.5, 1.0];
const PH_RANGE = { min: 6, max: 9 } as const;

/** True when `value` names a {@link WaterParameter}. */
export function isWaterParameter(value: string): value is WaterParameter {
  return (WATER_PARAMETERS as readonly string[]).includes(value);
}

/** True when `value` names a {@link TargetClass}. */
export function isTargetClass(value: string): value is TargetClass {
  return (TARGET_CLASSES as readonly string[]).includes(value);
}

function limitOf(limits: ClassLimits, targetClass: TargetClass): number {
  return limits[TARGET_CLASSES.indexOf(targetClass)] ?? Number.NaN;
}

/** The unit readings of `parameter` are given in: mg/L, or 无量纲 (dimensionless) for pH. */
export function unitOf(parameter: WaterParameter): string {
  return parameter === 'PH' ? '无量纲' : 'mg/L';
}

/** The GB 3838-2002 limit of `parameter` for a section of `targetClass`. */
export function standardFor(
  parameter: WaterParameter,
  targetClass: TargetClass,
): Standard {
  switch (parameter) {
    case 'DISSOLVED_OXYGEN':
      return {
        kind: 'atLeast',
        limit: limitOf(DISSOLVED_OXYGEN_MIN, targetClass),
      };
    case 'AMMONIA_NITROGEN':
      return {
        kind: 'atMost',
        limit: limitOf(AMMONIA_NITROGEN_MAX, targetClass),
      };
    case 'PERMANGANATE_INDEX':
      return {
        kind: 'atMost',
        limit: limitOf(PERMANGANATE_INDEX_MAX, targetClass),
      };
    case 'TOTAL_PHOSPHORUS':
      return {
        kind: 'atMost',
        limit: limitOf(TOTAL_PHOSPHORUS_MAX, targetClass),
      };
    case 'PETROLEUM':
      return { kind: 'atMost', limit: limitOf(PETROLEUM_MAX, targetClass) };
    case 'PH':
      return { kind: 'between', ...PH_RANGE };
    default:
      throw new UnreachableCaseError(parameter);
  }
}

/**
 * True when a reading of `value` breaches the `targetClass` limit of
 * `parameter`: below the minimum for dissolved oxygen, outside 6–9 for pH,
 * above the maximum for the others. A value exactly at a limit meets it.
 */
export function breachesStandard(
  parameter: WaterParameter,
  targetClass: TargetClass,
  value: number,
): boolean {
  const standard = standardFor(parameter, targetClass);
  switch (standard.kind) {
    case 'atLeast':
      return value < standard.limit;
    case 'atMost':
      return value > standard.limit;
    case 'between':
      return value < standard.min || value > standard.max;
    default:
      throw new UnreachableCaseError(standard);
  }
}
