import type { LabConfig } from '../../../src/config/lab.ts';
import type { Caller, Claims, StepReport, TokenProblem } from '../../../src/contracts/tokenValidation.ts';
import type { ErrorCatalog } from '../../../src/data/errorCatalog.ts';
import type { SigningKeySource } from '../signingKeys.ts';
import type { VerifiedTokenCache } from '../verifiedTokens.ts';

/** What an endpoint accepts: any one of these delegated scopes, or any one of these app roles. */
export interface EndpointPolicy {
  endpoint: string;
  scopes: readonly string[];
  appRoles: readonly string[];
}

/** Everything the steps compare against, derived once from the lab config. */
export interface TokenPolicy {
  validIssuers: string[];
  /** The issuer of the configured tenant's discovery document (what .NET calls the configuration issuer). */
  configurationIssuer: string;
  /** The v2 issuer with `{tenantid}` in place of the tenant: `https://login.microsoftonline.com/{tenantid}/v2.0`. */
  issuerTemplate: string;
  acceptedAudiences: string[];
  allowedTenantIds: string[];
  clockSkewSeconds: number;
  maxTokenBytes: number;
  apiClientId: string;
  appIdUri: string;
  /** Client IDs of the lab's other apps, to recognise an ID token sent by mistake. */
  otherClientIds: string[];
}

export interface Verifier {
  policy: TokenPolicy;
  keys: SigningKeySource;
  catalog: ErrorCatalog;
  /** Tokens whose signature already verified (see verifiedTokens.ts); `/api/explain` never uses it. */
  verifiedTokens?: VerifiedTokenCache;
  /** Seconds since the epoch; replaceable in unit tests. */
  now?: () => number;
}

export type VerifyResult =
  | { ok: true; caller: Readonly<Caller>; claims: Claims }
  | { ok: false; problem: TokenProblem; steps: StepReport[] };

/** The API a policy protects: its app registration's client ID (v2 `aud`) and App ID URI. */
export interface ProtectedResource {
  clientId: string;
  appIdUri: string;
}

/**
 * The policy for one API of the lab: the Tasks API by default, or another resource (the Profile API,
 * the downstream API of on-behalf-of) validated by the same steps with its own audience.
 */
export function tokenPolicyFromConfig(config: LabConfig, resource?: ProtectedResource): TokenPolicy {
  const { ids, tenant, api } = config;
  const issuerTemplate = tenant.issuer.replace(`/${ids.tenantId}/`, '/{tenantid}/');
  // LAB_API_ACCEPT_APP_ID_URI widens the Tasks API's accepted audiences; another API follows the same setting.
  const acceptsAppIdUri = api.acceptedAudiences.includes(ids.apiAppIdUri);
  const audiences = resource ? [resource.clientId, ...(acceptsAppIdUri ? [resource.appIdUri] : [])] : api.acceptedAudiences;
  return {
    validIssuers: api.allowedTenantIds.map((tid) => issuerTemplate.replace('{tenantid}', tid)),
    configurationIssuer: tenant.issuer,
    issuerTemplate,
    acceptedAudiences: audiences,
    allowedTenantIds: api.allowedTenantIds,
    clockSkewSeconds: api.clockSkewSeconds,
    maxTokenBytes: api.maxTokenBytes,
    apiClientId: resource?.clientId ?? ids.apiClientId,
    appIdUri: resource?.appIdUri ?? ids.apiAppIdUri,
    otherClientIds: [ids.spaClientId, ids.daemonClientId],
  };
}
