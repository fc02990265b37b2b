/**
 * The lab's resolved configuration: sandbox constants plus what the environment chooses
 * (ports, sandbox or real-tenant mode). Every URL the lab uses is derived here, once.
 *
 * Pure and browser-safe: it reads only the `env` record it is given. Node entry points pass
 * `process.env` (after loading `.env`, see `./env.ts`); the site build embeds `publicConfig()`.
 *
 * Longer than the lab's other modules (about 400 lines) on purpose: it is the one place where each
 * setting is read, checked and turned into URLs, so a value can be followed from the environment
 * to every URL it shapes without leaving the file. The constants live in `./sandbox.ts`.
 */

import { publishableRepositoryUrl } from './repositoryUrl.ts';
import { DEFAULT_PORTS, PORT_ENV, type PortName, type Ports, SANDBOX_TENANT_ID, sandboxApps, workloadIdentity } from './sandbox.ts';

/**
 * `sandbox` (default) and `real` run with the lab's servers behind the site; `static` is the site
 * alone on a plain web host (`npm run build:static`): no tenant, no API, widgets replay recorded runs
 * until the reader names their own Entra tenant on the settings page.
 */
export type LabMode = 'sandbox' | 'real' | 'static';

/** The endpoints of one Entra-shaped tenant, as its discovery document lists them. */
export interface TenantEndpoints {
  /** What MSAL calls the authority: `https://{host}/{tenant}`. */
  authority: string;
  /** The `iss` of its v2 tokens: `https://{host}/{tenant}/v2.0`. */
  issuer: string;
  /** `host[:port]` of the authority, for MSAL's `knownAuthorities`. */
  authorityHost: string;
  discovery: string;
  authorization: string;
  token: string;
  logout: string;
  jwks: string;
}

export interface AppIds {
  tenantId: string;
  spaClientId: string;
  apiClientId: string;
  apiAppIdUri: string;
  daemonClientId: string;
  /** The confidential web app; empty in real-tenant mode until `ENTRA_WEBAPP_CLIENT_ID` is set. */
  webappClientId: string;
}

/**
 * How the sample API validates access tokens. The defaults follow Microsoft.Identity.Web, so the
 * lab behaves like the .NET API a reader may deploy next; each can be changed from the environment.
 */
export interface ApiSettings {
  /** Leeway for `exp`/`nbf`, in seconds (`LAB_API_CLOCK_SKEW_SECONDS`). Microsoft.IdentityModel's ClockSkew default is 5 min. */
  clockSkewSeconds: number;
  /**
   * Values accepted in `aud`. Always the API's client ID (what v2 tokens carry); also its App ID URI
   * when `LAB_API_ACCEPT_APP_ID_URI=true` (what v1 tokens usually carry).
   */
  acceptedAudiences: string[];
  /** `tid` allow-list (`LAB_API_ALLOWED_TENANTS`, comma-separated GUIDs). Default: the configured tenant only. */
  allowedTenantIds: string[];
  /** Minimum time between two JWKS fetches caused by an unknown `kid` (jose's `cooldownDuration` default). */
  jwksCooldownSeconds: number;
  /** Cached signing keys older than this are re-fetched (Microsoft.IdentityModel refreshes every 12 h). */
  jwksMaxAgeSeconds: number;
  /** Longest access token accepted (Microsoft.IdentityModel: 250 KB; ours is bounded by the header limit below). */
  maxTokenBytes: number;
  /** Largest request body (JSON) the API reads. */
  maxBodyBytes: number;
  /** Largest request head (all headers) Node accepts before answering 431. */
  maxHeaderBytes: number;
}

export const API_DEFAULTS = {
  clockSkewSeconds: 300,
  jwksCooldownSeconds: 30,
  jwksMaxAgeSeconds: 12 * 60 * 60,
  maxTokenBytes: 16 * 1024,
  maxBodyBytes: 32 * 1024,
  maxHeaderBytes: 32 * 1024,
} as const;

export interface LabConfig {
  mode: LabMode;
  ports: Ports;
  /** Origin of the documentation site, e.g. `http://localhost:4321`. */
  siteOrigin: string;
  /**
   * Origin the browser reaches the tenant on. Sandbox: plain `http://` on the authority's port, which
   * also answers TLS for the https authority (see `authorityEndpoints`). Real tenant: unused by clients.
   */
  tenantOrigin: string;
  /** Origin of the sample API. */
  apiOrigin: string;
  /** Origin of the Profile API, the downstream API of on-behalf-of (sandbox only; the Tasks API calls it). */
  profileApiOrigin: string;
  ids: AppIds;
  tenant: TenantEndpoints;
  /** SPA redirect URIs, exactly as registered. */
  redirectUris: string[];
  /** Scopes the SPA asks for on behalf of the user (full names, `api://…/Tasks.Read`). */
  delegatedScopes: string[];
  /** The scope a daemon sends in Client Credentials: `{App ID URI}/.default`. */
  defaultScope: string;
  /** Server-side only: the daemon's credential in real-tenant mode. Never passed to the browser. */
  daemonCredential?: AppCredential;
  /** The sample API's token-validation settings. */
  api: ApiSettings;
  /** The confidential web app (servers/webapp/): its origin and registered URIs. */
  webapp: WebAppSettings;
  /** Server-side only: the web app's credential in real-tenant mode (the sandbox's is in sandbox.ts). Never passed to the browser. */
  webappCredential?: AppCredential;
  /** Who can reach the lab: this machine only (default), or the local network for a workshop. */
  network: NetworkSettings;
  /** Folder the site is built into and served from (`LAB_SITE_OUT_DIR`, default `dist`). Server side only. */
  siteOutDir: string;
  /** The sandbox directory file with the reader's own apps and users (`LAB_DIRECTORY`). Server side only. */
  directoryFile: DirectoryFileSetting;
  /** Path the site is served under, with both slashes: `/` for the lab, e.g. `/entra-flows-lab/` on a static host. */
  basePath: string;
  /**
   * Where the reader gets the lab to run it locally (`LAB_REPOSITORY_URL`; `npm run build:static` resolves it,
   * src/config/repositoryUrl.ts). Empty when unknown: pages then link no repository rather than an invented one.
   */
  repositoryUrl: string;
}

/**
 * `LAB_DIRECTORY`: the sandbox directory file, where readers add their own app registrations and
 * users to the sandbox tenant (see sandbox.directory.example.yaml). Default: `sandbox.directory.yaml`
 * at the repository root, read when present; a file named in `LAB_DIRECTORY` must exist.
 */
export interface DirectoryFileSetting {
  path: string;
  /** Named explicitly, so a missing file is an error rather than "no additions". */
  required: boolean;
}

export const DEFAULT_DIRECTORY_FILE = 'sandbox.directory.yaml';

/**
 * Workshop follow-along: by default every server binds to loopback and every URL says `localhost`.
 * `LAB_PUBLIC_HOST` (set by `npm start -- --lan`) puts the presenter's LAN address in every origin,
 * redirect URI and the sandbox issuer, so attendees' browsers reach the same lab; the servers then
 * listen on all interfaces unless `LAB_LISTEN_HOST` names one.
 */
export interface NetworkSettings {
  /** Interface the servers listen on (`LAB_LISTEN_HOST`). */
  listenHost: string;
  /** Host name in every URL the lab builds (`LAB_PUBLIC_HOST`). */
  publicHost: string;
  /** True when other machines can reach the lab. */
  lan: boolean;
}

/** Where the confidential web app is served and what is registered for it (type "Web"). */
export interface WebAppSettings {
  /** `http://localhost:4600`. */
  origin: string;
  /** The redirect URI its server receives the code at: `{origin}/auth/redirect`. */
  redirectUri: string;
  /** Where Entra returns the browser after sign-out; registered as a redirect URI too. */
  postLogoutRedirectUri: string;
}

/** A bad configuration value, with one message per problem. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid lab configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra's IDs (tenant, client, object) are GUIDs: 8-4-4-4-12 hex digits, either case. */
export const isGuid = (value: string): boolean => GUID.test(value);

/** An authority host as MSAL and the CSP take it: an https origin, no path, query or fragment. */
export const isHttpsOrigin = (value: string): boolean => /^https:\/\/[^/?#]+$/.test(value);

/** Public cloud host of Microsoft Entra ID. */
export const ENTRA_PUBLIC_CLOUD = 'https://login.microsoftonline.com';

/**
 * Authority hosts of Entra's cloud instances, each a separate Entra with its own tenants: the global
 * service and the national clouds that remain (Azure Germany closed in 2021).
 * https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
export const ENTRA_CLOUDS = [
  { name: 'Global (public cloud)', authorityHost: ENTRA_PUBLIC_CLOUD },
  { name: 'US Government', authorityHost: 'https://login.microsoftonline.us' },
  { name: 'China (operated by 21Vianet)', authorityHost: 'https://login.partner.microsoftonline.cn' },
] as const;

/** The environment variables read in real-tenant mode, with what each one holds. */
export const REAL_TENANT_ENV = {
  ENTRA_TENANT_ID: 'Directory (tenant) ID, a GUID (Entra admin center → Overview)',
  ENTRA_SPA_CLIENT_ID: 'Application (client) ID of the single-page app registration',
  ENTRA_API_CLIENT_ID: 'Application (client) ID of the API app registration',
  ENTRA_API_APP_ID_URI: 'Application ID URI of the API (default api://{ENTRA_API_CLIENT_ID})',
  ENTRA_DAEMON_CLIENT_ID: 'Application (client) ID of the daemon app registration',
  ENTRA_DAEMON_CLIENT_SECRET: 'the daemon secret’s Value (not its Secret ID); or use a certificate',
  ENTRA_DAEMON_CERT_PATH: 'PEM certificate uploaded to the daemon registration',
  ENTRA_DAEMON_KEY_PATH: 'PEM private key of that certificate',
  ENTRA_AUTHORITY_HOST: `authority host (default ${ENTRA_PUBLIC_CLOUD})`,
  ENTRA_WEBAPP_CLIENT_ID: 'Application (client) ID of the web app registration (optional: the web app runs only when it is set)',
  ENTRA_WEBAPP_CLIENT_SECRET: 'the web app secret’s Value; or use ENTRA_WEBAPP_CERT_PATH and ENTRA_WEBAPP_KEY_PATH',
  ENTRA_WEBAPP_CERT_PATH: 'PEM certificate uploaded to the web app registration',
  ENTRA_WEBAPP_KEY_PATH: 'PEM private key of that certificate',
} as const;

function readPorts(env: Env, problems: string[]): Ports {
  const ports = { ...DEFAULT_PORTS } as Ports;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    const raw = env[PORT_ENV[name]]?.trim();
    if (!raw) continue;
    const port = Number(raw);
    if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
      problems.push(`${PORT_ENV[name]}="${raw}" is not a TCP port. Use a whole number from 1 to 65535, e.g. ${DEFAULT_PORTS[name]}.`);
      continue;
    }
    ports[name] = port;
  }
  const seen = new Map<number, PortName>();
  for (const name of Object.keys(ports) as PortName[]) {
    const other = seen.get(ports[name]);
    if (other) problems.push(`${PORT_ENV[name]} and ${PORT_ENV[other]} are both ${ports[name]}. Each server needs its own port.`);
    seen.set(ports[name], name);
  }
  return ports;
}

/**
 * Endpoints of an Entra-shaped tenant. `authorityOrigin` is what tokens and MSAL call the
 * authority (always https); `transportOrigin` is where the endpoints are really served.
 * For Entra both are the same. For the browser, the sandbox's endpoints are the plain-http ones on
 * the authority's port (no certificate exception; MSAL.js pins them, see ./authorityMetadata.ts);
 * Node and Python clients use the https ones (`authorityEndpoints`).
 */
export function tenantEndpoints(authorityOrigin: string, tenantId: string, transportOrigin = authorityOrigin): TenantEndpoints {
  const base = `${transportOrigin}/${tenantId}`;
  return {
    authority: `${authorityOrigin}/${tenantId}`,
    issuer: `${authorityOrigin}/${tenantId}/v2.0`,
    authorityHost: new URL(authorityOrigin).host,
    discovery: `${base}/v2.0/.well-known/openid-configuration`,
    authorization: `${base}/oauth2/v2.0/authorize`,
    token: `${base}/oauth2/v2.0/token`,
    logout: `${base}/oauth2/v2.0/logout`,
    jwks: `${base}/discovery/v2.0/keys`,
  };
}

/**
 * The endpoints as a server-side client finds them: discovery at the https authority itself, over
 * TLS. For Entra these are `config.tenant`; the sandbox answers the same paths over TLS on its port
 * (certificate from the lab's CA), while the browser keeps the plain-http `config.tenant` ones.
 */
export function authorityEndpoints(config: Pick<LabConfig, 'tenant' | 'ids'>): TenantEndpoints {
  return tenantEndpoints(new URL(config.tenant.authority).origin, config.ids.tenantId);
}

function requireGuid(env: Env, name: keyof typeof REAL_TENANT_ENV, problems: string[]): string {
  const value = env[name]?.trim() ?? '';
  if (!value) problems.push(`${name} is missing: set it to the ${REAL_TENANT_ENV[name]}.`);
  else if (!isGuid(value)) problems.push(`${name}="${value}" is not a GUID. Copy the ${REAL_TENANT_ENV[name]}.`);
  return value.toLowerCase();
}

function readRealIds(env: Env, problems: string[]): AppIds {
  const apiClientId = requireGuid(env, 'ENTRA_API_CLIENT_ID', problems);
  const explicitUri = env.ENTRA_API_APP_ID_URI?.trim();
  const appIdUri = explicitUri || `api://${apiClientId}`;
  if (explicitUri && (!/^(api|https):\/\/\S+$/.test(explicitUri) || explicitUri.endsWith('/'))) {
    problems.push(
      `ENTRA_API_APP_ID_URI="${appIdUri}" is not an Application ID URI. Use the value from "Expose an API", e.g. api://${apiClientId || '<api client id>'} (no trailing slash).`,
    );
  }
  return {
    tenantId: requireGuid(env, 'ENTRA_TENANT_ID', problems),
    spaClientId: requireGuid(env, 'ENTRA_SPA_CLIENT_ID', problems),
    apiClientId,
    apiAppIdUri: appIdUri,
    daemonClientId: requireGuid(env, 'ENTRA_DAEMON_CLIENT_ID', problems),
    webappClientId: optionalGuid(env, 'ENTRA_WEBAPP_CLIENT_ID', problems),
  };
}

function optionalGuid(env: Env, name: keyof typeof REAL_TENANT_ENV, problems: string[]): string {
  const value = env[name]?.trim() ?? '';
  if (value && !isGuid(value)) problems.push(`${name}="${value}" is not a GUID. Copy the ${REAL_TENANT_ENV[name]}.`);
  return value.toLowerCase();
}

/** A confidential app's credential in real-tenant mode: a secret, or a certificate and its key (both paths). */
export type AppCredential = { kind: 'secret'; secret: string } | { kind: 'certificate'; certificatePath: string; privateKeyPath: string };

/** Reads `ENTRA_{APP}_CLIENT_SECRET`, or `ENTRA_{APP}_CERT_PATH` with `ENTRA_{APP}_KEY_PATH`, for the daemon or the web app. */
function readAppCredential(env: Env, app: 'DAEMON' | 'WEBAPP', problems: string[]): AppCredential | undefined {
  const names = { secret: `ENTRA_${app}_CLIENT_SECRET`, certificate: `ENTRA_${app}_CERT_PATH`, key: `ENTRA_${app}_KEY_PATH` } as const;
  const secret = env[names.secret]?.trim();
  const certificatePath = env[names.certificate]?.trim();
  const privateKeyPath = env[names.key]?.trim();
  if (certificatePath || privateKeyPath) {
    if (!certificatePath || !privateKeyPath) {
      problems.push(`${names.certificate} and ${names.key} go together: set both, or neither.`);
      return undefined;
    }
    return { kind: 'certificate', certificatePath, privateKeyPath };
  }
  if (!secret) return undefined;
  if (isGuid(secret)) {
    problems.push(
      `${names.secret} looks like a GUID: that is the secret’s ID, not its Value (Entra would answer AADSTS7000215). Copy the Value column instead.`,
    );
  }
  return { kind: 'secret', secret };
}

/**
 * `LAB_TENANT_HTTPS` chose between plain HTTP and a self-signed certificate. Both now come at once,
 * so the setting is gone; a value left in `.env` gets a clear message instead of silently meaning nothing.
 */
function readTenantHttps(env: Env, problems: string[]): void {
  if (env.LAB_TENANT_HTTPS === undefined || env.LAB_TENANT_HTTPS.trim() === '') return;
  problems.push(
    `LAB_TENANT_HTTPS="${env.LAB_TENANT_HTTPS}" is no longer read: the sandbox tenant always answers its https authority over TLS (a certificate signed by the lab's own CA, .lab/ca/ca.pem) and plain HTTP for the browser, on the same port. Remove LAB_TENANT_HTTPS from your environment or .env.`,
  );
}

function readApiSettings(env: Env, ids: AppIds, problems: string[]): ApiSettings {
  const skewRaw = env.LAB_API_CLOCK_SKEW_SECONDS?.trim();
  let clockSkewSeconds: number = API_DEFAULTS.clockSkewSeconds;
  if (skewRaw) {
    if (/^\d+$/.test(skewRaw) && Number(skewRaw) <= 3600) clockSkewSeconds = Number(skewRaw);
    else problems.push(`LAB_API_CLOCK_SKEW_SECONDS="${skewRaw}" is not a clock skew. Use whole seconds from 0 to 3600, e.g. 300 (5 min).`);
  }
  const acceptRaw = env.LAB_API_ACCEPT_APP_ID_URI?.trim().toLowerCase();
  if (acceptRaw && acceptRaw !== 'true' && acceptRaw !== 'false') {
    problems.push(`LAB_API_ACCEPT_APP_ID_URI="${env.LAB_API_ACCEPT_APP_ID_URI}" must be true or false.`);
  }
  const tenantsRaw = env.LAB_API_ALLOWED_TENANTS?.trim();
  const allowedTenantIds = tenantsRaw ? tenantsRaw.split(',').map((t) => t.trim().toLowerCase()) : [ids.tenantId];
  const badTenants = tenantsRaw ? allowedTenantIds.filter((tid) => !isGuid(tid)) : [];
  for (const tid of badTenants) {
    problems.push(`LAB_API_ALLOWED_TENANTS has "${tid}", which is not a tenant ID. List directory (tenant) ID GUIDs, comma-separated.`);
  }
  return {
    ...API_DEFAULTS,
    clockSkewSeconds,
    acceptedAudiences: acceptRaw === 'true' ? [ids.apiClientId, ids.apiAppIdUri] : [ids.apiClientId],
    allowedTenantIds,
  };
}

export const DEFAULT_SITE_OUT_DIR = 'dist';
/** Where `npm run build:static` writes the site for a plain web host (git-ignored, like `dist`). */
export const STATIC_SITE_OUT_DIR = 'dist-static';

/**
 * `LAB_SITE_OUT_DIR`: where `npm start` builds the site, so a second lab (a real-tenant rehearsal
 * next to the sandbox) keeps its own build. The build empties this folder first, so only git-ignored
 * folders that hold nothing else are allowed: `dist`, or `.lab/site-<name>` (not `.lab/tenant`, say).
 */
function readDirectoryFile(env: Env, mode: LabMode, problems: string[]): DirectoryFileSetting {
  const raw = env.LAB_DIRECTORY?.trim();
  if (raw && mode === 'real') {
    problems.push(
      `LAB_DIRECTORY="${env.LAB_DIRECTORY}" adds apps and users to the sandbox tenant, which does not run with LAB_MODE=real. Register them in your Entra tenant instead, or unset LAB_DIRECTORY.`,
    );
  }
  return raw ? { path: raw, required: true } : { path: DEFAULT_DIRECTORY_FILE, required: false };
}

function readSiteOutDir(env: Env, problems: string[]): string {
  const raw = env.LAB_SITE_OUT_DIR?.trim().replace(/\/+$/, '');
  if (!raw || raw === DEFAULT_SITE_OUT_DIR) return DEFAULT_SITE_OUT_DIR;
  if (/^\.lab\/site[\w-]*$/.test(raw) || raw === STATIC_SITE_OUT_DIR) return raw;
  problems.push(
    `LAB_SITE_OUT_DIR="${env.LAB_SITE_OUT_DIR}" is not a build folder the lab may empty. Use ${DEFAULT_SITE_OUT_DIR} (default) or .lab/site-<name>, e.g. .lab/site-real (npm run build:static uses ${STATIC_SITE_OUT_DIR}).`,
  );
  return DEFAULT_SITE_OUT_DIR;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The interface to listen on, from the environment alone (servers/listen.ts calls this when it binds). */
export function listenHostFromEnv(env: Env): string {
  const listen = env.LAB_LISTEN_HOST?.trim();
  if (listen) return listen;
  const publicHost = env.LAB_PUBLIC_HOST?.trim().toLowerCase();
  return publicHost && !LOOPBACK_HOSTS.has(publicHost) ? '0.0.0.0' : 'localhost';
}

function readNetwork(env: Env, mode: LabMode, problems: string[]): NetworkSettings {
  const publicRaw = env.LAB_PUBLIC_HOST?.trim().toLowerCase();
  const listenRaw = env.LAB_LISTEN_HOST?.trim();
  let publicHost = 'localhost';
  if (publicRaw) {
    if (HOST_NAME.test(publicRaw) && publicRaw !== '0.0.0.0') publicHost = publicRaw;
    else
      problems.push(
        `LAB_PUBLIC_HOST="${env.LAB_PUBLIC_HOST}" is not a host name or IPv4 address. Use what attendees type in their browser, e.g. 192.168.1.20 or my-laptop.local (no scheme, no port).`,
      );
  }
  const listenHost = listenHostFromEnv({ ...env, LAB_PUBLIC_HOST: publicHost });
  if (listenRaw && !HOST_NAME.test(listenRaw) && listenRaw !== '::' && listenRaw !== '::1') {
    problems.push(
      `LAB_LISTEN_HOST="${listenRaw}" is not an interface address. Use localhost (default), 0.0.0.0 or one of this machine's addresses.`,
    );
  }
  const lan = !LOOPBACK_HOSTS.has(publicHost) || !LOOPBACK_HOSTS.has(listenHost);
  if (lan && LOOPBACK_HOSTS.has(publicHost)) {
    problems.push(
      `LAB_LISTEN_HOST="${listenHost}" lets other machines connect, but the lab's URLs still say localhost, so their sign-ins would redirect to their own machine. Set LAB_PUBLIC_HOST to this machine's LAN address too, or run npm start -- --lan.`,
    );
  }
  if (lan && mode === 'real') {
    problems.push(
      'LAB_PUBLIC_HOST works in sandbox mode only: Entra accepts http:// redirect URIs for localhost alone, so attendees cannot sign in to a real tenant at http://<LAN address>. Unset LAB_PUBLIC_HOST and LAB_LISTEN_HOST, or use LAB_MODE=sandbox.',
    );
  }
  return { listenHost, publicHost, lan };
}

/**
 * Resolves the lab configuration from an environment record.
 * Throws a `ConfigError` listing every bad value, each with what to do about it.
 */
export function loadLabConfig(env: Env = {}): LabConfig {
  const problems: string[] = [];
  const ports = readPorts(env, problems);
  const rawMode = env.LAB_MODE?.trim().toLowerCase() || 'sandbox';
  if (rawMode === 'static') return loadStaticConfig(env, ports, problems);
  if (rawMode !== 'sandbox' && rawMode !== 'real') {
    problems.push(
      `LAB_MODE="${env.LAB_MODE}" is not a mode. Use "sandbox" (default, offline), "real" (your own Entra tenant) or "static" (npm run build:static).`,
    );
  }
  const mode: LabMode = rawMode === 'real' ? 'real' : 'sandbox';
  const network = readNetwork(env, mode, problems);
  const labHost = network.publicHost;
  const siteOrigin = `http://${labHost}:${ports.site}`;
  readTenantHttps(env, problems);
  const tenantOrigin = `http://${labHost}:${ports.tenant}`;
  const apiOrigin = `http://${labHost}:${ports.api}`;
  const profileApiOrigin = `http://${labHost}:${ports.profileApi}`;
  const webappOrigin = `http://${labHost}:${ports.webapp}`;

  let ids: AppIds;
  let tenant: TenantEndpoints;
  let daemonCredential: LabConfig['daemonCredential'];
  let webappCredential: LabConfig['webappCredential'];
  if (mode === 'real') {
    ids = readRealIds(env, problems);
    const host = (env.ENTRA_AUTHORITY_HOST?.trim() || ENTRA_PUBLIC_CLOUD).replace(/\/+$/, '');
    if (!isHttpsOrigin(host)) {
      problems.push(`ENTRA_AUTHORITY_HOST="${host}" must be an https origin with no path, e.g. ${ENTRA_PUBLIC_CLOUD}.`);
    }
    tenant = tenantEndpoints(host, ids.tenantId);
    daemonCredential = readAppCredential(env, 'DAEMON', problems);
    webappCredential = readAppCredential(env, 'WEBAPP', problems);
  } else {
    ids = {
      tenantId: SANDBOX_TENANT_ID,
      spaClientId: sandboxApps.spa.clientId,
      apiClientId: sandboxApps.api.clientId,
      apiAppIdUri: sandboxApps.api.appIdUri,
      daemonClientId: sandboxApps.daemon.clientId,
      webappClientId: sandboxApps.webapp.clientId,
    };
    tenant = tenantEndpoints(`https://${labHost}:${ports.tenant}`, SANDBOX_TENANT_ID, tenantOrigin);
    daemonCredential = { kind: 'secret', secret: sandboxApps.daemon.sandboxSecret };
  }
  const api = readApiSettings(env, ids, problems);
  const siteOutDir = readSiteOutDir(env, problems);
  const directoryFile = readDirectoryFile(env, mode, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    mode,
    ports,
    siteOrigin,
    tenantOrigin,
    apiOrigin,
    profileApiOrigin,
    ids,
    tenant,
    redirectUris: sandboxApps.spa.redirectPaths.map((path) => new URL(path, siteOrigin).href),
    delegatedScopes: sandboxApps.api.scopes.map((scope) => `${ids.apiAppIdUri}/${scope}`),
    defaultScope: `${ids.apiAppIdUri}/.default`,
    daemonCredential,
    api,
    network,
    siteOutDir,
    webapp: {
      origin: webappOrigin,
      redirectUri: `${webappOrigin}${sandboxApps.webapp.redirectPath}`,
      postLogoutRedirectUri: `${webappOrigin}${sandboxApps.webapp.postLogoutRedirectPath}`,
    },
    ...(webappCredential ? { webappCredential } : {}),
    directoryFile,
    basePath: '/',
    repositoryUrl: readRepositoryUrl(env, problems),
  };
}

/** The part of the configuration the browser may see: no credentials, nothing about the server's folders. */
export type PublicLabConfig = Omit<LabConfig, 'daemonCredential' | 'siteOutDir' | 'directoryFile' | 'webappCredential'>;

export function publicConfig(config: LabConfig): PublicLabConfig {
  const {
    daemonCredential: _secretStaysOnTheServer,
    siteOutDir: _serverFolder,
    directoryFile: _serverFile,
    webappCredential: _webAppSecretStaysOnTheServer,
    ...rest
  } = config;
  return rest;
}

/** Where the sandbox's workload issuer (the stand-in for GitHub Actions' OIDC issuer) lives. */
export interface WorkloadIssuerEndpoints {
  /** `iss` of its tokens, https-labelled like the sandbox authority: `https://localhost:4400/workload-issuer/github`. */
  issuer: string;
  /** Where it is really served (the tenant's origin). */
  base: string;
  discovery: string;
  jwks: string;
  /** Stands in for `ACTIONS_ID_TOKEN_REQUEST_URL`: append `audience=…`. */
  tokenRequest: string;
  /** Sandbox-only: mint a token for another subject, audience or issuer ("pretend to be the CI job"). */
  pretend: string;
}

/** Sandbox mode only: Entra cannot reach an issuer on this machine, so a real tenant never trusts it. */
export function workloadIssuerEndpoints(config: Pick<LabConfig, 'tenant' | 'tenantOrigin'>): WorkloadIssuerEndpoints {
  const path = workloadIdentity.issuerPath;
  const base = `${config.tenantOrigin}${path}`;
  return {
    issuer: `${new URL(config.tenant.authority).origin}${path}`,
    base,
    discovery: `${base}/.well-known/openid-configuration`,
    jwks: `${base}/.well-known/jwks`,
    tokenRequest: `${base}/token`,
    pretend: `${base}/pretend`,
  };
}

function readRepositoryUrl(env: Env, problems: string[]): string {
  const raw = env.LAB_REPOSITORY_URL?.trim() ?? '';
  if (!raw) return '';
  const url = publishableRepositoryUrl(raw);
  if (url) return url;
  problems.push(
    `LAB_REPOSITORY_URL="${raw.includes('@') ? '…' : raw}" is not a repository URL. Use its https address with no user name or token in it, e.g. https://github.com/<owner>/entra-flows-lab.`,
  );
  return '';
}

/** `LAB_BASE_PATH` as Astro's `base` takes it and links need it: `/`, or `/segment/…/` with both slashes. */
function readBasePath(env: Env, problems: string[]): string {
  const raw = env.LAB_BASE_PATH?.trim() ?? '';
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (!trimmed) return '/';
  if (/^[\w.~-]+(\/[\w.~-]+)*$/.test(trimmed) && !trimmed.split('/').some((s) => /^\.+$/.test(s))) return `/${trimmed}/`;
  problems.push(
    `LAB_BASE_PATH="${raw}" is not a URL path. Use path segments of letters, digits, - _ . ~, e.g. /entra-flows-lab/ (a GitHub Pages project site).`,
  );
  return '/';
}

/**
 * Static mode (`npm run build:static`): the site alone, for any web host. There is no tenant and no
 * API, so their origins are empty and no URL of this machine reaches the page. The IDs stay the
 * sandbox's, so the recorded runs (content/captures/) read as they were made; the tenant is Entra's
 * multi-tenant `organizations` authority until the reader's settings name theirs
 * (https://learn.microsoft.com/entra/identity-platform/msal-client-application-configuration#authority).
 */
function loadStaticConfig(env: Env, ports: Ports, problems: string[]): LabConfig {
  const rawSite = env.LAB_SITE_URL?.trim() ?? '';
  let siteOrigin = '';
  try {
    const url = new URL(rawSite);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    siteOrigin = url.origin;
  } catch {
    problems.push(
      `LAB_SITE_URL="${rawSite}" is not the site's URL. Pass where readers will open the site, e.g. --site https://<owner>.github.io (the base path goes in --base).`,
    );
  }
  const basePath = readBasePath(env, problems);
  const repositoryUrl = readRepositoryUrl(env, problems);
  const siteOutDir = readSiteOutDir({ LAB_SITE_OUT_DIR: env.LAB_SITE_OUT_DIR || STATIC_SITE_OUT_DIR }, problems);
  if (problems.length) throw new ConfigError(problems);
  const ids: AppIds = {
    tenantId: SANDBOX_TENANT_ID,
    spaClientId: sandboxApps.spa.clientId,
    apiClientId: sandboxApps.api.clientId,
    apiAppIdUri: sandboxApps.api.appIdUri,
    daemonClientId: sandboxApps.daemon.clientId,
    webappClientId: sandboxApps.webapp.clientId,
  };
  return {
    mode: 'static',
    ports,
    siteOrigin,
    tenantOrigin: '',
    apiOrigin: '',
    profileApiOrigin: '',
    // No web app runs beside a static site; its guide replays the recorded run.
    webapp: { origin: '', redirectUri: '', postLogoutRedirectUri: '' },
    directoryFile: { path: DEFAULT_DIRECTORY_FILE, required: false },
    ids,
    tenant: tenantEndpoints(ENTRA_PUBLIC_CLOUD, 'organizations'),
    redirectUris: sandboxApps.spa.redirectPaths.map((path) => new URL(`${basePath}${path.slice(1)}`, siteOrigin).href),
    delegatedScopes: sandboxApps.api.scopes.map((scope) => `${ids.apiAppIdUri}/${scope}`),
    defaultScope: `${ids.apiAppIdUri}/.default`,
    api: readApiSettings(env, ids, problems),
    network: { listenHost: '', publicHost: new URL(siteOrigin).hostname, lan: false },
    siteOutDir,
    basePath,
    repositoryUrl,
  };
}
