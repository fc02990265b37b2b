/**
 * How MSAL.js in the browser (the widgets, the capture script) reaches the tenant, derived from the
 * lab's config; nothing is retyped.
 *
 * Why `knownAuthorities` + `authorityMetadata`: MSAL refuses a non-https authority
 * (`authority_uri_insecure`), and without `knownAuthorities` it asks login.microsoftonline.com to
 * validate the host (instance discovery), which fails offline. The sandbox answers its https
 * authority over TLS with a certificate from the lab's own CA, which a browser does not trust; the
 * same port answers plain http, and those endpoints are pinned as metadata, which MSAL does not
 * fetch or check for https. So the browser needs no certificate exception. Node clients (the
 * daemon's MSAL Node, the API) trust the lab's CA and discover the https endpoints, as with Entra
 * (`authorityEndpoints` in ./lab.ts). A real Entra tenant needs neither trick.
 */
import type { PublicLabConfig } from './lab.ts';

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
 * The redirect URI every browser sign-in uses: the blank bridge page (`/redirect.html`). A page
 * that loads the whole app in MSAL's popup or iframe fails with `block_iframe_reload`; the bridge
 * hands the response back to the page that asked (msal-browser v5 `redirect-bridge`).
 */
export function bridgeRedirectUri(config: PublicLabConfig): string {
  return config.redirectUris.find((uri) => new URL(uri).pathname.endsWith('/redirect.html')) ?? (config.redirectUris[0] as string);
}
