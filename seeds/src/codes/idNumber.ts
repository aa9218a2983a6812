/**
 * 居民身份证号码 (resident identity number), GB 11643-1999: a 6-digit
 * administrative code, the birth date `YYYYMMDD`, a 3-digit sequence that is
 * odd for men and even for women, and a check character computed with
 * ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const SHAPE = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

/** The check character (position 18) of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return CHECK.charAt(sum % 11);
}

/**
 * Builds an identity number.
 *
 * @param regionCode - 6-digit administrative code of the issuing region
 * @param birthDate - `YYYY-MM-DD`
 * @param sequence - 0–999; its parity must match `gender`
 */
export function makeIdNumber(
  regionCode: string,
  birthDate: string,
  sequence: number,
): string {
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** True when `id` is well formed, has a real birth date and a correct check. */
export function isIdNumber(id: string): boolean {
  const m = SHAPE.exec(id);
  if (!m) return false;
  const [, y, mo, d] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    day.getUTCFullYear() !== Number(y) ||
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d)
  ) {
    return false;
  }
  return idNumberCheckChar(id.slice(0, 17)) === id.charAt(17);
}

/** MALE when the sequence digit (position 17) is odd. */
export function genderOfIdNumber(id: string): 'MALE' | 'FEMALE' {
  return Number(id.charAt(16)) % 2 === 1 ? 'MALE' : 'FEMALE';
}
