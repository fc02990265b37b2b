/**
 * The sandbox tenant's directory: app registrations, their service principals and the users,
 * all read from the one config (`src/config/sandbox.ts` and the resolved `LabConfig`).
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, type SandboxUserName, sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import type { DaemonCertificate } from './daemonCertificate.ts';

export interface DirectoryUser {
  key: SandboxUserName;
  oid: string;
  name: string;
  preferredUsername: string;
}

/** A delegated permission (an exposed scope) with the text the consent page shows for it. */
export interface DelegatedPermission {
  /** What `scp` carries: `Tasks.Read`. */
  value: string;
  /** What clients request: `api://…/Tasks.Read`. */
  fullName: string;
  consentText: string;
}

export type AppKind = 'spa' | 'api' | 'daemon' | 'graph' | 'profile-api';

export interface DirectoryApp {
  kind: AppKind;
  clientId: string;
  displayName: string;
}

/** An optional claim an API registration requests on its access tokens (Graph's `optionalClaim`). */
export interface OptionalClaim {
  readonly name: string;
  readonly additionalProperties: readonly string[];
}

/** An API that exposes permissions: the lab's Tasks API, or Microsoft Graph. */
export type DirectoryResource = DirectoryApp & {
  appIdUri: string;
  scopes: DelegatedPermission[];
  appRoles: readonly string[];
  accessTokenOptionalClaims: readonly OptionalClaim[];
};

/** What makes an API a middle tier for on-behalf-of: its own credential and what it may call. */
export interface MiddleTier {
  secret: string;
  /** Its delegated API permissions (`requiredResourceAccess`): resource App ID URI → full scope names. */
  requiredPermissions: Map<string, string[]>;
  /** Client IDs in its `knownClientApplications`: their consent can cover its permissions too (combined consent). */
  knownClientApplications: readonly string[];
}

export interface Directory {
  tenantId: string;
  /** The tenant's initial domain, taken from the users' sign-in names (`contoso.onmicrosoft.com`). */
  tenantDomain: string;
  spa: DirectoryApp & { redirectUris: string[] };
  /** The Tasks API: a resource, and (for on-behalf-of) a confidential client with a secret. */
  api: DirectoryResource & MiddleTier;
  /** The Profile API: the downstream API the Tasks API calls on-behalf-of the user. */
  profile: DirectoryResource;
  /** Microsoft Graph: only so that up-front consent across resources and bare scopes work as in Entra. */
  graph: DirectoryResource;
  daemon: DirectoryApp & {
    secret: string;
    servicePrincipalId: string;
    grantedAppRoles: readonly string[];
    certificate: DaemonCertificate;
  };
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
 * What a tenant's directory holds that the lab's configuration does not: the daemon's secret and its
 * service principal live in the tenant, not in the app that uses them. Defaults: the sandbox's.
 */
export interface DirectoryOverrides {
  daemonSecret?: string;
  daemonServicePrincipalId?: string;
}

export function buildDirectory(config: LabConfig, daemonCertificate: DaemonCertificate, overrides: DirectoryOverrides = {}): Directory {
  const users = (Object.keys(sandboxUsers) as SandboxUserName[]).map((key) => ({ key, ...sandboxUsers[key] }));
  const tenantDomain = users[0]?.preferredUsername.split('@')[1] ?? config.ids.tenantId;
  return {
    tenantId: config.ids.tenantId,
    tenantDomain,
    spa: { kind: 'spa', clientId: config.ids.spaClientId, displayName: sandboxApps.spa.displayName, redirectUris: config.redirectUris },
    api: {
      kind: 'api',
      clientId: config.ids.apiClientId,
      displayName: sandboxApps.api.displayName,
      appIdUri: config.ids.apiAppIdUri,
      scopes: sandboxApps.api.scopes.map((value) => ({
        value,
        fullName: `${config.ids.apiAppIdUri}/${value}`,
        consentText: consentTextFor(value),
      })),
      appRoles: sandboxApps.api.appRoles,
      accessTokenOptionalClaims: sandboxApps.api.accessTokenOptionalClaims,
      secret: sandboxApps.api.sandboxSecret,
      requiredPermissions: new Map(
        sandboxApps.api.requiredDelegatedPermissions.map(({ resourceAppId, scopes }) => {
          const appIdUri = resourceAppId === sandboxApps.profileApi.clientId ? sandboxApps.profileApi.appIdUri : `api://${resourceAppId}`;
          return [appIdUri, scopes.map((scope) => `${appIdUri}/${scope}`)];
        }),
      ),
      knownClientApplications: sandboxApps.api.knownClientApplications.map((id) =>
        id === sandboxApps.spa.clientId ? config.ids.spaClientId : id,
      ),
    },
    profile: {
      kind: 'profile-api',
      clientId: sandboxApps.profileApi.clientId,
      displayName: sandboxApps.profileApi.displayName,
      appIdUri: sandboxApps.profileApi.appIdUri,
      scopes: sandboxApps.profileApi.scopes.map((value) => ({
        value,
        fullName: `${sandboxApps.profileApi.appIdUri}/${value}`,
        consentText: consentTextFor(value),
      })),
      appRoles: sandboxApps.profileApi.appRoles,
      accessTokenOptionalClaims: sandboxApps.profileApi.accessTokenOptionalClaims,
    },
    graph: {
      kind: 'graph',
      clientId: sandboxApps.microsoftGraph.clientId,
      displayName: sandboxApps.microsoftGraph.displayName,
      appIdUri: sandboxApps.microsoftGraph.appIdUri,
      scopes: sandboxApps.microsoftGraph.scopes.map((value) => ({
        value,
        fullName: `${sandboxApps.microsoftGraph.appIdUri}/${value}`,
        consentText: consentTextFor(value),
      })),
      appRoles: sandboxApps.microsoftGraph.appRoles,
      accessTokenOptionalClaims: sandboxApps.microsoftGraph.accessTokenOptionalClaims,
    },
    daemon: {
      kind: 'daemon',
      clientId: config.ids.daemonClientId,
      displayName: sandboxApps.daemon.displayName,
      secret: overrides.daemonSecret ?? sandboxApps.daemon.sandboxSecret,
      servicePrincipalId: overrides.daemonServicePrincipalId ?? sandboxApps.daemon.servicePrincipalId,
      grantedAppRoles: sandboxApps.daemon.grantedAppRoles,
      certificate: daemonCertificate,
    },
    users,
  };
}

export function appById(directory: Directory, clientId: string | undefined): DirectoryApp | undefined {
  const id = clientId?.toLowerCase();
  return [directory.spa, directory.api, directory.daemon, directory.profile].find((app) => app.clientId === id);
}

/** Sign-in names are case-insensitive in Entra. */
export function findUser(directory: Directory, username: string): DirectoryUser | undefined {
  const wanted = username.trim().toLowerCase();
  return directory.users.find((user) => user.preferredUsername.toLowerCase() === wanted);
}

export function userByOid(directory: Directory, oid: string): DirectoryUser | undefined {
  return directory.users.find((user) => user.oid === oid);
}

export function checkPassword(password: string): boolean {
  return password === SANDBOX_PASSWORD;
}

/** Every resource (API) in the sandbox tenant. */
export function resources(directory: Directory): DirectoryResource[] {
  return [directory.api, directory.graph, directory.profile];
}

/**
 * The API a resource identifier names: its App ID URI (`api://…`) or its client ID, as Entra
 * accepts both. Anything else is not in the sandbox tenant (AADSTS500011).
 */
export function resolveResource(directory: Directory, resource: string): DirectoryResource | undefined {
  const wanted = resource.replace(/\/+$/, '').toLowerCase();
  return resources(directory).find((api) => wanted === api.appIdUri.toLowerCase() || wanted === api.clientId);
}
