// Production login: OpenID Connect, authorization code with PKCE
// (oidc-client-ts), against the identity provider the console's server
// names (CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID). The console is a
// public client: it holds no secret. The access token the provider issues
// is what the gateway verifies (GOVGRAPH_JWKS_URL) and the console sends.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

import type { ConsoleConfig } from './consoleConfig.js';
import { signIn } from './session.js';

type OidcConfig = NonNullable<ConsoleConfig['oidc']>;

function userManager(config: OidcConfig): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: config.scope,
    loadUserInfo: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Sends the browser to the identity provider's login page. */
export async function startOidcLogin(config: OidcConfig): Promise<void> {
  await userManager(config).signinRedirect();
}

/** Whether this page load is the identity provider's redirect back. */
export function isOidcCallback(): boolean {
  const params = new URLSearchParams(window.location.search);
  return (params.has('code') || params.has('error')) && params.has('state');
}

/**
 * Completes the login the provider redirected back from: exchanges the
 * code (with the PKCE verifier kept in this tab) for tokens, signs in with
 * the access token and removes the code from the address bar.
 */
export async function completeOidcLogin(config: OidcConfig): Promise<void> {
  try {
    const user = await userManager(config).signinRedirectCallback();
    if (!signIn(user.access_token)) {
      throw new Error('访问令牌不是可读取身份的 JWT');
    }
  } finally {
    window.history.replaceState(null, '', `${window.location.pathname}#/`);
  }
}
