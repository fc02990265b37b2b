/**
 * The sandbox tenant's directory: app registrations, their service principals and the users.
 * The built-in entries come from the one config (`src/config/sandbox.ts` and the resolved
 * `LabConfig`); a sandbox directory file (`./directoryFile.ts`) adds the reader's own apps and users,
 * which then go through every rule of the tenant exactly as the built-in ones do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type LabConfig, workloadIssuerEndpoints } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxApps, sandboxUsers, workloadIdentity } from '../../src/config/sandbox.ts';
import type { CertificateThumbprints } from './certificates.ts';
import type { DaemonCertificate } from './daemonCertificate.ts';
import type { FederatedCredential } from './federatedAssertion.ts';
import type { WebAppCertificate } from './webappCertificate.ts';

export interface DirectoryUser {
  /** Short name: `alice` for the built-in users, the UPN's local part for the file's. */
  key: string;
  oid: string;
  name: string;
  preferredUsername: string;
  /** The user's password; the built-in users share the sandbox's published one. */
  password: string;
  builtIn: boolean;
  /** Created at sign-in in workshop mode (./attendees.ts). */
  attendee?: boolean;
}

/** A delegated permission (an exposed scope) with the text the consent page shows for it. */
export interface DelegatedPermission {
  /** What `scp` carries: `Tasks.Read`. */
  value: string;
  /** What clients request: `api://…/Tasks.Read`. */
  fullName: string;
  consentText: string;
}

/**
 * Where an app's redirect URIs are registered ("Authentication → Platform configurations"), which
 * decides how it redeems codes: `spa` cross-origin without a secret, `publicClient` (mobile and
 * desktop) without a secret and without an Origin, `web` with its credential; `daemon` has no
 * redirect URI and only runs Client Credentials.
 */
export type Platform = 'spa' | 'web' | 'publicClient' | 'daemon';

export const PLATFORMS: readonly Platform[] = ['spa', 'web', 'publicClient', 'daemon'];

/** A certificate credential: the uploaded certificate, found by its thumbprint. */
export interface CertificateCredential extends CertificateThumbprints {
  certificatePem: string;
}

/** One entry of an app's "API permissions" (`requiredResourceAccess`): what it may ask of one API. */
export interface ApiPermission {
  /** The API's App ID URI. */
  resource: string;
  /** Delegated permissions (scope values, `Tasks.Read`). */
  delegated: readonly string[];
  /** Application permissions (app role values, `Tasks.Read.All`). */
  application: readonly string[];
}

export interface DirectoryApp {
  clientId: string;
  displayName: string;
  /** Undefined for an app that only exposes an API (the Tasks API, Microsoft Graph). */
  platform?: Platform;
  redirectUris: readonly string[];
  /** Client secret Values. */
  secrets: readonly string[];
  certificates: readonly CertificateCredential[];
  /** Object ID of its service principal: `oid` and `sub` of its app-only tokens. */
  servicePrincipalId: string;
  permissions: readonly ApiPermission[];
  /** An administrator pressed "Grant admin consent": delegated permissions for every user, application permissions as roles. */
  adminConsent: boolean;
  /** Built into the lab (not from the directory file). */
  builtIn: boolean;
  /** Federated identity credentials: external tokens the app may present instead of a secret (workload identity federation). */
  federatedCredentials?: readonly FederatedCredential[];
  /**
   * The secret oidc-provider knows a confidential app by. The tenant checks the app's real
   * credential first (`./clientAuthentication.ts`), then hands oidc-provider this one. Never shown.
   */
  providerSecret: string;
}

/** An optional claim an API registration requests on its access tokens (Graph's `optionalClaim`). */
export interface OptionalClaim {
  readonly name: string;
  readonly additionalProperties: readonly string[];
}

/** An API that exposes permissions: the lab's Tasks and Profile APIs, Microsoft Graph, or an app from the directory file. */
export type DirectoryResource = DirectoryApp & {
  appIdUri: string;
  scopes: DelegatedPermission[];
  appRoles: readonly string[];
  accessTokenOptionalClaims: readonly OptionalClaim[];
  /**
   * The manifest's `knownClientApplications`: client IDs whose consent, when they ask for this API's
   * `/.default`, also covers this API's own delegated permissions (combined consent, `./combinedConsent.ts`).
   * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
   */
  knownClientApplications?: readonly string[];
};

export interface Directory {
  tenantId: string;
  /** The tenant's initial domain, taken from the users' sign-in names (`contoso.onmicrosoft.com`). */
  tenantDomain: string;
  /** Every app registration that can call the token endpoint: the built-in ones first, then the file's. */
  apps: DirectoryApp[];
  /** Every API a token can be for: the Tasks API, Microsoft Graph, the Profile API, then the file's APIs. */
  resources: DirectoryResource[];
  /** The lab's own registrations, by role (the lab's code names them). */
  spa: DirectoryApp;
  /** The Tasks API: a resource, and for on-behalf-of a confidential client (its secret, Profile.Read in its permissions). */
  api: DirectoryResource;
  /** The Profile API: the downstream API the Tasks API calls on the user's behalf. */
  profileApi: DirectoryResource;
  /** Microsoft Graph: only so that up-front consent across resources and bare scopes work as in Entra. */
  graph: DirectoryResource;
  daemon: DirectoryApp & { certificate: DaemonCertificate };
  /** The confidential web app (platform `web`): redeems its codes with its own secret or certificate. */
  webapp: DirectoryApp;
  users: DirectoryUser[];
}

/** What the consent page says for each scope a user can consent to ("user consent display name"). */
const CONSENT_TEXT: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
  'Tasks.Read': 'Read your tasks',
  'Tasks.ReadWrite': 'Read and write your tasks',
  'User.Read': 'Sign you in and read your profile',
  'Profile.Read': 'Read your profile',
};

/** The OpenID Connect scopes Entra treats as sign-in permissions rather than resource scopes. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export function consentTextFor(scope: string): string {
  return CONSENT_TEXT[scope] ?? `Access ${scope}`;
}

/**
 * A GUID that stays the same for the same input (RFC 9562 §5.8 layout: version 8, custom), for IDs
 * the directory file may leave out: a user's object ID, an app's service principal ID.
 */
export function stableGuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const providerSecret = () => randomBytes(32).toString('base64url');

/**
 * What a tenant's directory holds that the lab's configuration does not: the daemon's secret and its
 * service principal live in the tenant, not in the app that uses them. Defaults: the sandbox's.
 */
export interface DirectoryOverrides {
  daemonSecret?: string;
  daemonServicePrincipalId?: string;
  /** The certificate uploaded to the web app's registration; a test's private tenant may have none. */
  webappCertificate?: WebAppCertificate;
}

/** The entries a sandbox directory file adds, already validated (`./directoryFile.ts`). */
export interface DirectoryAdditions {
  apps: (DirectoryApp | DirectoryResource)[];
  users: DirectoryUser[];
}

const isResource = (app: DirectoryApp | DirectoryResource): app is DirectoryResource => 'appIdUri' in app;

function exposedScopes(appIdUri: string, values: readonly string[]): DelegatedPermission[] {
  return values.map((value) => ({ value, fullName: `${appIdUri}/${value}`, consentText: consentTextFor(value) }));
}

/** The lab's own registrations, as an administrator would have set them up. */
function builtInApps(config: LabConfig, daemonCertificate: DaemonCertificate, overrides: DirectoryOverrides) {
  const apiAppIdUri = config.ids.apiAppIdUri;
  const graphAppIdUri = sandboxApps.microsoftGraph.appIdUri;
  const common = { secrets: [], certificates: [], permissions: [], adminConsent: false, builtIn: true };
  const spa: DirectoryApp = {
    ...common,
    clientId: config.ids.spaClientId,
    displayName: sandboxApps.spa.displayName,
    platform: 'spa',
    redirectUris: config.redirectUris,
    servicePrincipalId: stableGuid(config.ids.tenantId, 'servicePrincipal', config.ids.spaClientId),
    // What the SPA's "API permissions" list: its delegated `.default` asks for exactly these.
    permissions: [
      { resource: apiAppIdUri, delegated: sandboxApps.api.scopes, application: [] },
      { resource: graphAppIdUri, delegated: sandboxApps.microsoftGraph.scopes, application: [] },
    ],
    providerSecret: providerSecret(),
  };
  const profileAppIdUri = sandboxApps.profileApi.appIdUri;
  // The Tasks API is also a confidential client (a secret, no platform): on-behalf-of, it calls the
  // Profile API as the user. What it may ask downstream is in its API permissions; combined consent
  // lets the SPA's consent page cover them (knownClientApplications).
  const api: DirectoryResource = {
    ...common,
    clientId: config.ids.apiClientId,
    displayName: sandboxApps.api.displayName,
    redirectUris: [],
    secrets: [sandboxApps.api.sandboxSecret],
    servicePrincipalId: stableGuid(config.ids.tenantId, 'servicePrincipal', config.ids.apiClientId),
    permissions: sandboxApps.api.delegatedPermissions.map(({ resourceAppId, scopes }) => ({
      resource: resourceAppId === sandboxApps.profileApi.clientId ? profileAppIdUri : `api://${resourceAppId}`,
      delegated: scopes,
      application: [],
    })),
    providerSecret: providerSecret(),
    appIdUri: apiAppIdUri,
    scopes: exposedScopes(apiAppIdUri, sandboxApps.api.scopes),
    appRoles: sandboxApps.api.appRoles,
    accessTokenOptionalClaims: sandboxApps.api.accessTokenOptionalClaims,
    // The known clients by their IDs in this configuration (a rehearsal may give the apps other IDs).
    knownClientApplications: sandboxApps.api.knownClientApplications
      .map((id) =>
        id === sandboxApps.spa.clientId ? config.ids.spaClientId : id === sandboxApps.webapp.clientId ? config.ids.webappClientId : id,
      )
      .filter((id) => id !== ''),
  };
  const profileApi: DirectoryResource = {
    ...common,
    clientId: sandboxApps.profileApi.clientId,
    displayName: sandboxApps.profileApi.displayName,
    redirectUris: [],
    servicePrincipalId: stableGuid(config.ids.tenantId, 'servicePrincipal', sandboxApps.profileApi.clientId),
    providerSecret: providerSecret(),
    appIdUri: profileAppIdUri,
    scopes: exposedScopes(profileAppIdUri, sandboxApps.profileApi.scopes),
    appRoles: sandboxApps.profileApi.appRoles,
    accessTokenOptionalClaims: sandboxApps.profileApi.accessTokenOptionalClaims,
  };
  const graph: DirectoryResource = {
    ...common,
    clientId: sandboxApps.microsoftGraph.clientId,
    displayName: sandboxApps.microsoftGraph.displayName,
    redirectUris: [],
    servicePrincipalId: stableGuid(config.ids.tenantId, 'servicePrincipal', sandboxApps.microsoftGraph.clientId),
    providerSecret: providerSecret(),
    appIdUri: graphAppIdUri,
    scopes: exposedScopes(graphAppIdUri, sandboxApps.microsoftGraph.scopes),
    appRoles: sandboxApps.microsoftGraph.appRoles,
    accessTokenOptionalClaims: sandboxApps.microsoftGraph.accessTokenOptionalClaims,
  };
  const daemon: DirectoryApp & { certificate: DaemonCertificate } = {
    ...common,
    clientId: config.ids.daemonClientId,
    displayName: sandboxApps.daemon.displayName,
    platform: 'daemon',
    redirectUris: [],
    secrets: [overrides.daemonSecret ?? sandboxApps.daemon.sandboxSecret],
    certificates: [daemonCertificate],
    certificate: daemonCertificate,
    servicePrincipalId: overrides.daemonServicePrincipalId ?? sandboxApps.daemon.servicePrincipalId,
    // App roles an administrator has granted to the daemon's service principal.
    permissions: [{ resource: apiAppIdUri, delegated: [], application: sandboxApps.daemon.grantedAppRoles }],
    adminConsent: true,
    // The CI job that runs it (workload identity federation): no secret to leak or expire.
    federatedCredentials: [
      {
        name: workloadIdentity.federatedCredential.name,
        issuer: workloadIssuerEndpoints(config).issuer,
        subject: workloadIdentity.federatedCredential.subject,
        audiences: [workloadIdentity.federatedCredential.audience],
      },
    ],
    providerSecret: providerSecret(),
  };
  // The web app ("Web" platform): a confidential client that signs users in on its server and
  // redeems the code with its secret or its certificate; its delegated `.default` asks for the Tasks API's scopes.
  const webapp: DirectoryApp = {
    ...common,
    clientId: config.ids.webappClientId,
    displayName: sandboxApps.webapp.displayName,
    platform: 'web',
    redirectUris: [config.webapp.redirectUri, config.webapp.postLogoutRedirectUri],
    secrets: [sandboxApps.webapp.sandboxSecret],
    certificates: overrides.webappCertificate ? [overrides.webappCertificate] : [],
    servicePrincipalId: stableGuid(config.ids.tenantId, 'servicePrincipal', config.ids.webappClientId),
    permissions: [{ resource: apiAppIdUri, delegated: sandboxApps.webapp.apiScopes, application: [] }],
    providerSecret: providerSecret(),
  };
  return { spa, api, profileApi, graph, daemon, webapp };
}

/** The built-in users, with the sandbox's published password. */
export function builtInUsers(): DirectoryUser[] {
  return Object.entries(sandboxUsers).map(([key, user]) => ({ key, ...user, password: SANDBOX_PASSWORD, builtIn: true }));
}

export function buildDirectory(
  config: LabConfig,
  daemonCertificate: DaemonCertificate,
  overrides: DirectoryOverrides = {},
  additions: DirectoryAdditions = { apps: [], users: [] },
): Directory {
  const users = [...builtInUsers(), ...additions.users];
  const tenantDomain = users[0]?.preferredUsername.split('@')[1] ?? config.ids.tenantId;
  const { spa, api, profileApi, graph, daemon, webapp } = builtInApps(config, daemonCertificate, overrides);
  return {
    tenantId: config.ids.tenantId,
    tenantDomain,
    // A configuration without the web app's registration (a real-tenant rehearsal that has none) leaves it out.
    apps: [spa, api, profileApi, daemon, ...(webapp.clientId ? [webapp] : []), ...additions.apps],
    resources: [api, graph, profileApi, ...additions.apps.filter(isResource)],
    spa,
    api,
    profileApi,
    graph,
    daemon,
    webapp,
    users,
  };
}

export function appById(directory: Directory, clientId: string | undefined): DirectoryApp | undefined {
  const id = clientId?.toLowerCase();
  return directory.apps.find((app) => app.clientId === id);
}

/** Apps whose redirect URIs are of type "Single-page application". */
export function spaApps(directory: Directory): DirectoryApp[] {
  return directory.apps.filter((app) => app.platform === 'spa');
}

/** Public clients redeem codes without a credential: SPAs and mobile and desktop apps. */
export const isPublicClient = (app: DirectoryApp | undefined): boolean => app?.platform === 'spa' || app?.platform === 'publicClient';

/** Sign-in names are case-insensitive in Entra. */
export function findUser(directory: Directory, username: string): DirectoryUser | undefined {
  const wanted = username.trim().toLowerCase();
  return directory.users.find((user) => user.preferredUsername.toLowerCase() === wanted);
}

export function userByOid(directory: Directory, oid: string): DirectoryUser | undefined {
  return directory.users.find((user) => user.oid === oid);
}

export function checkPassword(user: DirectoryUser, password: string): boolean {
  return password === user.password;
}

/** Every resource (API) in the sandbox tenant. */
export function resources(directory: Directory): DirectoryResource[] {
  return directory.resources;
}

/**
 * The API a resource identifier names: its App ID URI (`api://…`) or its client ID, as Entra
 * accepts both. Anything else is not in the sandbox tenant (AADSTS500011).
 */
export function resolveResource(directory: Directory, resource: string): DirectoryResource | undefined {
  const wanted = resource.replace(/\/+$/, '').toLowerCase();
  return resources(directory).find((api) => wanted === api.appIdUri.toLowerCase() || wanted === api.clientId);
}

/** The app roles an administrator granted `app` on `api` (admin consent of its application permissions). */
export function grantedAppRoles(app: DirectoryApp, api: DirectoryResource): string[] {
  if (!app.adminConsent) return [];
  const listed = app.permissions.filter((p) => p.resource === api.appIdUri).flatMap((p) => p.application);
  return api.appRoles.filter((role) => listed.includes(role));
}

/**
 * What a delegated `{API}/.default` means for this app: the delegated permissions its registration
 * lists for that API (static consent, https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-default-scope).
 * An app that lists none for the API gets every scope the API exposes (sandbox-only: Microsoft does
 * not document that case).
 */
export function defaultDelegatedScopes(app: DirectoryApp | undefined, api: DirectoryResource): DelegatedPermission[] {
  const listed = app?.permissions.filter((p) => p.resource === api.appIdUri).flatMap((p) => p.delegated) ?? [];
  return listed.length ? api.scopes.filter((scope) => listed.includes(scope.value)) : api.scopes;
}

/** The delegated permissions an administrator granted `app` for every user: OIDC scopes and resource scopes. */
export function adminConsentedScopes(directory: Directory, app: DirectoryApp | undefined) {
  const oidcScopes = new Set<string>();
  const resourceScopes = new Map<string, Set<string>>();
  if (!app?.adminConsent) return { oidcScopes, resourceScopes };
  for (const permission of app.permissions) {
    const api = resolveResource(directory, permission.resource);
    for (const value of permission.delegated) {
      if ((OIDC_SCOPES as readonly string[]).includes(value)) oidcScopes.add(value);
      else if (api) {
        const set = resourceScopes.get(api.appIdUri) ?? new Set<string>();
        set.add(`${api.appIdUri}/${value}`);
        resourceScopes.set(api.appIdUri, set);
      }
    }
  }
  return { oidcScopes, resourceScopes };
}
