"""An API's token check in Python with PyJWT: keys from the authority's JWKS, then signature,
algorithm, issuer, audience and lifetime, as Microsoft's Python web API samples configure it.

Configured from the environment:
  AUTHORITY   https://localhost:4400/{tenant ID}
  AUDIENCE    the API's application (client) ID (the `aud` of v2 access tokens)
Tokens to check: argv, each as label=token. Trust for the tenant's TLS certificate:
SSL_CERT_FILE=.lab/ca/ca.pem (PyJWKClient fetches with urllib).

Prints {label: {"valid": true, "claims": {...}} or {"valid": false, "error": "..."}}.
"""
import json
import os
import sys
import urllib.request

import jwt

# #region configure
AUTHORITY = os.environ["AUTHORITY"]
ISSUER = AUTHORITY + "/v2.0"  # Entra v2 tokens: https://login.microsoftonline.com/{tenant}/v2.0
with urllib.request.urlopen(ISSUER + "/.well-known/openid-configuration", timeout=10) as response:
    JWKS_URI = json.load(response)["jwks_uri"]
jwks_client = jwt.PyJWKClient(JWKS_URI)
# #endregion configure


def validate(token):
    # #region validate
    signing_key = jwks_client.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        signing_key.key,
        algorithms=["RS256"],
        audience=os.environ["AUDIENCE"],
        issuer=ISSUER,
        options={"require": ["exp", "iat", "iss", "aud"]},
    )
    # #endregion validate


def main():
    results = {}
    for arg in sys.argv[1:]:
        label, token = arg.split("=", 1)
        try:
            results[label] = {"valid": True, "claims": validate(token)}
        except jwt.PyJWTError as error:
            results[label] = {"valid": False, "error": type(error).__name__ + ": " + str(error)}
    print(json.dumps({"jwks_uri": JWKS_URI, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
