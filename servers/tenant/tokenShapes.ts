/**
 * Entra v2 token shapes. oidc-provider issues the tokens; these functions reshape them the way
 * Microsoft Entra ID does, so what learners decode here matches what they will decode from Azure:
 *
 * - access tokens: header `typ: JWT` (not RFC 9068's `at+jwt`), `aud` = the API's client ID GUID,
 *   `scp` without the `api://…/` prefix, `azp`/`azpacr` instead of `client_id`, `uti` instead of
 *   `jti`, `ver: "2.0"`, `tid`, `oid`, `sub` pairwise for the user and the API; app-only tokens
 *   carry `roles` and the client's service principal as `oid` = `sub`; `idtyp` (`app`, or `user`) as
 *   the API's registration requests it;
 * - ID tokens: header `typ: JWT`, `nbf`, `oid`, `tid`, `uti`, `ver`, `sub` pairwise for the user and
 *   the client, and no `at_hash` (Entra adds it
 *   only to ID tokens issued next to an access token from /authorize);
 * - token responses: `ext_expires_in`, `refresh_token_expires_in` for SPAs and `client_info`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appById, type Directory, type DirectoryResource, grantedAppRoles, resolveResource, userByOid } from './directory.ts';

/** Entra's default access-token lifetime: a random value from 60 to 90 minutes (75 on average). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = { min: 60 * 60, max: 90 * 60 } as const;
export const ID_TOKEN_LIFETIME_SECONDS = 60 * 60;
/** SPA refresh tokens live 24 hours, fixed: redeeming one does not extend it. */
export const SPA_REFRESH_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export function accessTokenLifetime(): number {
  const { min, max } = ACCESS_TOKEN_LIFETIME_SECONDS;
  return min + Math.floor(Math.random() * (max - min + 1));
}

/**
 * `aio`, `rh` and `uti` of one token from a single draw of random bytes (three `randomBytes` calls
 * per token showed up in the token endpoint's profile). `uti` is an opaque per-token id like
 * Entra's (22 base64url characters); `aio` and `rh` stand in for Entra's internal claims: opaque,
 * and nothing should read them.
 */
function opaqueTokenClaims(): { aio: string; rh: string; uti: string } {
  const bytes = randomBytes(48 + 36 + 16);
  return {
    aio: bytes.subarray(0, 48).toString('base64url'),
    rh: bytes.subarray(48, 84).toString('base64url'),
    uti: bytes.subarray(84).toString('base64url'),
  };
}

/**
 * Entra's `sub` is pairwise: the same user gets a different, stable `sub` in each app that receives
 * a token. Microsoft only says it is "unique to a particular application ID"
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims);
 * public reports of real tokens show the access token's `sub` differing from the ID token's in the
 * same response, so the sandbox keys the access token's `sub` on the API (the audience) and the ID
 * token's on the client. Key data by (`tid`, `oid`), never by `sub`.
 */
export function pairwiseSubject(tenantId: string, appId: string, oid: string): string {
  return createHash('sha256').update(`${tenantId}|${appId}|${oid}`).digest('base64url').slice(0, 43);
}

/**
 * The `idtyp` optional claim, when the API's registration requests it: `app` on app-only tokens,
 * and `user` on delegated ones only with `include_user_token`
 * (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
 */
export function identityType(api: DirectoryResource | undefined, appOnly: boolean): 'app' | 'user' | undefined {
  const claim = api?.accessTokenOptionalClaims.find((c) => c.name === 'idtyp');
  if (!claim) return undefined;
  if (appOnly) return 'app';
  return claim.additionalProperties.includes('include_user_token') ? 'user' : undefined;
}

/** `azpacr`: how the client authenticated: 0 public client, 1 client secret, 2 certificate. */
export type ClientAuthenticationLevel = '0' | '1' | '2';

function ordered(payload: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (payload[key] !== undefined) out[key] = payload[key];
  for (const [key, value] of Object.entries(payload)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/** Claim order of a decoded Entra v2 access token, so the token inspector reads like Azure's. */
const ACCESS_TOKEN_CLAIM_ORDER = [
  'aud',
  'iss',
  'iat',
  'nbf',
  'exp',
  'aio',
  'azp',
  'azpacr',
  'idtyp',
  'name',
  'oid',
  'preferred_username',
  'rh',
  'roles',
  'scp',
  'sid',
  'sub',
  'tid',
  'uti',
  'ver',
];
const ID_TOKEN_CLAIM_ORDER = [
  'aud',
  'iss',
  'iat',
  'nbf',
  'exp',
  'aio',
  'name',
  'nonce',
  'oid',
  'preferred_username',
  'rh',
  'sid',
  'sub',
  'tid',
  'uti',
  'ver',
];

export interface AccessTokenInput {
  /** oidc-provider's model name: `AccessToken` (delegated) or `ClientCredentials` (app-only). */
  kind: string;
  clientId: string;
  /** The user's object ID (oidc-provider's `accountId`), for delegated tokens. */
  accountId?: string;
  azpacr: ClientAuthenticationLevel;
}

/**
 * Reshapes oidc-provider's JWT access token (`{ header, payload }`, before signing) into Entra's.
 * Used as `formats.customizers.jwt`.
 */
export function shapeAccessToken(
  directory: Directory,
  token: AccessTokenInput,
  jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> },
): void {
  const { payload } = jwt;
  const appOnly = token.kind === 'ClientCredentials';
  const api = resolveResource(directory, String(payload.aud ?? ''));
  const scopes = String(payload.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const { aio, rh, uti } = opaqueTokenClaims();
  const shaped: Record<string, unknown> = {
    aud: payload.aud,
    iss: payload.iss,
    iat: payload.iat,
    nbf: payload.iat,
    exp: payload.exp,
    aio,
    azp: token.clientId,
    // How the client that asked authenticated: 0 for a SPA, 1 or 2 for a confidential web app, daemon or middle tier (on-behalf-of).
    azpacr: token.azpacr,
    rh,
    tid: directory.tenantId,
    uti,
    ver: '2.0',
  };
  shaped.idtyp = identityType(api, appOnly);
  if (appOnly) {
    // App-only: the client's service principal is the subject; its admin-granted app roles authorize it.
    const principal = appById(directory, token.clientId);
    shaped.oid = principal?.servicePrincipalId;
    shaped.sub = principal?.servicePrincipalId;
    const roles = api && principal ? grantedAppRoles(principal, api) : [];
    if (roles.length) shaped.roles = roles;
  } else {
    const user = token.accountId ? userByOid(directory, token.accountId) : undefined;
    const prefix = api ? `${api.appIdUri}/` : '';
    shaped.scp = scopes
      .filter((scope) => prefix && scope.startsWith(prefix))
      .map((scope) => scope.slice(prefix.length))
      .join(' ');
    shaped.name = user?.name;
    shaped.oid = token.accountId;
    shaped.preferred_username = user?.preferredUsername;
    // Pairwise for the API that receives the token, not for the client that asked for it.
    shaped.sub = api && token.accountId ? pairwiseSubject(directory.tenantId, api.clientId, token.accountId) : payload.sub;
  }
  jwt.header = { typ: 'JWT' };
  jwt.payload = ordered(shaped, ACCESS_TOKEN_CLAIM_ORDER);
}

/**
 * Entra's ID token claims from oidc-provider's: `nbf`, `aio`, `rh`, `tid`, `uti`, `ver` added, in
 * Entra's order, and no `at_hash`/`c_hash`/`s_hash` (Entra adds `at_hash` only to ID tokens issued
 * next to an access token from /authorize). Signed by ./idTokens.ts.
 */
export function shapeIdTokenClaims(claims: Record<string, unknown>, directory: Directory): Record<string, unknown> {
  const { at_hash: _at, c_hash: _c, s_hash: _s, ...kept } = claims;
  return ordered({ ...kept, nbf: claims.iat, ...opaqueTokenClaims(), tid: directory.tenantId, ver: '2.0' }, ID_TOKEN_CLAIM_ORDER);
}

/** MSAL's `client_info`: base64url `{"uid": oid, "utid": tid}`, from which it builds `homeAccountId`. */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url');
}
