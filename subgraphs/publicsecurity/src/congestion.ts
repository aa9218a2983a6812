// Reading the jsonb congestion points of a crowd observation.
import { z } from 'zod';

/** A congestion point of a crowd observation, as the schema returns it. */
export interface CongestionPoint {
  name: string;
  latitude: number;
  longitude: number;
  /** Persons per m². */
  density: number;
  level: 'WATCH' | 'WARNING' | 'CRITICAL';
}

const CongestionPointsSchema: z.ZodType<CongestionPoint[]> = z.array(
  z.object({
    name: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    density: z.number(),
    level: z.enum(['WATCH', 'WARNING', 'CRITICAL']),
  }),
);

/**
 * The congestion points stored in `crowd_observations.congestion_points`
 * (jsonb, already parsed by the driver). The column is checked here rather
 * than trusted, so a malformed row fails loudly (and is masked as an internal
 * error) instead of returning objects that break the schema's non-null
 * fields. A JSON string is accepted as well, for drivers that leave jsonb
 * unparsed.
 */
export function parseCongestionPoints(value: unknown): CongestionPoint[] {
  const parsed: unknown =
    typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return CongestionPointsSchema.parse(parsed);
}
