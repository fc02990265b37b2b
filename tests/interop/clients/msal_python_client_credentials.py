"""A daemon in Python: MSAL Python's client credentials against the sandbox tenant, then the API.

Configured from the environment, as a daemon is:
  AUTHORITY       https://localhost:4400/{tenant ID}
  CLIENT_ID       the daemon's application (client) ID
  SCOPE           {App ID URI of the API}/.default
  API_URL         the API endpoint to call, e.g. http://localhost:4500/api/tasks
  and either CLIENT_SECRET, or CERT_PATH + KEY_PATH (PEM) for a certificate credential.
Trust for the tenant's TLS certificate: REQUESTS_CA_BUNDLE=.lab/ca/ca.pem (requests reads it).

Prints one JSON object: each acquisition, how many token requests reached the tenant, and the
API's answers, so the test can check the cache and the authorization decisions.
"""
import base64
import hashlib
import json
import os
import ssl
import sys

import msal
import requests


class CountingSession(requests.Session):
    """requests.Session that counts token requests, to show the second acquisition came from the cache."""

    def __init__(self):
        super().__init__()
        self.token_requests = 0
        self.assertion_header = None

    def post(self, url, *args, **kwargs):
        if url.split("?")[0].endswith("/oauth2/v2.0/token"):
            self.token_requests += 1
            assertion = (kwargs.get("data") or {}).get("client_assertion")
            if isinstance(assertion, bytes):
                assertion = assertion.decode()
            if assertion:
                # The JOSE header of the client assertion MSAL signed, to show which thumbprint it names.
                encoded = assertion.split(".")[0]
                self.assertion_header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        return super().post(url, *args, **kwargs)


def client_credential():
    # #region credential
    if os.environ.get("CLIENT_SECRET"):
        return os.environ["CLIENT_SECRET"]
    with open(os.environ["CERT_PATH"]) as f:
        certificate_der = ssl.PEM_cert_to_DER_cert(f.read())
    with open(os.environ["KEY_PATH"]) as f:
        private_key = f.read()
    # The SHA-1 thumbprint in hex: what the Entra admin center shows next to the uploaded certificate.
    thumbprint = hashlib.sha1(certificate_der).hexdigest()
    return {"private_key": private_key, "thumbprint": thumbprint}
    # #endregion credential


def main():
    session = CountingSession()
    # #region app
    app = msal.ConfidentialClientApplication(
        os.environ["CLIENT_ID"],
        authority=os.environ["AUTHORITY"],
        client_credential=client_credential(),
        # Entra's instance discovery (login.microsoftonline.com) does not know a local host: skip it.
        instance_discovery=False,
        http_client=session,
    )
    scopes = [os.environ["SCOPE"]]
    # #endregion app

    results = []
    for _ in range(2):
        # #region acquire
        # Microsoft's sample pattern: the token cache first, the tenant only when it has nothing.
        result = app.acquire_token_silent(scopes, account=None)
        if not result:
            result = app.acquire_token_for_client(scopes=scopes)
        # #endregion acquire
        if "access_token" not in result:
            print(json.dumps({"error": result.get("error"), "error_description": result.get("error_description")}))
            return 1
        results.append(result["access_token"])

    # #region call-api
    headers = {"Authorization": "Bearer " + results[0]}
    get = requests.get(os.environ["API_URL"], headers=headers, timeout=10)
    post = requests.post(os.environ["API_URL"], headers=headers, json={"title": "Written by MSAL Python"}, timeout=10)
    # #endregion call-api

    print(json.dumps({
        "token_requests": session.token_requests,
        "assertion_header": session.assertion_header,
        "same_token_twice": results[0] == results[1],
        "access_token": results[0],
        "api_get": get.status_code,
        "api_post": post.status_code,
        "api_post_challenge": post.headers.get("WWW-Authenticate"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
