/**
 * MSAL Python 1.21 (Debian's python3-msal), unchanged, against the default sandbox: client
 * credentials with the secret and with the certificate, the token cache, the API's decisions, and a
 * SPA's authorization code redeemed without and with the Origin header Entra requires.
 * https://learn.microsoft.com/entra/msal/python/
 */
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { daemonCertificate } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { CA_PATH, runPython } from '../support/interop-clients.ts';
import { authorizeUrl, labConfig, signIn } from '../support/tenant-http.ts';

let config: LabConfig;
let daemonEnv: Record<string, string>;

beforeAll(() => {
  config = labConfig();
  daemonEnv = {
    REQUESTS_CA_BUNDLE: CA_PATH,
    AUTHORITY: config.tenant.authority,
    CLIENT_ID: config.ids.daemonClientId,
    SCOPE: config.defaultScope,
    API_URL: `${config.apiOrigin}/api/tasks`,
  };
});

describe('MSAL Python: client credentials (RFC 6749 §4.4)', () => {
  it('with the client secret: one token request, the second acquisition from the cache, API GET 200 and POST 403', async () => {
    const out = await runPython('msal_python_client_credentials.py', { ...daemonEnv, CLIENT_SECRET: sandboxApps.daemon.sandboxSecret });
    expect(out.error_description).toBeUndefined();
    expect(out.token_requests).toBe(1);
    expect(out.same_token_twice).toBe(true);
    expect(out.api_get).toBe(200);
    expect(out.api_post).toBe(403);
    expect(String(out.api_post_challenge)).toContain('insufficient_scope');
    const claims = decodeJwt(String(out.access_token));
    expect(claims.iss).toBe(config.tenant.issuer);
    expect(claims.azpacr).toBe('1');
  });

  it('with the certificate (SHA-1 thumbprint, sent as a padded x5t): a client assertion the tenant accepts, azpacr 2', async () => {
    const certificate = await daemonCertificate();
    const out = await runPython('msal_python_client_credentials.py', {
      ...daemonEnv,
      CERT_PATH: certificate.certificatePath,
      KEY_PATH: certificate.privateKeyPath,
    });
    expect(out.error_description).toBeUndefined();
    // RFC 7515 §2 says base64url without padding; MSAL Python pads, and Entra accepts it.
    expect((out.assertion_header as Record<string, unknown>).x5t).toBe(`${certificate.x5t}=`);
    expect(out.token_requests).toBe(1);
    expect(out.same_token_twice).toBe(true);
    expect(out.api_get).toBe(200);
    expect(out.api_post).toBe(403);
    expect(decodeJwt(String(out.access_token)).azpacr).toBe('2');
  });

  it('a wrong secret is refused with Entra’s AADSTS7000215', async () => {
    const out = await runPython('msal_python_client_credentials.py', { ...daemonEnv, CLIENT_SECRET: 'Wr0ng~not-the-secret' });
    expect(out.exitCode).toBe(1);
    expect(out.error).toBe('invalid_client');
    expect(String(out.error_description)).toMatch(/^AADSTS7000215:/);
  });
});

/** Drives the tenant's sign-in pages (as a browser would) and returns what MSAL Python needs to redeem the code. */
async function signedInCode(): Promise<Record<string, string>> {
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const redirectUri = config.redirectUris[0] as string;
  const url = authorizeUrl(config, {
    scope: `openid profile offline_access ${config.delegatedScopes[0]}`,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    codeChallengeMethod: 'S256',
    nonce,
    redirectUri,
  });
  const { callback, steps } = await signIn(url);
  const code = callback?.searchParams.get('code');
  if (!code) throw new Error(`sign-in did not return a code: ${steps.at(-1)?.page?.slice(0, 300)}`);
  return {
    REQUESTS_CA_BUNDLE: CA_PATH,
    AUTHORITY: config.tenant.authority,
    CLIENT_ID: config.ids.spaClientId,
    SCOPE: config.delegatedScopes[0] as string,
    REDIRECT_URI: redirectUri,
    CODE: code,
    CODE_VERIFIER: verifier,
    NONCE: nonce,
  };
}

describe('MSAL Python: a single-page app’s authorization code (RFC 6749 §4.1.3, RFC 7636)', () => {
  it('without an Origin header: AADSTS9002327, as Entra answers a SPA code redeemed outside a browser', async () => {
    const out = await runPython('msal_python_auth_code.py', await signedInCode());
    expect(out.redeemed).toBe(false);
    expect(out.error).toBe('invalid_request');
    expect(String(out.error_description)).toMatch(/^AADSTS9002327:/);
  });

  it('with the Origin header: tokens for the user, then a silent refresh with the refresh token', async () => {
    const out = await runPython('msal_python_auth_code.py', { ...(await signedInCode()), ORIGIN: config.siteOrigin });
    expect(out.refresh_error ?? null).toBeNull();
    expect(out.redeemed).toBe(true);
    expect(out.has_refresh_token).toBe(true);
    expect(out.username).toBe('alice@contoso.onmicrosoft.com');
    expect((out.id_token_claims as Record<string, unknown>).iss).toBe(config.tenant.issuer);
    expect(out.refreshed).toBe(true);
    expect(out.refreshed_access_token).not.toBe(out.access_token);
    expect(decodeJwt(String(out.refreshed_access_token)).scp).toBe('Tasks.Read');
  });
});
