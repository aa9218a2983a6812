/** The claims the console reads from a token, for navigation and display only. */
export interface TokenClaims {
  readonly sub: string;
  readonly dept: string;
  readonly roles: readonly string[];
  readonly purposes: readonly string[];
  readonly level: string | null;
  readonly region: string | null;
  readonly name: string | null;
}
