/**
 * What the sandbox tenant does not reproduce of Microsoft Entra ID, for the site's "sandbox vs
 * Entra" list (import it; do not retype it). Each entry says what Entra does and what the sandbox
 * does instead. Keep it in step with the code: a behaviour change here is a behaviour change there.
 */
export interface SandboxDifference {
  topic: string;
  entra: string;
  sandbox: string;
}

export const SANDBOX_DIFFERENCES: SandboxDifference[] = [
  {
    topic: 'Transport',
    entra:
      'Everything is served over HTTPS at login.microsoftonline.com; MSAL discovers the endpoints (instance discovery, then the OpenID configuration).',
    sandbox:
      'Plain HTTP on localhost under an https-labelled authority and issuer. MSAL needs knownAuthorities and the endpoints pinned in authorityMetadata; there is no instance-discovery endpoint. LAB_TENANT_HTTPS=true serves HTTPS with a self-signed certificate instead.',
  },
  {
    topic: 'Tenants',
    entra: 'One service for every tenant, plus the multi-tenant aliases /common, /organizations and /consumers.',
    sandbox:
      'One tenant, reachable by its ID or its domain. /common and /organizations answer AADSTS50194 (the sandbox apps are single-tenant); other names are AADSTS90002.',
  },
  {
    topic: 'Flows',
    entra: 'Also implicit and hybrid flows, device code, on-behalf-of, resource-owner password, SAML bearer, admin consent, v1 endpoints.',
    sandbox:
      'Authorization Code + PKCE, refresh tokens and Client Credentials on the v2 endpoints. response_type must be code; other grant types answer AADSTS70003 and other endpoints 404 (discovery still lists device_authorization_endpoint and kerberos_endpoint, as Entra does).',
  },
  {
    topic: 'Token versions',
    entra: 'The API registration chooses v1 or v2 access tokens (requestedAccessTokenVersion; the default null gives v1).',
    sandbox: 'Always v2 access tokens (iss …/v2.0, aud = the API client ID, ver 2.0).',
  },
  {
    topic: 'Microsoft Graph and userinfo',
    entra: 'Bare scopes such as User.Read mean Microsoft Graph; userinfo is served by Graph.',
    sandbox: 'There is no Graph: a bare scope answers AADSTS70011 and the userinfo endpoint listed in discovery (Graph’s) is never called.',
  },
  {
    topic: 'Consent and directory',
    entra:
      'Consent is stored in the directory (user or admin consent, tenant-wide grants); app roles can be assigned to users and groups; assignment can be required.',
    sandbox:
      'Per-user consent, remembered until the tenant restarts or is reset. No admin consent, no user or group role assignments, no assignment-required setting. The daemon’s Tasks.Read.All role is granted in the config.',
  },
  {
    topic: 'Sign-in experience',
    entra: 'Two-step sign-in, account picker, MFA, Conditional Access, password policies, “Stay signed in?”.',
    sandbox:
      'One page with username and password (the same password for every user). prompt=select_account shows the sign-in page. No MFA or Conditional Access.',
  },
  {
    topic: 'Sign-out',
    entra: 'Picks the account to sign out and can notify other apps (front-channel logout).',
    sandbox: 'Always asks for confirmation; no front-channel logout notifications.',
  },
  {
    topic: 'Refresh tokens',
    entra: 'Issued when offline_access is requested; SPA refresh tokens live 24 hours.',
    sandbox:
      'Always issued to the SPA (MSAL always asks for offline_access); 24 hours, fixed. Each refresh returns a new one and the used one stops working (reusing it answers AADSTS70008); Entra’s handling of a reused SPA refresh token is not documented.',
  },
  {
    topic: 'Redeeming a code twice',
    entra: 'AADSTS54005.',
    sandbox:
      'AADSTS54005, and the tokens from the first redemption are revoked (RFC 6749 §4.1.2 recommends it; Entra’s behaviour is not documented).',
  },
  {
    topic: 'Claims',
    entra:
      'Optional claims are configured per app (idtyp, email, groups, wids, acrs, xms_*…); aio and rh are internal; sub is a pairwise value.',
    sandbox:
      'Fixed claim set: app-only tokens always carry idtyp "app" (in Entra only when the API asks for the idtyp optional claim); no email, groups, wids, sid or xms_* claims; aio and rh are random; sub is a pairwise hash of the user and the requesting app.',
  },
  {
    topic: 'Lifetimes',
    entra: 'Access tokens live a random 60 to 90 minutes (app-only tokens are often seen with expires_in 3599).',
    sandbox: 'A random 60 to 90 minutes for every access token; ID tokens 1 hour; codes 10 minutes.',
  },
  {
    topic: 'Signing keys',
    entra: 'Several keys rolled over on Microsoft’s schedule; apps can have their own signing keys (?appid=).',
    sandbox:
      'One signing key with a self-signed certificate, persisted in .lab/; rotated on demand (npm run tenant:rotate-keys) with a grace period; no per-app keys.',
  },
  {
    topic: 'Errors',
    entra: 'error_uri points at login.microsoftonline.com/error; trace IDs identify Entra’s logs.',
    sandbox:
      'error_uri points at the tenant’s own /error page (the lab catalog’s entry); trace IDs are random. form_post error responses keep oidc-provider’s wording.',
  },
];
