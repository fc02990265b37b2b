"""Redeeming a single-page app's authorization code with MSAL Python, then a silent refresh.

The sandbox's SPA registration is a public client whose redirect URIs are of type "spa": Entra
accepts the redemption only with an Origin header, as a browser sends it (AADSTS9002327 otherwise).
This script plays that part from Python, to show both answers with an unchanged MSAL.

Configured from the environment:
  AUTHORITY, CLIENT_ID, SCOPE (a delegated scope), REDIRECT_URI,
  CODE and CODE_VERIFIER (from the sign-in the test drove), NONCE (sent in the authorize request),
  ORIGIN (optional: the site's origin, sent as the Origin header).
Trust for the tenant's TLS certificate: REQUESTS_CA_BUNDLE=.lab/ca/ca.pem.
"""
import json
import os
import sys

import msal
import requests


def main():
    # #region app
    session = requests.Session()
    if os.environ.get("ORIGIN"):
        # What the browser adds to a cross-origin request; Entra requires it for SPA redirect URIs.
        session.headers["Origin"] = os.environ["ORIGIN"]
    app = msal.PublicClientApplication(
        os.environ["CLIENT_ID"],
        authority=os.environ["AUTHORITY"],
        instance_discovery=False,
        http_client=session,
    )
    scopes = [os.environ["SCOPE"]]
    # #endregion app

    # #region redeem
    result = app.acquire_token_by_authorization_code(
        os.environ["CODE"],
        scopes=scopes,
        redirect_uri=os.environ["REDIRECT_URI"],
        nonce=os.environ.get("NONCE"),
        data={"code_verifier": os.environ["CODE_VERIFIER"]},  # RFC 7636 §4.5
    )
    # #endregion redeem
    if "access_token" not in result:
        print(json.dumps({"redeemed": False, "error": result.get("error"), "error_description": result.get("error_description"), "error_codes": result.get("error_codes")}))
        return 0

    # #region refresh
    account = app.get_accounts()[0]
    # force_refresh skips the cached access token, so the refresh token is redeemed.
    refreshed = app.acquire_token_silent_with_error(scopes, account=account, force_refresh=True)
    # #endregion refresh
    print(json.dumps({
        "redeemed": True,
        "access_token": result["access_token"],
        "id_token_claims": result.get("id_token_claims"),
        "has_refresh_token": "refresh_token" in result,
        "username": account.get("username"),
        "refreshed": bool(refreshed and "access_token" in refreshed),
        "refreshed_access_token": (refreshed or {}).get("access_token"),
        "refresh_error": (refreshed or {}).get("error_description"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
