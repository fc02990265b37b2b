/**
 * The lab's resolved configuration: sandbox constants plus what the environment chooses
 * (ports, sandbox or real-tenant mode). Every URL the lab uses is derived here, once.
 *
 * Pure and browser-safe: it reads only the `env` record it is given. Node entry points pass
 * `process.env` (after loading `.env`, see `./env.ts`); the site build embeds `publicConfig()`.
 */
import { DEFAULT_PORTS, PORT_ENV, type PortName, type Ports, SANDBOX_TENANT_ID, sandboxApps } from './sandbox.ts';

export type LabMode = 'sandbox' | 'real';

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
}

export interface LabConfig {
  mode: LabMode;
  ports: Ports;
  /** Origin of the documentation site, e.g. `http://localhost:4321`. */
  siteOrigin: string;
  /** Origin the sandbox tenant is served on (plain HTTP; see `TenantEndpoints.authority`). */
  tenantOrigin: string;
  /** Origin of the sample API. */
  apiOrigin: string;
  ids: AppIds;
  tenant: TenantEndpoints;
  /** SPA redirect URIs, exactly as registered. */
  redirectUris: string[];
  /** Scopes the SPA asks for on behalf of the user (full names, `api://…/Tasks.Read`). */
  delegatedScopes: string[];
  /** The scope a daemon sends in Client Credentials: `{App ID URI}/.default`. */
  defaultScope: string;
  /** Server-side only: the daemon's credential in real-tenant mode. Never passed to the browser. */
  daemonCredential?: { kind: 'secret'; secret: string } | { kind: 'certificate'; certificatePath: string; privateKeyPath: string };
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

/** Public cloud host of Microsoft Entra ID. */
export const ENTRA_PUBLIC_CLOUD = 'https://login.microsoftonline.com';

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
 * For Entra both are the same. The sandbox serves plain HTTP under an https-labelled authority,
 * because MSAL refuses non-https authorities but does not check the pinned metadata URLs.
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

function requireGuid(env: Env, name: keyof typeof REAL_TENANT_ENV, problems: string[]): string {
  const value = env[name]?.trim() ?? '';
  if (!value) problems.push(`${name} is missing: set it to the ${REAL_TENANT_ENV[name]}.`);
  else if (!GUID.test(value)) problems.push(`${name}="${value}" is not a GUID. Copy the ${REAL_TENANT_ENV[name]}.`);
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
  };
}

function readDaemonCredential(env: Env, problems: string[]): LabConfig['daemonCredential'] {
  const secret = env.ENTRA_DAEMON_CLIENT_SECRET?.trim();
  const certificatePath = env.ENTRA_DAEMON_CERT_PATH?.trim();
  const privateKeyPath = env.ENTRA_DAEMON_KEY_PATH?.trim();
  if (certificatePath || privateKeyPath) {
    if (!certificatePath || !privateKeyPath) {
      problems.push('ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH go together: set both, or neither.');
      return undefined;
    }
    return { kind: 'certificate', certificatePath, privateKeyPath };
  }
  if (secret) {
    if (GUID.test(secret)) {
      problems.push(
        'ENTRA_DAEMON_CLIENT_SECRET looks like a GUID: that is the secret’s ID, not its Value (Entra would answer AADSTS7000215). Copy the Value column instead.',
      );
    }
    return { kind: 'secret', secret };
  }
  return undefined;
}

/**
 * Resolves the lab configuration from an environment record.
 * Throws a `ConfigError` listing every bad value, each with what to do about it.
 */
export function loadLabConfig(env: Env = {}): LabConfig {
  const problems: string[] = [];
  const ports = readPorts(env, problems);
  const rawMode = env.LAB_MODE?.trim().toLowerCase() || 'sandbox';
  if (rawMode !== 'sandbox' && rawMode !== 'real') {
    problems.push(`LAB_MODE="${env.LAB_MODE}" is not a mode. Use "sandbox" (default, offline) or "real" (your own Entra tenant).`);
  }
  const mode: LabMode = rawMode === 'real' ? 'real' : 'sandbox';
  const siteOrigin = `http://localhost:${ports.site}`;
  const tenantOrigin = `http://localhost:${ports.tenant}`;
  const apiOrigin = `http://localhost:${ports.api}`;

  let ids: AppIds;
  let tenant: TenantEndpoints;
  let daemonCredential: LabConfig['daemonCredential'];
  if (mode === 'real') {
    ids = readRealIds(env, problems);
    const host = (env.ENTRA_AUTHORITY_HOST?.trim() || ENTRA_PUBLIC_CLOUD).replace(/\/+$/, '');
    if (!/^https:\/\/[^/?#]+$/.test(host)) {
      problems.push(`ENTRA_AUTHORITY_HOST="${host}" must be an https origin with no path, e.g. ${ENTRA_PUBLIC_CLOUD}.`);
    }
    tenant = tenantEndpoints(host, ids.tenantId);
    daemonCredential = readDaemonCredential(env, problems);
  } else {
    ids = {
      tenantId: SANDBOX_TENANT_ID,
      spaClientId: sandboxApps.spa.clientId,
      apiClientId: sandboxApps.api.clientId,
      apiAppIdUri: sandboxApps.api.appIdUri,
      daemonClientId: sandboxApps.daemon.clientId,
    };
    tenant = tenantEndpoints(`https://localhost:${ports.tenant}`, SANDBOX_TENANT_ID, tenantOrigin);
    daemonCredential = { kind: 'secret', secret: sandboxApps.daemon.sandboxSecret };
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    mode,
    ports,
    siteOrigin,
    tenantOrigin,
    apiOrigin,
    ids,
    tenant,
    redirectUris: sandboxApps.spa.redirectPaths.map((path) => new URL(path, siteOrigin).href),
    delegatedScopes: sandboxApps.api.scopes.map((scope) => `${ids.apiAppIdUri}/${scope}`),
    defaultScope: `${ids.apiAppIdUri}/.default`,
    daemonCredential,
  };
}

/** The part of the configuration the browser may see: no credentials. */
export type PublicLabConfig = Omit<LabConfig, 'daemonCredential'>;

export function publicConfig(config: LabConfig): PublicLabConfig {
  const { daemonCredential: _secretStaysOnTheServer, ...rest } = config;
  return rest;
}
