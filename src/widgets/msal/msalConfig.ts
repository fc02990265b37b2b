/**
 * MSAL.js configuration built from the lab's public config: the lab's `authConfig.js`.
 * Nothing is retyped: client ID, authority and endpoints all come from `src/config/lab.ts`.
 *
 * Why `knownAuthorities` + `authorityMetadata`: MSAL refuses a non-https authority
 * (`authority_uri_insecure`), and without `knownAuthorities` it asks login.microsoftonline.com to
 * validate the host (instance discovery), which fails offline. The sandbox's authority is therefore
 * an https *label*, and its endpoints (served over plain http on localhost) are pinned as metadata,
 * which MSAL does not fetch or check for https. A real Entra tenant needs neither trick: its
 * authority is fetched normally.
 */
import type { Configuration, PopupRequest, RedirectRequest, SilentRequest } from '@azure/msal-browser';
import type { PublicLabConfig } from '../../config/lab.ts';

/** True when the endpoints are not served at the authority's own origin (the sandbox). */
export function needsPinnedMetadata(config: PublicLabConfig): boolean {
  return new URL(config.tenant.discovery).origin !== new URL(config.tenant.authority).origin;
}

/** The discovery fields MSAL reads, pinned from the config (the same values the tenant's discovery document lists). */
export function pinnedAuthorityMetadata(config: PublicLabConfig): string {
  return JSON.stringify({
    issuer: config.tenant.issuer,
    authorization_endpoint: config.tenant.authorization,
    token_endpoint: config.tenant.token,
    end_session_endpoint: config.tenant.logout,
    jwks_uri: config.tenant.jwks,
  });
}

/**
 * The redirect URI every MSAL interaction uses: the blank bridge page (`/redirect.html`). A page
 * that loads the whole app in MSAL's popup or iframe fails with `block_iframe_reload`; the bridge
 * hands the response back to the page that asked (msal-browser v5 `redirect-bridge`).
 */
export function bridgeRedirectUri(config: PublicLabConfig): string {
  const bridge = config.redirectUris.find((uri) => new URL(uri).pathname === '/redirect.html');
  return bridge ?? (config.redirectUris[0] as string);
}

/**
 * Where the tenant sends the browser after sign-out. Entra (and the sandbox) only redirect to a
 * registered URI, so this is the site's registered root rather than the page the user was on.
 */
export function postLogoutRedirectUri(config: PublicLabConfig): string {
  return config.redirectUris.find((uri) => new URL(uri).pathname === '/') ?? config.siteOrigin;
}

export function msalConfiguration(config: PublicLabConfig): Configuration {
  return {
    auth: {
      clientId: config.ids.spaClientId, // Application (client) ID of the SPA registration
      authority: config.tenant.authority, // https://{host}/{tenant ID}
      knownAuthorities: [config.tenant.authorityHost],
      ...(needsPinnedMetadata(config) ? { authorityMetadata: pinnedAuthorityMetadata(config) } : {}),
      redirectUri: bridgeRedirectUri(config), // registered as type "Single-page application"
      postLogoutRedirectUri: postLogoutRedirectUri(config),
    },
    // sessionStorage: tokens end with the tab, and the cache panel can show exactly what MSAL keeps.
    cache: { cacheLocation: 'sessionStorage' },
  };
}

/** Sign-in asks for the API's delegated scopes up front, so the user consents once. */
export function loginRequest(config: PublicLabConfig): RedirectRequest & PopupRequest {
  return { scopes: [...config.delegatedScopes] };
}

/** Access token for the sample API (`aud` = its client ID, `scp` = the granted scopes). */
export function apiTokenRequest(config: PublicLabConfig, forceRefresh = false): Omit<SilentRequest, 'account'> {
  return { scopes: [...config.delegatedScopes], forceRefresh };
}
