/**
 * The sandbox tenant's directory: every GUID, name and default port the lab uses, written once.
 *
 * This is the lab's `authConfig.js`. Browser code, both servers and the tests import these values;
 * nothing else in the repository spells a GUID, an origin or a port. Values that depend on the
 * environment (ports, real-tenant settings) are resolved in `./lab.ts`.
 */

/** Directory (tenant) ID of the sandbox tenant. A made-up GUID, not a real Entra tenant. */
export const SANDBOX_TENANT_ID = '2969b0e3-a652-459a-bdcf-61ff9605219c';

/** Default TCP ports; each can be overridden by the environment variable named beside it. */
export const DEFAULT_PORTS = {
  /** The documentation site (`LAB_SITE_PORT`). */
  site: 4321,
  /** The sandbox tenant, the local OpenID Connect server (`LAB_TENANT_PORT`). */
  tenant: 4400,
  /** The sample API, the "server app" (`LAB_API_PORT`). */
  api: 4500,
  /** The sample confidential web app, a server that signs users in (`LAB_WEBAPP_PORT`). */
  webapp: 4600,
  /** The Profile API, the API the Tasks API calls on the user's behalf (`LAB_PROFILE_API_PORT`). */
  profileApi: 4700,
} as const;

/** Environment variable that overrides each port. */
export const PORT_ENV = {
  site: 'LAB_SITE_PORT',
  tenant: 'LAB_TENANT_PORT',
  api: 'LAB_API_PORT',
  webapp: 'LAB_WEBAPP_PORT',
  profileApi: 'LAB_PROFILE_API_PORT',
} as const;

export type PortName = keyof typeof DEFAULT_PORTS;
export type Ports = Record<PortName, number>;

const API_APP_ID = 'd3f36129-f109-4f31-be7b-42d9f4d54d8d';
const API_APP_ID_URI = `api://${API_APP_ID}`;
const SPA_APP_ID = 'd9812f6f-54c3-4ee3-ba76-df3864dac637';
const PROFILE_API_APP_ID = '8dd93dc6-68c0-4970-ab21-750050c242f9';
const WEBAPP_APP_ID = '4582ca76-20b5-49a6-8d47-8e5a20fcb84c';

/** App registrations in the sandbox tenant. */
export const sandboxApps = {
  /** The single-page app: a public client that signs users in with Authorization Code + PKCE. */
  spa: {
    clientId: SPA_APP_ID,
    displayName: 'Entra Flows Lab (SPA)',
    /** Paths registered as redirect URIs of type "Single-page application", relative to the site origin. */
    redirectPaths: ['/', '/redirect.html'],
  },
  /** The web API (the "server app"). Its access tokens are v2 (`requestedAccessTokenVersion: 2`). */
  api: {
    clientId: API_APP_ID,
    displayName: 'Tasks API (sample)',
    appIdUri: API_APP_ID_URI,
    /** Delegated permissions (exposed scopes): they appear in `scp`. */
    scopes: ['Tasks.Read', 'Tasks.ReadWrite'],
    /** Application permissions (app roles): they appear in `roles`. */
    appRoles: ['Tasks.Read.All'],
    /**
     * Optional claims on the API's access tokens, as Microsoft Graph's `optionalClaims.accessToken`:
     * `idtyp` marks app-only tokens `app` and, with `include_user_token`, user tokens `user`
     * (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference). The sandbox
     * tenant emits them; the real-tenant registration script requests them.
     */
    accessTokenOptionalClaims: [{ name: 'idtyp', additionalProperties: ['include_user_token'] }],
    /**
     * The Tasks API is also a confidential client: on-behalf-of, it trades the caller's token for a
     * Profile API token. A deliberately public, sandbox-only secret, like the daemon's.
     * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
     */
    sandboxSecret: 'Sbx8Q~sandbox.tasks-api.secret-not-for-production',
    /** Its API permissions (`requiredResourceAccess`): delegated Profile.Read of the Profile API. */
    delegatedPermissions: [{ resourceAppId: PROFILE_API_APP_ID, scopes: ['Profile.Read'] }],
    /**
     * `knownClientApplications`: when the SPA or the web app asks for this API's `.default`, the
     * consent page also asks for what the Tasks API needs downstream (combined consent), so
     * on-behalf-of works.
     */
    knownClientApplications: [SPA_APP_ID, WEBAPP_APP_ID],
  },
  /**
   * The downstream API of on-behalf-of: the Tasks API calls it as the signed-in user. Validated by
   * the same pipeline as the Tasks API (servers/api/verify/), with its own audience and policy.
   */
  profileApi: {
    clientId: PROFILE_API_APP_ID,
    displayName: 'Profile API (sample)',
    appIdUri: `api://${PROFILE_API_APP_ID}`,
    scopes: ['Profile.Read'],
    appRoles: ['Profile.Read.All'],
    accessTokenOptionalClaims: [{ name: 'idtyp', additionalProperties: ['include_user_token'] }],
  },
  /**
   * Microsoft Graph, as far as the sandbox knows it: its well-known app ID and URI, and the one
   * delegated permission the lab asks for. Entra resolves a bare scope name (`User.Read`) against
   * Graph; the sandbox does the same, but it knows no other Graph permission.
   */
  microsoftGraph: {
    clientId: '00000003-0000-0000-c000-000000000000',
    displayName: 'Microsoft Graph',
    appIdUri: 'https://graph.microsoft.com',
    scopes: ['User.Read'],
    appRoles: [],
    accessTokenOptionalClaims: [],
  },
  /** The daemon: a confidential client that runs Client Credentials. */
  daemon: {
    clientId: '58f03093-2805-4fb8-b389-2a9ee1cc3f1c',
    displayName: 'Nightly report (daemon)',
    /**
     * A deliberately public, sandbox-only secret. It only works against the local sandbox tenant;
     * a real daemon's secret comes from the environment and is never committed.
     */
    sandboxSecret: 'Sbx8Q~sandbox.daemon.secret-not-for-production',
    /** App roles an administrator has granted to the daemon's service principal. */
    grantedAppRoles: ['Tasks.Read.All'],
    /** Object ID of the daemon's service principal (enterprise app): the `oid` and `sub` of its app-only tokens. */
    servicePrincipalId: '1dda7bdf-a6be-4983-b754-334b5629d18a',
  },
  /**
   * The sample web app: a confidential client on the "Web" platform. It signs users in with
   * Authorization Code + PKCE, redeems the code on its server with its own secret or certificate,
   * keeps the tokens in a server-side cache and gives the browser only a session cookie
   * (servers/webapp/). https://learn.microsoft.com/entra/identity-platform/scenario-web-app-call-api-overview
   */
  webapp: {
    clientId: WEBAPP_APP_ID,
    displayName: 'Tasks web app (confidential)',
    /**
     * A deliberately public, sandbox-only secret. It only works against the local sandbox tenant;
     * a real web app's secret comes from the environment (`ENTRA_WEBAPP_CLIENT_SECRET`).
     */
    sandboxSecret: 'Sbx8Q~sandbox.webapp.secret-not-for-production',
    /** Registered as a redirect URI of type "Web", relative to the web app's origin. */
    redirectPath: '/auth/redirect',
    /**
     * Where Entra sends the browser after sign-out (`post_logout_redirect_uri`). Entra only returns
     * to a URI registered as a redirect URI of the app, so it is registered too.
     */
    postLogoutRedirectPath: '/',
    /**
     * Delegated permissions of the Tasks API its registration lists (besides openid, profile,
     * offline_access): what its request for the Tasks API's `.default` gets.
     */
    apiScopes: ['Tasks.Read'],
  },
} as const;

/** Test users of the sandbox tenant. The password is the same for both and only works in the sandbox. */
export const sandboxUsers = {
  alice: {
    oid: 'bd1bffc1-21ef-4fe8-b797-856d652b2293',
    name: 'Alice Smith',
    preferredUsername: 'alice@contoso.onmicrosoft.com',
  },
  bob: {
    oid: 'c6621a35-f58b-4d52-b130-3fabd11d5414',
    name: 'Bob Jones',
    preferredUsername: 'bob@contoso.onmicrosoft.com',
  },
} as const;

export const SANDBOX_PASSWORD = 'sandbox';

export type SandboxUserName = keyof typeof sandboxUsers;

const REHEARSAL_TENANT_ID = '1fdd180e-ea62-4faf-8333-d1847833c962';

/**
 * The rehearsal tenant, used by tests only: the sandbox tenant's server started a second time as
 * if it were your own Entra tenant, with its own directory (tenant) ID, app registrations, daemon
 * secret and certificate, served over real HTTPS at a host name of its own. The tests configure the
 * lab against it exactly as a reader configures a real tenant (`LAB_MODE=real` and the `ENTRA_*`
 * variables, nothing else), which proves that switching to a real tenant is configuration only
 * (tests/support/rehearsal-tenant.ts). Made-up GUIDs; the secret is as public as the sandbox's.
 */
export const rehearsalTenant = {
  tenantId: REHEARSAL_TENANT_ID,
  /**
   * Host name of its authority (`https://login.entra-lab.test:{port}`). RFC 6761 §6.2 reserves
   * `.test`, so the name can never reach a real machine; tests resolve it to loopback themselves.
   */
  authorityHostName: 'login.entra-lab.test',
  spaClientId: 'ca255c0f-6202-4135-9502-3225441af53b',
  apiClientId: 'fa056ba1-780b-4b57-b876-7aa52a9a2f6f',
  /** Not the default `api://{client ID}`: one of the other forms Entra accepts, `api://{tenant ID}/{name}`. */
  apiAppIdUri: `api://${REHEARSAL_TENANT_ID}/tasks-api`,
  daemonClientId: '88f1402d-49e5-4f3c-b88c-4de3cc62e0a4',
  /** Object ID of the daemon's service principal in this tenant: the `oid` of its app-only tokens. */
  daemonServicePrincipalId: 'b5237f16-b4f2-48ef-a5f5-eb1a73decbcd',
  /** The daemon's client secret Value in this tenant; the sandbox's secret does not work here. */
  daemonSecret: 'Rhs8Q~rehearsal.daemon.secret-tests-only',
} as const;

/**
 * Workload identity federation (issue 17): the daemon also trusts a token from an external issuer,
 * so a CI job can run it with no secret at all. The sandbox's "workload issuer" stands in for
 * GitHub Actions' OIDC issuer (`https://token.actions.githubusercontent.com`): the tenant's server
 * serves it under `issuerPath`, with its own discovery document and signing key (`.lab/`), and the
 * daemon's app registration carries one federated identity credential that trusts it
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust).
 */
export const workloadIdentity = {
  /** The issuer it stands in for. */
  githubIssuer: 'https://token.actions.githubusercontent.com',
  /** Path prefix on the tenant's server; the issuer URL is `https://{tenant host}{issuerPath}` (see ./lab.ts). */
  issuerPath: '/workload-issuer/github',
  /** The CI job the sandbox pretends to run: a GitHub repository deploying to its `production` environment. */
  repository: 'contoso/tasks-sync',
  environment: 'production',
  workflowPath: '.github/workflows/sync.yml',
  ref: 'refs/heads/main',
  /**
   * The daemon's federated identity credential, as Microsoft Graph's `federatedIdentityCredential`
   * holds it. Entra matches issuer, subject and audience exactly (case-sensitive).
   */
  federatedCredential: {
    name: 'tasks-sync-production',
    subject: 'repo:contoso/tasks-sync:environment:production',
    /** The one audience Entra accepts for a federated credential in the public cloud. */
    audience: 'api://AzureADTokenExchange',
  },
  /**
   * Stands in for `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, the bearer token a GitHub Actions job sends to
   * `ACTIONS_ID_TOKEN_REQUEST_URL` to get its OIDC token. Published on purpose: sandbox only.
   */
  sandboxRequestToken: 'sbx-actions-id-token-request-not-for-production',
} as const;
