/**
 * The two documents clients read before anything else, in Entra's exact shape:
 * `/{tenant}/v2.0/.well-known/openid-configuration` and `/{tenant}/discovery/v2.0/keys`.
 *
 * The endpoint URLs follow the connection the document was asked on, as a client expects: over TLS
 * the https ones at the authority (what MSAL Python, Azure Identity and openid-client discover), over
 * plain HTTP the http ones the browser uses (the same URLs MSAL.js pins in `authorityMetadata`).
 * `issuer` is the one https string either way.
 */
import { authorityEndpoints, type LabConfig, type TenantEndpoints } from '../../src/config/lab.ts';
import { OIDC_SCOPES } from './directory.ts';
import type { EntraJwk, SigningKeys } from './keys.ts';

/**
 * Entra's own values for things the sandbox does not imitate: userinfo is served by Microsoft
 * Graph, and the cloud-instance fields describe the public cloud.
 */
const ENTRA_PUBLIC_CLOUD_FIELDS = {
  userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
  tenant_region_scope: 'WW',
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
} as const;

/** Entra sends both documents with these headers (observed). */
export const METADATA_HEADERS = {
  'Cache-Control': 'max-age=86400, private',
  'Access-Control-Allow-Origin': '*',
  'Content-Type': 'application/json; charset=utf-8',
} as const;

/** The endpoints a request sees: https over TLS, the browser's plain-http ones otherwise. */
export function endpointsFor(config: LabConfig, overTls: boolean): TenantEndpoints {
  return overTls ? authorityEndpoints(config) : config.tenant;
}

export function discoveryDocument(config: LabConfig, tenant: TenantEndpoints = config.tenant): Record<string, unknown> {
  const base = `${new URL(tenant.token).origin}/${config.ids.tenantId}`;
  return {
    token_endpoint: tenant.token,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: tenant.jwks,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: [...OIDC_SCOPES],
    issuer: tenant.issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: ENTRA_PUBLIC_CLOUD_FIELDS.userinfo_endpoint,
    authorization_endpoint: tenant.authorization,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: tenant.logout,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: ENTRA_PUBLIC_CLOUD_FIELDS.tenant_region_scope,
    cloud_instance_name: ENTRA_PUBLIC_CLOUD_FIELDS.cloud_instance_name,
    cloud_graph_host_name: ENTRA_PUBLIC_CLOUD_FIELDS.cloud_graph_host_name,
    msgraph_host: ENTRA_PUBLIC_CLOUD_FIELDS.msgraph_host,
    rbac_url: ENTRA_PUBLIC_CLOUD_FIELDS.rbac_url,
  };
}

export function jwksDocument(config: LabConfig, keys: SigningKeys): { keys: EntraJwk[] } {
  return keys.jwks(config.tenant.issuer);
}
