// Validate a Microsoft Entra access token, then authorize it: Express middleware on jose.
// Copy this file into your API. Settings come from the environment (see the table on the guide):
//   ENTRA_TENANT_ID   your Directory (tenant) ID
//   API_CLIENT_ID     your API's Application (client) ID: the `aud` of v2.0 access tokens
//   ENTRA_ALLOWED_TENANTS  multi-tenant APIs only: tenant IDs you serve, comma-separated
//   ENTRA_ISSUER, ENTRA_JWKS_URI  only to point at another authority (the lab's sandbox tenant)
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

// #region settings
const env = (name) => {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: see the settings table in the token validation guide.`);
  return value;
};
const tenantId = env('ENTRA_TENANT_ID');
const authority = `https://login.microsoftonline.com/${tenantId}`;
const allowedTenants = process.env.ENTRA_ALLOWED_TENANTS?.split(',').map((t) => t.trim().toLowerCase()) ?? [];

export const settings = {
  // v2.0 tokens carry the API's client ID in `aud`. Add the App ID URI only if you accept v1.0 tokens.
  audience: env('API_CLIENT_ID'),
  // Single-tenant: exactly your tenant's v2.0 issuer. Multi-tenant: the same with `{tenantid}` left in.
  issuer: process.env.ENTRA_ISSUER ?? `${authority}/v2.0`,
  jwksUri: process.env.ENTRA_JWKS_URI ?? `${authority}/discovery/v2.0/keys`,
  allowedTenants,
};

// One key set per process: jose caches it, and fetches it again (at most every 30 s) when a token
// names a `kid` it does not know, which is how a key rotation reaches you.
const keys = createRemoteJWKSet(new URL(settings.jwksUri));
// #endregion settings

// #region validate
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signature, issuer, audience and lifetime. Returns the claims, or throws a jose error. */
export async function validateAccessToken(token) {
  const multiTenant = settings.allowedTenants.length > 0;
  const { payload } = await jwtVerify(token, keys, {
    algorithms: ['RS256'], // never what the token's header asks for: no `none`, no HS256
    audience: settings.audience,
    issuer: multiTenant ? undefined : settings.issuer, // multi-tenant: checked below, per tenant
    clockTolerance: '2 min', // clocks drift; Microsoft's .NET libraries allow 5 minutes
    requiredClaims: ['tid', 'exp'],
  });
  if (multiTenant) {
    // Microsoft Learn: substitute the token's `tid` (a GUID) into the `{tenantid}` issuer and compare.
    const tid = String(payload.tid);
    if (!GUID.test(tid) || payload.iss !== settings.issuer.replace('{tenantid}', tid)) {
      throw new errors.JWTClaimValidationFailed('unexpected "iss" claim value', payload, 'iss', 'check_failed');
    }
    if (!settings.allowedTenants.includes(tid.toLowerCase())) {
      throw new errors.JWTClaimValidationFailed('tenant not allowed', payload, 'tid', 'check_failed');
    }
  }
  return payload;
}
// #endregion validate

// #region authorize
/** App-only tokens have no user: `idtyp` says so when the API requests it, else `oid` equals `sub` and there is no `scp`. */
export const isAppOnly = (claims) => claims.idtyp === 'app' || (!claims.scp && claims.oid === claims.sub);

/** Delegated tokens are authorized by `scp` (space-separated), app-only tokens by `roles`. */
export function isAuthorized(claims, { scopes = [], roles = [] }) {
  if (isAppOnly(claims)) return (claims.roles ?? []).some((role) => roles.includes(role));
  return String(claims.scp ?? '')
    .split(' ')
    .some((scope) => scopes.includes(scope));
}
// #endregion authorize

// #region middleware
/** `app.get('/tasks', requireEntraToken({ scopes: ['Tasks.Read'], roles: ['Tasks.Read.All'] }), handler)` */
export function requireEntraToken(permissions) {
  return async (req, res, next) => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    // RFC 6750 §3.1: no token at all gets a bare challenge, a bad one invalid_token, too few rights 403.
    if (scheme?.toLowerCase() !== 'bearer' || !token) return res.status(401).set('WWW-Authenticate', 'Bearer').end();
    try {
      req.auth = await validateAccessToken(token);
    } catch (error) {
      // The key set unreachable is your outage (500), not a bad token.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) return next(error);
      res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.code}"`);
      return res.status(401).json({ error: 'invalid_token' });
    }
    if (!isAuthorized(req.auth, permissions)) {
      res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${(permissions.scopes ?? []).join(' ')}"`);
      return res.status(403).json({ error: 'insufficient_scope' });
    }
    next();
  };
}
// #endregion middleware
