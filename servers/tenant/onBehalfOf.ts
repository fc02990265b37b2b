/**
 * Entra's on-behalf-of grant (RFC 7523 §2.1 `jwt-bearer` + `requested_token_use=on_behalf_of`):
 * the rules a request must pass before a token is issued. The caller is a confidential client that
 * already authenticated (./clientAuthentication.ts); this checks what it presents:
 *
 * - `assertion`: an access token this tenant issued (signature, issuer, lifetime) whose `aud` is the
 *   calling app, and that represents a user: an app-only token cannot be exchanged, nor an ID token;
 * - `scope`: one downstream resource, whose delegated permissions the user consented to for the
 *   calling app (user consent, given through the client's combined consent, see ./consents.ts).
 *
 * What passes becomes the facts the grant handler mints from (./grants/onBehalfOf.ts).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { OnBehalfOfGrant, TenantContext } from './context.ts';
import {
  adminConsentedScopes,
  appById,
  type DirectoryApp,
  defaultDelegatedScopes,
  resolveResource,
  resources,
  userByOid,
} from './directory.ts';
import { type EntraError, entraError } from './entraErrors.ts';
import { isOidcScope, normalizeScopes, resourcesOfScopes, splitScopes } from './scopes.ts';

export type OnBehalfOfCheck = { ok: true; grant: OnBehalfOfGrant; scope: string } | { ok: false; error: EntraError };

const fail = (error: EntraError): OnBehalfOfCheck => ({ ok: false, error });

const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * App-only, by the rule the sample API uses too (servers/api/verify/steps/authorization.ts):
 * `idtyp` when present, else `roles` without `scp` and `oid` = `sub`.
 */
function isAppOnly(claims: Record<string, unknown>): boolean {
  if (claims.idtyp === 'app') return true;
  if (claims.idtyp === 'user') return false;
  return typeof claims.scp !== 'string' && Array.isArray(claims.roles) && claims.oid === claims.sub;
}

/** The assertion: signed by this tenant, unexpired, for the caller, and a user's access token. */
async function checkAssertion(
  tenant: TenantContext,
  caller: DirectoryApp & { appIdUri?: string },
  assertion: string,
): Promise<{ claims: Record<string, unknown> } | EntraError> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
    decodeJwt(assertion);
  } catch {
    // Not a JWT at all (a truncated value, an opaque token). Entra's InvalidJwtToken.
    return entraError('AADSTS50027', {}, { error: 'invalid_grant', status: 400 });
  }
  const { config, keys } = tenant;
  const jwks = createLocalJWKSet(keys.jwks(config.tenant.issuer) as Parameters<typeof createLocalJWKSet>[0]);
  let claims: Record<string, unknown>;
  try {
    // No clock tolerance: Entra refuses an assertion past its exp (AADSTS500133 prints both times).
    ({ payload: claims } = await jwtVerify(assertion, jwks, { issuer: config.tenant.issuer, algorithms: ['RS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      const exp = Number((error.payload as Record<string, unknown>).exp);
      return entraError('AADSTS500133', { now: new Date().toISOString(), exp: Number.isFinite(exp) ? isoTime(exp) : 'unknown' });
    }
    const reason =
      error instanceof joseErrors.JWKSNoMatchingKey
        ? `The key was not found., Key ID in the assertion: '${String(header.kid)}'`
        : error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss'
          ? `The issuer '${String((decodeJwt(assertion) as Record<string, unknown>).iss)}' is not this tenant's`
          : 'The provided signature value did not match the expected signature value.';
    return entraError('AADSTS50013', { reason });
  }
  // An ID token has no azp (v2) or appid (v1): it names who signed in, not what a client may call.
  if (claims.azp === undefined && claims.appid === undefined) return entraError('AADSTS240002');
  const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  const accepted = [caller.clientId, caller.appIdUri].filter((a): a is string => typeof a === 'string');
  if (!audiences.some((aud) => accepted.includes(aud))) {
    return entraError('AADSTS500131', { aud: audiences.join(', '), client_id: caller.clientId, app_name: caller.displayName });
  }
  if (isAppOnly(claims)) return entraError('AADSTS7000114', { client_id: caller.clientId });
  return { claims };
}

/** Checks an on-behalf-of token request from `caller` (already authenticated). */
export async function checkOnBehalfOfRequest(
  tenant: TenantContext,
  caller: DirectoryApp,
  params: Record<string, string>,
): Promise<OnBehalfOfCheck> {
  const { directory } = tenant;
  for (const param of ['requested_token_use', 'assertion', 'scope'] as const) {
    if (!params[param]?.trim()) return fail(entraError('AADSTS900144', { param }));
  }
  // Entra reads jwt-bearer without on_behalf_of as another grant (SAML bearer and others the sandbox lacks).
  if (params.requested_token_use !== 'on_behalf_of') return fail(entraError('AADSTS9002313'));

  // The caller as an API (its App ID URI is an accepted audience too), when it exposes one.
  const asApi: DirectoryApp & { appIdUri?: string } = resources(directory).find((api) => api.clientId === caller.clientId) ?? caller;
  const asserted = await checkAssertion(tenant, asApi, params.assertion as string);
  if ('code' in asserted) return fail(asserted);
  const { claims } = asserted;

  const scope = normalizeScopes(directory, params.scope) ?? '';
  const resourceNames = resourcesOfScopes(directory, splitScopes(scope));
  if (resourceNames.length > 1) return fail(entraError('AADSTS700022', { scope: params.scope }));
  if (resourceNames.length === 0) return fail(entraError('AADSTS70011', { scope: params.scope }));
  const resource = resolveResource(directory, resourceNames[0] as string);
  if (!resource) return fail(entraError('AADSTS500011', { resource: resourceNames[0], tenant: directory.tenantDomain }));

  const wanted = splitScopes(scope).filter((s) => !isOidcScope(s));
  const known = new Set(resource.scopes.map((s) => s.fullName));
  const unknown = wanted.find((s) => s !== `${resource.appIdUri}/.default` && !known.has(s));
  if (unknown) return fail(entraError('AADSTS70011', { scope: params.scope }));
  // `.default` in OBO: the delegated permissions the middle tier's registration lists for that API
  // (static consent, as for any app: ./directory.ts defaultDelegatedScopes).
  const scopes = wanted.includes(`${resource.appIdUri}/.default`)
    ? defaultDelegatedScopes(appById(directory, caller.clientId) ?? caller, resource).map((s) => s.fullName)
    : wanted;

  const oid = String(claims.oid ?? '');
  const user = userByOid(directory, oid);
  // Neither the user nor an admin consented for the calling app to this API (no page can be shown here).
  const consented = user ? tenant.consents.get(user.oid, caller.clientId)?.resourceScopes.get(resource.appIdUri) : undefined;
  const adminConsented = adminConsentedScopes(directory, caller).resourceScopes.get(resource.appIdUri);
  if (!user || scopes.length === 0 || scopes.some((s) => !consented?.has(s) && !adminConsented?.has(s))) {
    return fail(entraError('AADSTS65001', { client_id: caller.clientId, app_name: caller.displayName }));
  }
  const offlineAccess = splitScopes(scope).includes('offline_access');
  return {
    ok: true,
    grant: { accountId: user.oid, resource, scopes, offlineAccess },
    scope: [...scopes, ...(offlineAccess ? ['offline_access'] : [])].join(' '),
  };
}
