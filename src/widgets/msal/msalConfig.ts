/**
 * MSAL.js configuration built from the lab's public config: the lab's `authConfig.js`.
 * Nothing is retyped: client ID, authority and endpoints all come from `src/config/lab.ts`, and how
 * MSAL reaches the sandbox (`knownAuthorities`, pinned `authorityMetadata`, the redirect bridge) from
 * `src/config/authorityMetadata.ts`, which explains why.
 */
import type { Configuration, PopupRequest, RedirectRequest, SilentRequest } from '@azure/msal-browser';
import { bridgeRedirectUri, needsPinnedMetadata, pinnedAuthorityMetadata } from '../../config/authorityMetadata.ts';
import type { PublicLabConfig } from '../../config/lab.ts';

/**
 * Where the tenant sends the browser after sign-out. Entra (and the sandbox) only redirect to a
 * registered URI, so this is the site's registered root rather than the page the user was on.
 */
export function postLogoutRedirectUri(config: PublicLabConfig): string {
  return config.redirectUris.find((uri) => new URL(uri).pathname === config.basePath) ?? config.siteOrigin;
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
