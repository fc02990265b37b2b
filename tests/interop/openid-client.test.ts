/**
 * openid-client v6, unchanged, against the default sandbox: discovery over TLS with no hand-written
 * metadata, Authorization Code + PKCE with nonce for the SPA (its Origin header added as a browser
 * would), the refresh grant, and client credentials with client_secret_post, client_secret_basic
 * and private_key_jwt. Client authentication methods Entra accepts:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import { readFile } from 'node:fs/promises';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { daemonCertificate } from '../../servers/tenant/main.ts';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { labConfig, signIn } from '../support/tenant-http.ts';
import { certificateAuth, clientCredentials, discover, finishSignIn, refresh, sendOrigin, startSignIn } from './clients/openid-client.ts';

let config: LabConfig;

beforeAll(() => {
  config = labConfig();
});

async function callApi(accessToken: string): Promise<number> {
  return (await fetch(`${config.apiOrigin}/api/tasks`, { headers: { Authorization: `Bearer ${accessToken}` } })).status;
}

describe('openid-client: discovery', () => {
  it('OpenID Connect Discovery 1.0 §4 at the https authority: issuer matches, endpoints are https', async () => {
    const discovered = await discover(config.tenant.authority, config.ids.spaClientId, client.None());
    const metadata = discovered.serverMetadata();
    const https = authorityEndpoints(config);
    expect(metadata.issuer).toBe(config.tenant.issuer);
    expect(metadata.token_endpoint).toBe(https.token);
    expect(metadata.authorization_endpoint).toBe(https.authorization);
    expect(metadata.jwks_uri).toBe(https.jwks);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_post', 'client_secret_basic', 'private_key_jwt']),
    );
  });
});

describe('openid-client: Authorization Code + PKCE with nonce (the SPA), then refresh', () => {
  it('RFC 7636 + OpenID Connect Core §3.1: tokens for alice with the nonce checked, then RFC 6749 §6 refresh', async () => {
    const discovered = await discover(config.tenant.authority, config.ids.spaClientId, client.None());
    sendOrigin(discovered, config.siteOrigin);
    const scope = `openid profile offline_access ${config.delegatedScopes[0]}`;
    const pending = await startSignIn(discovered, config.redirectUris[0] as string, scope);
    const { callback, steps } = await signIn(pending.url.href);
    if (!callback) throw new Error(`sign-in did not reach the app: ${steps.at(-1)?.page?.slice(0, 300)}`);

    const tokens = await finishSignIn(discovered, callback, pending);
    expect(tokens.claims()?.nonce).toBe(pending.nonce);
    expect(tokens.claims()?.preferred_username).toBe('alice@contoso.onmicrosoft.com');
    expect(decodeJwt(tokens.access_token).scp).toBe('Tasks.Read');
    expect(await callApi(tokens.access_token)).toBe(200);

    const refreshed = await refresh(discovered, tokens.refresh_token as string, scope);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(refreshed.access_token).scp).toBe('Tasks.Read');
  });

  it('without the Origin header the same redemption fails with AADSTS9002327', async () => {
    const discovered = await discover(config.tenant.authority, config.ids.spaClientId, client.None());
    const pending = await startSignIn(discovered, config.redirectUris[0] as string, `openid ${config.delegatedScopes[0]}`);
    const { callback } = await signIn(pending.url.href);
    const error = await finishSignIn(discovered, callback as URL, pending).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    expect((error as client.ResponseBodyError).error_description).toMatch(/^AADSTS9002327:/);
  });
});

describe('openid-client: client credentials, each client authentication Entra accepts', () => {
  const secret = sandboxApps.daemon.sandboxSecret;

  it.each([
    ['client_secret_post', () => client.ClientSecretPost(secret), '1'],
    ['client_secret_basic (RFC 6749 §2.3.1)', () => client.ClientSecretBasic(secret), '1'],
  ])('%s: an app-only token the API answers 200 to', async (_name, auth, azpacr) => {
    const discovered = await discover(config.tenant.authority, config.ids.daemonClientId, auth());
    const tokens = await clientCredentials(discovered, config.defaultScope);
    expect(decodeJwt(tokens.access_token).roles).toEqual(['Tasks.Read.All']);
    expect(decodeJwt(tokens.access_token).azpacr).toBe(azpacr);
    expect(await callApi(tokens.access_token)).toBe(200);
  });

  it('private_key_jwt (RFC 7523) with the daemon’s certificate key, x5t#S256 header: azpacr 2, API 200', async () => {
    const certificate = await daemonCertificate();
    const auth = await certificateAuth(
      certificate.certificatePem,
      await readFile(certificate.privateKeyPath, 'utf8'),
      authorityEndpoints(config).token,
    );
    const discovered = await discover(config.tenant.authority, config.ids.daemonClientId, auth);
    const tokens = await clientCredentials(discovered, config.defaultScope);
    expect(decodeJwt(tokens.access_token).azpacr).toBe('2');
    expect(await callApi(tokens.access_token)).toBe(200);
  });

  it('a wrong secret sent with client_secret_basic fails with AADSTS7000215', async () => {
    const discovered = await discover(config.tenant.authority, config.ids.daemonClientId, client.ClientSecretBasic('Wr0ng~not-it'));
    const error = await clientCredentials(discovered, config.defaultScope).catch((caught: unknown) => caught);
    expect((error as client.ResponseBodyError).error).toBe('invalid_client');
    expect((error as client.ResponseBodyError).error_description).toMatch(/^AADSTS7000215:/);
  });
});
