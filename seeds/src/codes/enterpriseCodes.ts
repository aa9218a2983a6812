import {
  creditCodeCheckChar,
  organisationCodeCheckChar,
} from '../../../subgraphs/kit/src/creditCode.js';

/** The characters GB 32100 allows (no I, O, S, V, Z). */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * A unified social credit code (GB 32100-2015) for an enterprise
 * (`9` registered by market regulation, `1` a company): `91` + the 6-digit
 * district code + the 9-character organisation code (8 characters + its
 * GB 11714 check character) + the check character over the first 17.
 *
 * @param organisationBody - 8 characters from {@link CREDIT_CODE_ALPHABET}
 */
export function makeCreditCode(
  districtCode: string,
  organisationBody: string,
): string {
  const first17 = `91${districtCode}${organisationBody}${organisationCodeCheckChar(organisationBody)}`;
  return first17 + creditCodeCheckChar(first17);
}

/**
 * A 15-digit business registration number (注册号, GB/T 15-digit form): the
 * 6-digit region code, an 8-digit sequence and an ISO 7064 MOD 11,10 check
 * digit. Printed on licences issued before the credit-code reform; the seeds
 * use it as the licence number.
 */
export function makeRegistrationNumber(
  regionCode: string,
  sequence: number,
): string {
  const first14 = `${regionCode}${String(sequence).padStart(8, '0')}`;
  return first14 + mod11_10CheckDigit(first14);
}

/** ISO 7064 MOD 11,10 check digit. */
export function mod11_10CheckDigit(digits: string): string {
  let p = 10;
  for (const ch of digits) {
    let s = (p + Number(ch)) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

/** True when a 15-digit registration number has a correct check digit. */
export function isRegistrationNumber(value: string): boolean {
  return (
    /^\d{15}$/.test(value) &&
    mod11_10CheckDigit(value.slice(0, 14)) === value.charAt(14)
  );
}
