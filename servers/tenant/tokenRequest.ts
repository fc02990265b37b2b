/**
 * Entra's rules for a token request that oidc-provider has no setting for, checked before the
 * request reaches it: which grants exist, who the client is (`./clientAuthentication.ts`),
 * where the request comes from (SPA tokens are redeemed cross-origin only), and what a
 * client-credentials scope must look like. What passes is rewritten into the form oidc-provider
 * expects (canonical scopes, the daemon's registered secret).
 */
import type { IncomingMessage } from 'node:http';
import { authenticateClient, JWT_BEARER_GRANT } from './clientAuthentication.ts';
import { requestFacts, type TenantContext } from './context.ts';
import { type Directory, type DirectoryResource, resolveResource } from './directory.ts';
import { type EntraError, entraError } from './entraErrors.ts';
import type { AppOnlyTokenRequest } from './grants/clientCredentials.ts';
import { resolveIssuerMetadata } from './issuerMetadata.ts';
import { checkOnBehalfOfRequest } from './onBehalfOf.ts';
import { normalizeScopes, resourcesOfScopes, splitScopes } from './scopes.ts';

/** The grants the sandbox implements. Entra has more (device code, SAML bearer…). */
export const SUPPORTED_GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER_GRANT]);

export type TokenPrecheck =
  | {
      ok: true;
      /** The request as oidc-provider expects it. */
      forward: Record<string, string>;
      /** A client-credentials request that passed every rule: the tenant mints it (./grants/clientCredentials.ts). */
      appOnly?: AppOnlyTokenRequest;
    }
  | { ok: false; error: EntraError };

const fail = (error: EntraError): TokenPrecheck => ({ ok: false, error });

/**
 * A token request gets a token for one resource: "The scopes must all be from a single resource,
 * along with OIDC scopes" (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token).
 * Entra's code for it is AADSTS700022 InvalidMultipleResourcesScope
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes#aadsts-error-codes).
 */
const namesSeveralResources = (directory: Directory, scope: string | undefined): boolean =>
  resourcesOfScopes(directory, splitScopes(scope)).length > 1;

function checkClientCredentialsScope(tenant: TenantContext, scope: string | undefined): EntraError | DirectoryResource {
  if (!scope?.trim()) return entraError('AADSTS900144', { param: 'scope' });
  const scopes = splitScopes(scope);
  const named = scopes.find((s) => !s.endsWith('/.default'));
  if (named) return entraError('AADSTS1002012', { scope: named });
  if (scopes.length > 1) return entraError('AADSTS700022', { scope });
  const resource = (scopes[0] as string).slice(0, -'/.default'.length);
  const api = resolveResource(tenant.directory, resource);
  if (!api) return entraError('AADSTS500011', { resource, tenant: tenant.directory.tenantDomain });
  return api;
}

export async function precheckTokenRequest(
  tenant: TenantContext,
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
): Promise<TokenPrecheck> {
  const facts = requestFacts(req);
  const { directory, config } = tenant;
  const grantType = params.grant_type;
  if (!grantType) return fail(entraError('AADSTS900144', { param: 'grant_type' }));
  if (!SUPPORTED_GRANTS.has(grantType)) return fail(entraError('AADSTS70003', { grant_type: grantType }));

  const auth = await authenticateClient(directory, {
    params,
    authorization: req.headers.authorization,
    // Entra's audience is its token endpoint; the sandbox accepts both its http URL and the https label.
    assertionAudiences: [config.tenant.token, `${config.tenant.authority}/oauth2/v2.0/token`],
    resolveIssuer: (issuer) => resolveIssuerMetadata(tenant, req, issuer),
  });
  if (!auth.ok) return auth;
  facts.azpacr = auth.azpacr;

  const origin = req.headers.origin;
  const spa = auth.platform === 'spa';
  if (spa && !origin) return fail(entraError('AADSTS9002327'));
  if (!spa && origin) return fail(entraError('AADSTS9002326', { origin }));

  const forward: Record<string, string> = { ...params, client_id: auth.client.clientId };
  delete forward.client_secret;
  delete forward.client_assertion;
  delete forward.client_assertion_type;
  // oidc-provider knows a confidential app by the secret it was given; the real credential was checked above.
  if (auth.method !== 'none') forward.client_secret = auth.client.providerSecret;

  switch (grantType) {
    case 'client_credentials': {
      const resource = checkClientCredentialsScope(tenant, params.scope);
      if ('code' in resource) return fail(resource);
      // A public client has no credential to prove it is the app: oidc-provider refuses it (unauthorized_client).
      if (auth.method !== 'none') return { ok: true, forward, appOnly: { client: auth.client, resource, azpacr: auth.azpacr } };
      forward.scope = `${resource.appIdUri}/.default`;
      break;
    }
    case 'authorization_code': {
      if (!params.code) return fail(entraError('AADSTS900144', { param: 'code' }));
      if (!params.redirect_uri) return fail(entraError('AADSTS900144', { param: 'redirect_uri' }));
      const code = await tenant
        .provider()
        .AuthorizationCode.find(params.code)
        .catch(() => undefined);
      if (code) {
        facts.codeRedirectUri = code.redirectUri;
        facts.sessionId ??= tenant.events.sessionOf(req, url, code.grantId);
        if (spa && !code.codeChallenge) return fail(entraError('AADSTS9002325'));
      }
      if (params.scope !== undefined) forward.scope = normalizeScopes(directory, params.scope, { dropOfflineAccess: true }) ?? '';
      if (namesSeveralResources(directory, forward.scope)) return fail(entraError('AADSTS700022', { scope: params.scope }));
      break;
    }
    case JWT_BEARER_GRANT: {
      // On-behalf-of: the middle tier trades the user's token for one to a downstream API (./onBehalfOf.ts).
      const checked = await checkOnBehalfOfRequest(tenant, auth.client, params);
      if (!checked.ok) return fail(checked.error);
      facts.onBehalfOf = checked.grant;
      forward.scope = checked.scope;
      break;
    }
    case 'refresh_token': {
      if (!params.refresh_token) return fail(entraError('AADSTS900144', { param: 'refresh_token' }));
      const refreshToken = await tenant
        .provider()
        .RefreshToken.find(params.refresh_token)
        .catch(() => undefined);
      facts.sessionId ??= tenant.events.sessionOf(req, url, refreshToken?.grantId);
      facts.refreshTokenIssuedAt = refreshToken?.iiat ?? refreshToken?.iat;
      // MSAL re-sends offline_access on every refresh; the grant never holds it (see configuration.ts).
      if (params.scope !== undefined)
        forward.scope =
          normalizeScopes(directory, params.scope, { dropOfflineAccess: true, expandDefault: true, client: auth.client }) ?? '';
      if (namesSeveralResources(directory, forward.scope)) return fail(entraError('AADSTS700022', { scope: params.scope }));
      break;
    }
  }
  if (forward.scope === '') delete forward.scope;
  return { ok: true, forward };
}
