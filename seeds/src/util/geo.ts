/** Kilometres per degree of latitude. */
export const KM_PER_DEGREE = 111.32;

/** Great-circle distance in km (haversine). */
export function distanceKm(
  lat1: number,
  lng1: number,
  lat2: number,
  lng2: number,
): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLng = (lng2 - lng1) * toRad;
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `northKm` north and `eastKm` east of (lat, lng). */
export function offsetPoint(
  lat: number,
  lng: number,
  northKm: number,
  eastKm: number,
): [number, number] {
  const dLat = northKm / KM_PER_DEGREE;
  const dLng = eastKm / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  return [lat + dLat, lng + dLng];
}

/** Chongqing's bounding box; generated points are clamped into it. */
export const CHONGQING_BOUNDS = {
  minLat: 28.1,
  maxLat: 32.2,
  minLng: 105.2,
  maxLng: 110.2,
} as const;

/** A coordinate rounded to 6 decimals (≈ 0.1 m) and kept inside Chongqing. */
export function coordinate(
  lat: number,
  lng: number,
): { latitude: number; longitude: number } {
  const b = CHONGQING_BOUNDS;
  return {
    latitude: round(Math.min(b.maxLat, Math.max(b.minLat, lat)), 6),
    longitude: round(Math.min(b.maxLng, Math.max(b.minLng, lng)), 6),
  };
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
