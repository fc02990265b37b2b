"""Validate a Microsoft Entra access token, then authorize it: PyJWT with PyJWKClient.

Copy this file into your API. Settings come from the environment (see the table on the guide):
  ENTRA_TENANT_ID         your Directory (tenant) ID
  API_CLIENT_ID           your API's Application (client) ID: the `aud` of v2.0 access tokens
  ENTRA_ALLOWED_TENANTS   multi-tenant APIs only: tenant IDs you serve, comma-separated
  ENTRA_ISSUER, ENTRA_JWKS_URI  only to point at another authority (the lab's sandbox tenant)
Needs PyJWT 2.6 or later with its crypto extra (Debian: python3-jwt).
"""
import json
import os
import re
import sys

import jwt

# region settings
def _env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"{name} is not set: see the settings table in the token validation guide.")
    return value


TENANT_ID = _env("ENTRA_TENANT_ID")
AUTHORITY = f"https://login.microsoftonline.com/{TENANT_ID}"
# v2.0 tokens carry the API's client ID in `aud`. Add the App ID URI only if you accept v1.0 tokens.
AUDIENCE = _env("API_CLIENT_ID")
# Single-tenant: exactly your tenant's v2.0 issuer. Multi-tenant: the same with `{tenantid}` left in.
ISSUER = os.environ.get("ENTRA_ISSUER", f"{AUTHORITY}/v2.0")
JWKS_URI = os.environ.get("ENTRA_JWKS_URI", f"{AUTHORITY}/discovery/v2.0/keys")
ALLOWED_TENANTS = [t.strip().lower() for t in os.environ.get("ENTRA_ALLOWED_TENANTS", "").split(",") if t.strip()]

# One client per process: it caches the key set (lifespan in seconds) and fetches it again when a
# token names a `kid` it does not know, which is how a key rotation reaches you.
JWKS = jwt.PyJWKClient(JWKS_URI, cache_jwk_set=True, lifespan=3600)
# endregion settings

# region validate
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def validate_access_token(token):
    """Signature, issuer, audience and lifetime. Returns the claims, or raises jwt.InvalidTokenError."""
    multi_tenant = bool(ALLOWED_TENANTS)
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "RS256" or not header.get("kid"):
        raise jwt.InvalidAlgorithmError("only RS256 tokens with a kid")  # before any key lookup
    try:
        key = JWKS.get_signing_key(header["kid"]).key
    except jwt.PyJWKClientError as error:
        if "Fail to fetch" in str(error):
            raise  # the key set unreachable is your outage (500), not a bad token (PyJWT 2.7+: PyJWKClientConnectionError)
        raise jwt.InvalidTokenError(f"no signing key {header['kid']}") from error
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],  # never what the token's header asks for: no `none`, no HS256
        audience=AUDIENCE,
        issuer=None if multi_tenant else ISSUER,  # multi-tenant: checked below, per tenant
        leeway=120,  # clocks drift; Microsoft's .NET libraries allow 5 minutes
        options={"require": ["exp", "iss", "aud", "tid"]},
    )
    if multi_tenant:
        # Microsoft Learn: substitute the token's `tid` (a GUID) into the `{tenantid}` issuer and compare.
        tid = str(claims["tid"])
        if not GUID.match(tid) or claims["iss"] != ISSUER.replace("{tenantid}", tid):
            raise jwt.InvalidIssuerError("unexpected iss for this tid")
        if tid.lower() not in ALLOWED_TENANTS:
            raise jwt.InvalidTokenError("tenant not allowed")
    return claims
# endregion validate

# region authorize
def is_app_only(claims):
    """No user: `idtyp` says so when the API requests it, else `oid` equals `sub` and there is no `scp`."""
    return claims.get("idtyp") == "app" or (not claims.get("scp") and claims.get("oid") == claims.get("sub"))


def is_authorized(claims, scopes=(), roles=()):
    """Delegated tokens are authorized by `scp` (space-separated), app-only tokens by `roles`."""
    if is_app_only(claims):
        return any(role in roles for role in claims.get("roles", []))
    return any(scope in scopes for scope in claims.get("scp", "").split())


def check_request(authorization, scopes=(), roles=()):
    """The HTTP answer for an Authorization header: (status, WWW-Authenticate or None, claims or None)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return 401, "Bearer", None  # RFC 6750 §3.1: no token at all gets a bare challenge
    try:
        claims = validate_access_token(token)
    except jwt.InvalidTokenError as error:
        return 401, f'Bearer error="invalid_token", error_description="{type(error).__name__}"', None
    if not is_authorized(claims, scopes, roles):
        return 403, f'Bearer error="insufficient_scope", scope="{" ".join(scopes)}"', claims
    return 200, None, claims
# endregion authorize

# region fastapi
# FastAPI (not run by the lab's tests; Debian ships FastAPI 0.92):
#
#   from fastapi import Depends, FastAPI, HTTPException, Request
#   from entra_auth import check_request
#
#   def require(scopes=(), roles=()):
#       def dependency(request: Request):
#           status, challenge, claims = check_request(request.headers.get("authorization"), scopes, roles)
#           if status != 200:
#               raise HTTPException(status_code=status, headers={"WWW-Authenticate": challenge})
#           return claims
#       return dependency
#
#   app = FastAPI()
#
#   @app.get("/tasks")
#   def tasks(claims=Depends(require(scopes=["Tasks.Read"], roles=["Tasks.Read.All"]))):
#       return {"owner": claims["oid"]}
# endregion fastapi

if __name__ == "__main__":
    # `python3 entra_auth.py Tasks.Read Tasks.Read.All < header.txt`: checks one Authorization header
    # and prints the answer as JSON (the lab's tests run it this way).
    wanted_scope, wanted_role = sys.argv[1], sys.argv[2]
    status, challenge, claims = check_request(sys.stdin.read().strip(), [wanted_scope], [wanted_role])
    print(json.dumps({"status": status, "challenge": challenge, "oid": (claims or {}).get("oid")}))
