/**
 * openid-client v6 against an Entra-shaped authority: discovery with no hand-written metadata, a
 * single-page app's Authorization Code + PKCE with nonce and its refresh, and a daemon's client
 * credentials with each client authentication Entra accepts.
 * https://github.com/panva/openid-client (v6), https://learn.microsoft.com/entra/identity-platform/v2-protocols
 *
 * Trust for the tenant's TLS certificate: NODE_EXTRA_CA_CERTS=.lab/ca/ca.pem (or the OS store).
 */
import { createHash, X509Certificate } from 'node:crypto';
import * as client from 'openid-client';

// #region discovery
/** The v2 issuer is `{authority}/v2.0`; its discovery document is `{issuer}/.well-known/openid-configuration`. */
export function discover(authority: string, clientId: string, clientAuth?: client.ClientAuth): Promise<client.Configuration> {
  return client.discovery(new URL(`${authority}/v2.0`), clientId, undefined, clientAuth);
}
// #endregion discovery

// #region spa-origin
/**
 * A single-page app redeems its code from the browser, which sends an Origin header; Entra refuses the
 * redemption without it (AADSTS9002327). Outside a browser, add the SPA's origin to every request.
 */
export function sendOrigin(config: client.Configuration, origin: string): void {
  config[client.customFetch] = (url, options) => {
    const headers = new Headers(options.headers);
    headers.set('origin', origin);
    return fetch(url, { ...options, headers } as RequestInit);
  };
}
// #endregion spa-origin

export interface PendingSignIn {
  url: URL;
  codeVerifier: string;
  nonce: string;
  state: string;
}

// #region authorize
export async function startSignIn(config: client.Configuration, redirectUri: string, scope: string): Promise<PendingSignIn> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });
  return { url, codeVerifier, nonce, state };
}
// #endregion authorize

// #region redeem
export function finishSignIn(config: client.Configuration, callbackUrl: URL, pending: PendingSignIn) {
  return client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedNonce: pending.nonce,
    expectedState: pending.state,
    idTokenExpected: true,
  });
}
// #endregion redeem

// #region refresh
export function refresh(config: client.Configuration, refreshToken: string, scope: string) {
  return client.refreshTokenGrant(config, refreshToken, { scope });
}
// #endregion refresh

// #region client-credentials
/** A daemon's token for `{App ID URI}/.default`, with whichever client authentication `config` was discovered with. */
export function clientCredentials(config: client.Configuration, scope: string) {
  return client.clientCredentialsGrant(config, { scope });
}
// #endregion client-credentials

// #region private-key-jwt
/**
 * RFC 7523 client authentication with the certificate registered on the app. Entra finds the
 * certificate by its SHA-256 thumbprint (`x5t#S256` header) and expects the token endpoint as `aud`
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export async function certificateAuth(certificatePem: string, privateKeyPem: string, tokenEndpoint: string): Promise<client.ClientAuth> {
  const der = new X509Certificate(certificatePem).raw;
  const pkcs8 = Buffer.from(privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  return client.PrivateKeyJwt(key, {
    [client.modifyAssertion]: (header, payload) => {
      header['x5t#S256'] = createHash('sha256').update(der).digest('base64url');
      payload.aud = tokenEndpoint;
    },
  });
}
// #endregion private-key-jwt
