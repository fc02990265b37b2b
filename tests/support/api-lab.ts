/**
 * Support for the sample API's integration tests, all against the real sandbox tenant:
 * - tokens through the real flows (Authorization Code + PKCE via the sign-in pages, Client
 *   Credentials with the daemon's sandbox secret), both driven by oauth4webapi;
 * - a private lab (its own tenant with a temporary state folder, its own API on a free port) for
 *   the tests that rotate keys, stop the tenant or re-sign tokens with the tenant's key, so they
 *   never disturb the shared lab other tests use.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { createApiServer } from '../../servers/api/main.ts';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { tenantStatePaths } from '../../servers/tenant/state.ts';
import type { ApiSettings, LabConfig } from '../../src/config/lab.ts';
import { type SandboxUserName, sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { authorizationServer, authorizeUrl, freePort, insecure, labConfig, signIn } from './tenant-http.ts';

export type Claims = Record<string, unknown>;

/** Delegated (user) access token through Authorization Code + PKCE, as the SPA gets it. */
export async function delegatedToken(config: LabConfig, user: SandboxUserName, scopes: readonly string[]): Promise<string> {
  return (await delegatedTokens(config, user, scopes)).accessToken;
}

/** The access token and the ID token of one Authorization Code + PKCE sign-in. */
export async function delegatedTokens(
  config: LabConfig,
  user: SandboxUserName,
  scopes: readonly string[],
): Promise<{ accessToken: string; idToken: string }> {
  const as = await authorizationServer(config);
  const spa: oauth.Client = { client_id: config.ids.spaClientId };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = authorizeUrl(config, {
    scope: `openid profile offline_access ${scopes.join(' ')}`,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    codeChallengeMethod: 'S256',
    state,
    nonce,
  });
  const { callback, steps } = await signIn(url, { username: sandboxUsers[user].preferredUsername, redirectUris: config.redirectUris });
  if (!callback) throw new Error(`sign-in did not reach the app: ${steps.at(-1)?.page?.slice(0, 300)}`);
  const params = oauth.validateAuthResponse(as, spa, callback, state);
  // A SPA redeems its code from the browser, so the request carries the site's Origin (AADSTS9002327 otherwise).
  const response = await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), params, config.redirectUris[0] as string, verifier, {
    ...insecure,
    headers: { origin: config.siteOrigin },
  });
  const result = await oauth.processAuthorizationCodeResponse(as, spa, response, { expectedNonce: nonce, requireIdToken: true });
  return { accessToken: result.access_token, idToken: result.id_token as string };
}

/** App-only access token through Client Credentials (`{App ID URI}/.default`, sandbox secret). */
export async function appOnlyToken(config: LabConfig): Promise<string> {
  const as = await authorizationServer(config);
  const daemon: oauth.Client = { client_id: config.ids.daemonClientId };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    daemon,
    oauth.ClientSecretPost(sandboxApps.daemon.sandboxSecret),
    new URLSearchParams({ scope: config.defaultScope }),
    insecure,
  );
  return (await oauth.processClientCredentialsResponse(as, daemon, response)).access_token;
}

export interface ApiCall {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls the API like any HTTP client; `authorization` is sent verbatim when given. */
export async function callApi(
  apiUrl: string,
  path: string,
  init: { method?: string; authorization?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiCall> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
}

/** The tenant's current signing key, read from its state folder: what "re-sign as the tenant" uses. */
export async function tenantSigningKey(stateDir: string): Promise<{ kid: string; key: CryptoKey }> {
  const file = JSON.parse(await readFile(tenantStatePaths(stateDir).signingKeys, 'utf8')) as {
    keys: { kid: string; privateJwk: Record<string, unknown> }[];
  };
  const active = file.keys[0] as { kid: string; privateJwk: Record<string, unknown> };
  const key = (await importJWK({ ...active.privateJwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
  return { kid: active.kid, key };
}

/** A real token's claims with `edit` applied, signed again with the tenant's own key (header edits too). */
export async function resign(
  token: string,
  signer: { kid: string; key: CryptoKey },
  edit: (claims: Claims) => void,
  header: Claims = {},
): Promise<string> {
  const claims = decodeJwt(token) as Claims;
  edit(claims);
  const protectedHeader = { ...decodeProtectedHeader(token), kid: signer.kid, ...header } as { alg: string };
  return new SignJWT(claims).setProtectedHeader(protectedHeader).sign(signer.key);
}

/** Builds `header.payload.signature` from JSON texts signed by the tenant's key (for duplicate names). */
export async function signRaw(headerJson: string, payloadJson: string, signer: { key: CryptoKey }): Promise<string> {
  const input = `${base64url.encode(headerJson)}.${base64url.encode(payloadJson)}`;
  const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', signer.key, new TextEncoder().encode(input)));
  return `${input}.${base64url.encode(signature)}`;
}

export interface PrivateLab {
  config: LabConfig;
  stateDir: string;
  tenant: RunningTenant | undefined;
  /** Starts (another) API on a free port, with API settings overridden. */
  startApi(settings?: Partial<ApiSettings>): Promise<{ url: string; close(): Promise<void> }>;
  admin(path: string): Promise<Response>;
  stopTenant(): Promise<void>;
  close(): Promise<void>;
}

async function serve(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Its own sandbox tenant (temporary keys, free port) and APIs pointed at it. */
export async function startPrivateLab(): Promise<PrivateLab> {
  const stateDir = await mkdtemp(join(tmpdir(), 'api-lab-'));
  const config = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
  const apis: { close(): Promise<void> }[] = [];
  const lab: PrivateLab = {
    config,
    stateDir,
    tenant: await startTenant(config, { stateDir }),
    async startApi(settings = {}) {
      const api = await serve(createApiServer({ ...config, api: { ...config.api, ...settings } }));
      apis.push(api);
      return api;
    },
    admin: (path) =>
      fetch(`${config.tenantOrigin}/_sandbox/${path}`, { method: 'POST', headers: { 'x-lab-admin': '1', origin: config.tenantOrigin } }),
    async stopTenant() {
      await lab.tenant?.close();
      lab.tenant = undefined;
    },
    async close() {
      await Promise.all(apis.map((api) => api.close()));
      await lab.stopTenant();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return lab;
}
