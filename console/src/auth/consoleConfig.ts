/** What the console's server says about logging in (GET /api/console-config). */
export interface ConsoleConfig {
  /** Demo logins are offered (loopback browsers, `npm start`). */
  readonly demo: boolean;
  /** The identity provider for OpenID Connect, when configured. */
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string;
    readonly scope: string;
  } | null;
}

/** Reads the login configuration; none of it is secret. */
export async function fetchConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/api/console-config');
  if (!response.ok) return { demo: false, oidc: null };
  return (await response.json()) as ConsoleConfig;
}

/** A demo user of GET /api/demo-users. */
export interface DemoUser {
  readonly id: string;
  readonly description: string;
  readonly roles: readonly string[];
}
