/**
 * What every part of the tenant shares: the config, the directory, the keys, the error catalog,
 * the stores, the event publisher, and the oidc-provider instance currently serving (it is
 * rebuilt when the signing keys change, see `./main.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { LabConfig } from '../../src/config/lab.ts';
import type { ErrorCatalog } from '../../src/data/errorCatalog.ts';
import { isSessionId, SESSION_PARAM } from '../events/index.ts';
import type { WorkloadIssuer } from '../workload-issuer/issuer.ts';
import type { MemoryStore } from './adapter.ts';
import type { ConsentStore } from './consents.ts';
import type { Directory, DirectoryResource } from './directory.ts';
import type { TenantEvents } from './events.ts';
import type { SigningKeys } from './keys.ts';
import type { ClientAuthenticationLevel } from './tokenShapes.ts';

export interface TenantContext {
  config: LabConfig;
  directory: Directory;
  keys: SigningKeys;
  catalog: ErrorCatalog;
  consents: ConsentStore;
  store: MemoryStore;
  events: TenantEvents;
  /** Shown above every page heading. */
  tenantLabel: string;
  /** The stand-in for GitHub Actions' OIDC issuer, served under its own path on this server. */
  workloadIssuer: WorkloadIssuer;
  /** The oidc-provider instance serving right now. */
  provider(): Provider;
  /** Its request handler (`provider.callback()`, built once per instance). */
  providerCallback(): (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * What the tenant learned about one HTTP request before oidc-provider saw it, for the hooks that
 * run inside oidc-provider (token shaping, error mapping, events).
 */
export interface RequestFacts {
  sessionId?: string;
  /** MSAL's `client-request-id`. */
  correlationId?: string;
  /** The token request's parameters as the client sent them. */
  params?: Record<string, string>;
  /** How the client authenticated at the token endpoint. */
  azpacr?: ClientAuthenticationLevel;
  /** The flow, when the wire does not say it: `workload-identity` for a federated client assertion. */
  flow?: string;
  /** The client asked for PKCE `plain` (rewritten to an equivalent S256 challenge). */
  pkcePlain?: boolean;
  /** The redirect URI the redeemed code was issued for (for AADSTS70000). */
  codeRedirectUri?: string;
  /** When the redeemed refresh token's chain started (sign-in), epoch seconds (for AADSTS700084). */
  refreshTokenIssuedAt?: number;
  /** An on-behalf-of request that passed every check: what to mint (./grants/onBehalfOf.ts). */
  onBehalfOf?: OnBehalfOfGrant;
}

/** An on-behalf-of request that passed ./onBehalfOf.ts: what ./grants/onBehalfOf.ts mints. */
export interface OnBehalfOfGrant {
  /** The user: `oid` of the assertion. */
  accountId: string;
  /** The downstream API. */
  resource: DirectoryResource;
  /** Its delegated scopes, full names (`api://…/Profile.Read`). */
  scopes: string[];
  /** `offline_access` was asked for: a refresh token comes back too. */
  offlineAccess: boolean;
}

const facts = new WeakMap<IncomingMessage, RequestFacts>();

/** The browser session named in stored authorization parameters (`lab_session`), if valid. */
export function sessionFromParams(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.[SESSION_PARAM];
  return isSessionId(value) ? value : undefined;
}

export function requestFacts(req: IncomingMessage): RequestFacts {
  const found = facts.get(req) ?? {};
  facts.set(req, found);
  return found;
}
