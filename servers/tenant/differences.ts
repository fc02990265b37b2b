/**
 * What the sandbox tenant does not reproduce of Microsoft Entra ID, for the site's "sandbox vs
 * Entra" list (import it; do not retype it). Each entry says what Entra does, what the sandbox does
 * instead, and where the Entra half comes from: a Microsoft Learn page or RFC section, or an
 * explicit `unverified` / `sandbox-only` with the reason. Keep it in step with the code: a behaviour
 * change here is a behaviour change there, and a difference that is fixed leaves the list.
 */

/** Where the statement about Entra comes from. The type makes every entry say it. */
export type DifferenceSource =
  | {
      kind: 'microsoft-learn';
      /** A learn.microsoft.com page, with the section's anchor. */
      url: `https://learn.microsoft.com/${string}`;
      /** The page title, then the section: "Redirect URI restrictions, Localhost exceptions". */
      title: string;
      /** What the page does not say, when part of the entry rests on something else. */
      note?: string;
    }
  | { kind: 'rfc'; url: `https://www.rfc-editor.org/rfc/${string}`; title: string; note?: string }
  | {
      /** Microsoft documents nothing on the point; the entry says what is known and how. */
      kind: 'unverified';
      reason: string;
      /** The closest documentation, if any. */
      url?: string;
      title?: string;
    }
  | {
      /** Only the sandbox's own behaviour is described; there is no Entra statement to source. */
      kind: 'sandbox-only';
      reason: string;
    };

export interface SandboxDifference {
  topic: string;
  entra: string;
  sandbox: string;
  source: DifferenceSource;
}

const learn = (path: string): `https://learn.microsoft.com/${string}` => `https://learn.microsoft.com/${path}`;

export const SANDBOX_DIFFERENCES: SandboxDifference[] = [
  {
    topic: 'Transport',
    entra:
      'Everything is served over HTTPS at login.microsoftonline.com; MSAL discovers the endpoints (instance discovery, then the OpenID configuration).',
    sandbox:
      'One port answers both: HTTPS with a certificate from the lab’s own certificate authority (.lab/ca/ca.pem, created on first start; your clients must trust it), where discovery lists https endpoints, and plain HTTP for the browser, where it lists http ones (MSAL.js pins them in authorityMetadata). There is no instance-discovery endpoint: turn it off (knownAuthorities, instance_discovery=False, disableInstanceDiscovery).',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri'),
      title: 'OpenID Connect on the Microsoft identity platform, Find your app’s OpenID configuration document URI',
    },
  },
  {
    topic: 'Tenants',
    entra: 'One service for every tenant, plus the multi-tenant aliases /common, /organizations and /consumers.',
    sandbox:
      'One tenant, reachable by its ID or its domain. /common and /organizations answer AADSTS50194 (the sandbox apps are single-tenant); other names are AADSTS90002.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri'),
      title: 'OpenID Connect on the Microsoft identity platform, Find your app’s OpenID configuration document URI',
    },
  },
  {
    topic: 'Flows',
    entra: 'Also implicit and hybrid flows, device code, on-behalf-of, resource-owner password, SAML bearer, admin consent, v1 endpoints.',
    sandbox:
      'Authorization Code + PKCE, refresh tokens and Client Credentials on the v2 endpoints. response_type must be code; other grant types answer AADSTS70003 and other endpoints 404 (discovery still lists device_authorization_endpoint and kerberos_endpoint, as Entra does).',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/authentication-flows-app-scenarios'),
      title: 'Authentication flows and application scenarios',
    },
  },
  {
    topic: 'Token versions',
    entra: 'The API registration chooses v1 or v2 access tokens (requestedAccessTokenVersion; the default null gives v1).',
    sandbox: 'Always v2 access tokens (iss …/v2.0, aud = the API client ID, ver 2.0).',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/access-tokens#token-formats'),
      title: 'Access tokens in the Microsoft identity platform, Token formats',
    },
  },
  {
    topic: 'Microsoft Graph and userinfo',
    entra:
      'A scope without a resource (User.Read) means Microsoft Graph, which publishes hundreds of permissions; Graph’s tokens are for Graph only (your app must not validate them); userinfo is served by Graph.',
    sandbox:
      'Graph is known only by its app ID (00000003-0000-0000-c000-000000000000), its URI and one permission, User.Read, so that up-front consent across two resources works. Any other Graph permission answers AADSTS650053, including ones Graph really has (Entra would grant a bare Tasks.Read as Graph’s Tasks.Read). Graph tokens are ordinary sandbox tokens; nothing serves Graph or the userinfo endpoint listed in discovery.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/scopes-oidc#admin-restricted-permissions'),
      title: 'Scopes and permissions in the Microsoft identity platform (“the resource is assumed to be Microsoft Graph”)',
    },
  },
  {
    topic: 'Workshop attendees',
    entra:
      'Signing in with an account the directory does not have fails with AADSTS50034 (the user account does not exist in the directory).',
    sandbox:
      'The same, except in workshop mode (npm start -- --lan): there, any name@contoso.onmicrosoft.com with the sandbox password signs in as a new user of its own (at most 500 per run), so attendees do not share one task list. They live in memory; a restart forgets them, and their object IDs come back the same when they sign in again.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/reference-error-codes#aadsts-error-codes'),
      title: 'Microsoft Entra authentication and authorization error codes (AADSTS50034)',
    },
  },
  {
    topic: 'Redirect URIs',
    entra:
      'Exact, case-sensitive match; for loopback URIs the port is ignored. URIs that differ only by port should not be registered (Entra picks one of them arbitrarily); the IPv6 loopback [::1] is not supported.',
    sandbox:
      'The same matching, applied to http://localhost and http://127.0.0.1 (Learn’s examples show localhost only). The token endpoint’s CORS answer names only the registered origins, with their ports: whether Entra lets a SPA on another localhost port redeem its code cross-origin is not documented.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/reply-url#localhost-exceptions'),
      title: 'Redirect URI (reply URL) best practices and limitations, Localhost exceptions',
      note: 'CORS for a SPA on another port: not documented.',
    },
  },
  {
    topic: 'Token request without scope',
    entra:
      'The scopes of a token request must all belong to one resource. Which resource a code gets when it is redeemed without scope, after /authorize named several, is not documented.',
    sandbox: 'The first resource the code was issued for (the first one named at /authorize).',
    source: {
      kind: 'unverified',
      reason: 'Microsoft documents the one-resource rule for /token but not the default resource.',
      url: learn('entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token'),
      title: 'Microsoft identity platform and OAuth 2.0 authorization code flow, Redeem a code for an access token',
    },
  },
  {
    topic: 'Consent and directory',
    entra:
      'Consent is stored in the directory (user or admin consent, tenant-wide grants); app roles can be assigned to users and groups; assignment can be required.',
    sandbox:
      'Per-user consent, remembered until the tenant restarts or is reset. No admin consent, no user or group role assignments, no assignment-required setting. The daemon’s Tasks.Read.All role is granted in the config.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity/enterprise-apps/user-admin-consent-overview'),
      title: 'User and admin consent in Microsoft Entra ID',
    },
  },
  {
    topic: 'Sign-in experience',
    entra: 'Two-step sign-in, account picker, MFA, Conditional Access, password policies, “Stay signed in?”.',
    sandbox:
      'One page with username and password (the same password for every user). prompt=select_account shows the sign-in page. No MFA or Conditional Access.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity/conditional-access/overview'),
      title: 'What is Conditional Access?',
    },
  },
  {
    topic: 'Sign-out',
    entra: 'Picks the account to sign out and can notify other apps (front-channel logout).',
    sandbox: 'Always asks for confirmation; no front-channel logout notifications.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/v2-protocols-oidc#single-sign-out'),
      title: 'OpenID Connect on the Microsoft identity platform, Single sign-out',
    },
  },
  {
    topic: 'Refresh tokens',
    entra:
      'Issued when offline_access is requested. Each use returns a new refresh token and the used one is not revoked (Microsoft says to delete it yourself); SPA refresh tokens live 24 hours from sign-in, not extended by use; others 90 days. Password changes and admin revocation end them early.',
    sandbox:
      'The same rotation without revocation and the same 24-hour SPA chain. Issued to the SPA even without offline_access (MSAL always asks for it); nothing revokes them except a sign-out, the workshop reset or a restart.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/refresh-tokens#token-lifetime'),
      title: 'Refresh tokens in the Microsoft identity platform, Token lifetime',
    },
  },
  {
    topic: 'Redeeming a code twice',
    entra: 'AADSTS54005. Whether the tokens of the first redemption are revoked is not documented.',
    sandbox: 'AADSTS54005, and the tokens from the first redemption are revoked, as RFC 6749 §4.1.2 recommends.',
    source: {
      kind: 'unverified',
      reason: 'Microsoft documents the error code, not what happens to the first redemption’s tokens.',
      url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2',
      title: 'RFC 6749 §4.1.2',
    },
  },
  {
    topic: 'Claims',
    entra:
      'Optional claims are configured per app (idtyp, email, groups, wids, acrs, xms_*…); idtyp appears only when the API requests it (on user tokens only with include_user_token); aio and rh are internal.',
    sandbox:
      'A fixed claim set. The Tasks API’s registration requests idtyp with include_user_token, as the real-tenant registration script does, so its tokens say idtyp app or user; no email, groups, wids, sid or xms_* claims; aio and rh are random.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/optional-claims-reference'),
      title: 'Optional claims reference',
    },
  },
  {
    topic: 'The sub claim',
    entra:
      'Pairwise: Microsoft says sub is unique to a particular application ID. Real tokens show an access token’s sub differing from the ID token’s in the same response, which fits a sub keyed on the app that receives the token.',
    sandbox:
      'sub is a hash of the user and the app that receives the token: the API for an access token, the client for an ID token. Data is keyed by tid and oid, never by sub.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/access-token-claims-reference#payload-claims'),
      title: 'Access token claims reference, Payload claims',
      note: 'Keying the access token’s sub on the API follows public reports of real tokens, not a Microsoft statement.',
    },
  },
  {
    topic: 'Client assertion errors',
    entra:
      'AADSTS700027 “Client assertion failed signature validation”. When no registered certificate has the thumbprint, Entra words it “…is not registered on application. [Reason - The key was not found., …]” and points to Microsoft Graph to list the app’s keys.',
    sandbox: 'The same two wordings; the key-not-found message stops after the app ID instead of linking Graph documentation.',
    source: {
      kind: 'unverified',
      reason:
        'Microsoft’s error reference gives only the first wording; the key-not-found wording is Entra’s as public reports quote it (for example MSAL for JS issue #8339).',
      url: 'https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/8339',
      title: 'AzureAD/microsoft-authentication-library-for-js #8339',
    },
  },
  {
    topic: 'Lifetimes',
    entra: 'Access tokens live a random 60 to 90 minutes (app-only tokens are often seen with expires_in 3599).',
    sandbox: 'A random 60 to 90 minutes for every access token; ID tokens 1 hour; codes 10 minutes.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/access-tokens#token-lifetime'),
      title: 'Access tokens in the Microsoft identity platform, Token lifetime',
      note: 'expires_in 3599 for app-only tokens is an observation, not documented.',
    },
  },
  {
    topic: 'Signing keys',
    entra: 'Several keys rolled over on Microsoft’s schedule; apps can have their own signing keys (?appid=).',
    sandbox:
      'One signing key with a self-signed certificate, persisted in .lab/; rotated on demand (npm run tenant:rotate-keys) with a grace period; no per-app keys.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/signing-key-rollover'),
      title: 'Signing key rollover in the Microsoft identity platform',
    },
  },
  {
    topic: 'Errors',
    entra: 'error_uri points at login.microsoftonline.com/error; trace IDs identify Entra’s logs.',
    sandbox:
      'error_uri points at the tenant’s own /error page (the lab catalog’s entry); trace IDs are random. form_post error responses keep oidc-provider’s wording.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application'),
      title: 'Microsoft Entra authentication and authorization error codes, Handling error codes in your application',
    },
  },
  {
    topic: 'Your own app registrations',
    entra:
      'An app registration can hold several platforms at once (web, single-page application, mobile and desktop), and a code redeems by the platform of the redirect URI it was issued for. Users can be assigned app roles, which then appear in their tokens.',
    sandbox:
      'Each app in sandbox.directory.yaml has one platform; register a second entry (its own client ID) for another platform. App roles are for applications only (admin consent of application permissions); users get no role assignments.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/identity-platform/how-to-add-redirect-uri'),
      title: 'How to add a redirect URI to your application',
    },
  },
  {
    topic: 'Delegated .default without listed permissions',
    entra: 'A delegated {API}/.default asks for the permissions the app registration lists for that API (static consent).',
    sandbox: 'The same; an app that lists no permission for that API gets every scope the API exposes, a case Microsoft does not document.',
    source: {
      kind: 'unverified',
      reason: 'Microsoft documents .default as the statically configured permissions, not what happens when an app lists none for the API.',
      url: learn('entra/identity-platform/scopes-oidc#the-default-scope'),
      title: 'Scopes and permissions in the Microsoft identity platform, The .default scope',
    },
  },
  {
    topic: 'Workload identity federation',
    entra:
      'Trusts any OIDC issuer reachable on the internet that a federated identity credential names (GitHub Actions, a Kubernetes cluster, another cloud); fetches its discovery document and keys over HTTPS and caches them; flexible credentials (preview) can match claims by expression.',
    sandbox:
      'Trusts one issuer, its own stand-in for GitHub Actions under /workload-issuer/github, and reads that issuer’s discovery document and keys in-process (the same documents its HTTP endpoints serve); credentials apply at once; exact matching only. Checks issuer, then signature and lifetime, then audience and subject: Entra does not document its order.',
    source: {
      kind: 'microsoft-learn',
      url: learn('entra/workload-id/workload-identity-federation#how-it-works'),
      title: 'Workload identity federation, How it works',
      note: 'The order of the checks and the error codes are not documented; see the AADSTS7002xx entries of the error catalog.',
    },
  },
];
