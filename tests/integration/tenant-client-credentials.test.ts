/**
 * Client Credentials (RFC 6749 §4.4) for the daemon against the real sandbox tenant: MSAL Node
 * with a secret and with a certificate (RFC 7523 client assertion, `x5t#S256` and `x5t`), and
 * oauth4webapi as an independent client. Each Entra error of this flow is reproduced.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, importPKCS8, jwtVerify, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DaemonCertificate, daemonCertificate } from '../../servers/tenant/main.ts';
import { pinnedAuthorityMetadata } from '../../src/config/authorityMetadata.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { authorizationServer, insecure, labConfig, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const jwks = createRemoteJWKSet(new URL(config.tenant.jwks));
const secret = sandboxApps.daemon.sandboxSecret;
const daemonId = config.ids.daemonClientId;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** MSAL Node pointed at the sandbox: https-labelled authority, pinned http endpoints (spike option B). */
function msalConfig(auth: Partial<Configuration['auth']>): Configuration {
  return {
    auth: {
      clientId: daemonId,
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      authorityMetadata: pinnedAuthorityMetadata(config),
      ...auth,
    },
  };
}

let certificate: DaemonCertificate;
let privateKeyPem: string;

beforeAll(async () => {
  certificate = await daemonCertificate();
  privateKeyPem = await readFile(certificate.privateKeyPath, 'utf8');
});

async function assertion(
  overrides: { header?: Record<string, unknown>; claims?: Record<string, unknown>; key?: CryptoKey } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = overrides.key ?? (await importPKCS8(privateKeyPem, 'RS256'));
  return new SignJWT({
    aud: config.tenant.token,
    iss: daemonId,
    sub: daemonId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
    ...overrides.claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: certificate.x5t, ...overrides.header })
    .sign(key);
}

function aadsts(body: Record<string, unknown>) {
  return { error: body.error, code: String(body.error_description ?? '').split(':')[0] };
}

async function appOnlyClaims(accessToken: string) {
  const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
    issuer: config.tenant.issuer,
    audience: config.ids.apiClientId,
    algorithms: ['RS256'],
  });
  // Entra's v2 header, in its order: typ, alg, kid (the key's x5t), nothing else.
  expect(Object.entries(protectedHeader)).toEqual([
    ['typ', 'JWT'],
    ['alg', 'RS256'],
    ['kid', expect.any(String)],
  ]);
  return payload;
}

describe('MSAL Node acquires app-only tokens (acquireTokenByClientCredential)', () => {
  it('with the client secret: roles, no scp, idtyp app, oid = sub = the daemon’s service principal, azpacr 1', async () => {
    const app = new ConfidentialClientApplication(msalConfig({ clientSecret: secret }));
    const result = await app.acquireTokenByClientCredential({ scopes: [config.defaultScope] });
    const claims = await appOnlyClaims(result?.accessToken as string);
    expect(claims).toMatchObject({
      aud: config.ids.apiClientId,
      azp: daemonId,
      azpacr: '1',
      idtyp: 'app',
      oid: sandboxApps.daemon.servicePrincipalId,
      sub: sandboxApps.daemon.servicePrincipalId,
      roles: ['Tasks.Read.All'],
      tid: config.ids.tenantId,
      ver: '2.0',
    });
    expect(claims).not.toHaveProperty('scp');
    expect(claims).not.toHaveProperty('name');
  });

  it('with the certificate and a SHA-256 thumbprint (x5t#S256, PS256): azpacr 2', async () => {
    const app = new ConfidentialClientApplication(
      msalConfig({ clientCertificate: { thumbprintSha256: certificate.sha256Hex, privateKey: privateKeyPem } }),
    );
    const result = await app.acquireTokenByClientCredential({ scopes: [config.defaultScope] });
    const claims = await appOnlyClaims(result?.accessToken as string);
    expect(claims).toMatchObject({ azpacr: '2', roles: ['Tasks.Read.All'], idtyp: 'app' });
  });

  it('with the certificate and a legacy SHA-1 thumbprint (x5t, RS256): azpacr 2', async () => {
    const app = new ConfidentialClientApplication(
      msalConfig({ clientCertificate: { thumbprint: certificate.sha1Hex, privateKey: privateKeyPem } }),
    );
    const result = await app.acquireTokenByClientCredential({ scopes: [config.defaultScope] });
    expect(await appOnlyClaims(result?.accessToken as string)).toMatchObject({ azpacr: '2' });
  });

  it('with a wrong secret: MSAL surfaces invalid_client AADSTS7000215', async () => {
    const app = new ConfidentialClientApplication(msalConfig({ clientSecret: 'wrong-secret' }));
    await expect(app.acquireTokenByClientCredential({ scopes: [config.defaultScope] })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });
});

describe('oauth4webapi as an independent client', () => {
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: daemonId };

  beforeAll(async () => {
    as = await authorizationServer(config);
  });

  it('client_secret_post', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(secret),
      new URLSearchParams({ scope: config.defaultScope }),
      insecure,
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    const claims = await appOnlyClaims(result.access_token);
    expect(claims).toMatchObject({ azpacr: '1' });
    expect(result).not.toHaveProperty('refresh_token');
    expect(result).not.toHaveProperty('scope');
    // Entra's lifetime: 60 to 90 minutes, the same in expires_in, ext_expires_in and the token.
    expect(result.expires_in).toBeGreaterThanOrEqual(3600);
    expect(result.expires_in).toBeLessThanOrEqual(5400);
    expect(result.ext_expires_in).toBe(result.expires_in);
    expect((claims.exp as number) - (claims.iat as number)).toBe(result.expires_in);
    expect(claims.nbf).toBe(claims.iat);
  });

  it('client_secret_basic (RFC 6749 §2.3.1)', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(secret),
      new URLSearchParams({ scope: config.defaultScope }),
      insecure,
    );
    expect((await oauth.processClientCredentialsResponse(as, client, response)).token_type).toBe('bearer');
  });

  it('private_key_jwt with aud set to the token endpoint, as Entra requires', async () => {
    const key = await importPKCS8(privateKeyPem, 'RS256');
    const auth = oauth.PrivateKeyJwt(key, {
      [oauth.modifyAssertion]: (header, payload) => {
        header['x5t#S256'] = certificate.x5tS256;
        payload.aud = config.tenant.token;
      },
    });
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      auth,
      new URLSearchParams({ scope: config.defaultScope }),
      insecure,
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(decodeProtectedHeader(result.access_token).alg).toBe('RS256');
    expect(await appOnlyClaims(result.access_token)).toMatchObject({ azpacr: '2' });
  });
});

describe('Client Credentials errors, as Entra answers them', () => {
  const daemon = (params: Record<string, string>) =>
    tokenRequest(config, { grant_type: 'client_credentials', client_id: daemonId, scope: config.defaultScope, ...params });

  it('a scope without /.default → invalid_scope AADSTS1002012', async () => {
    const response = await daemon({ client_secret: secret, scope: config.delegatedScopes[0] as string });
    expect(response.status).toBe(400);
    expect(aadsts(response.body)).toEqual({ error: 'invalid_scope', code: 'AADSTS1002012' });
  });

  it('no scope at all → AADSTS900144 naming the scope parameter', async () => {
    const response = await tokenRequest(config, { grant_type: 'client_credentials', client_id: daemonId, client_secret: secret });
    expect(aadsts(response.body).code).toBe('AADSTS900144');
    expect(response.body.error_description).toContain("'scope'");
  });

  it('two resources → invalid_scope AADSTS700022', async () => {
    const response = await daemon({ client_secret: secret, scope: `${config.defaultScope} api://other/.default` });
    expect(aadsts(response.body)).toEqual({ error: 'invalid_scope', code: 'AADSTS700022' });
  });

  it('a wrong secret → invalid_client AADSTS7000215 (401)', async () => {
    const response = await daemon({ client_secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS7000215' });
  });

  it('no credential → invalid_client AADSTS7000218', async () => {
    const response = await daemon({});
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS7000218' });
  });

  it('an assertion signed by another key → invalid_client AADSTS700027, the signature did not match', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const response = await daemon({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({ key: privateKey }) });
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS700027' });
    expect(response.body.error_description).toContain('The provided signature value did not match the expected signature value.');
  });

  it('an assertion naming an unregistered certificate thumbprint → AADSTS700027 “The key was not found”, not a signature mismatch', async () => {
    const unknown = Buffer.alloc(20, 7);
    const response = await daemon({
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion({ header: { x5t: unknown.toString('base64url') } }),
    });
    expect(response.status).toBe(401);
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS700027' });
    const description = String(response.body.error_description).split('\r\n')[0];
    expect(description).toBe(
      `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${unknown.toString('hex').toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${daemonId}'.]`,
    );
    expect(description).not.toContain('signature value did not match');
  });

  it('an assertion without any thumbprint header → AADSTS700027 “The key was not found”', async () => {
    const response = await daemon({
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion({ header: { x5t: undefined } }),
    });
    expect(String(response.body.error_description)).toContain("[Reason - The key was not found., Thumbprint of key used by client: 'none'");
  });

  it.each([
    ['x5t', () => Buffer.from(certificate.x5t, 'base64url')],
    ['x5t#S256', () => Buffer.from(certificate.x5tS256, 'base64url')],
  ])('a padded base64url %s (as MSAL Python sends it) names the same certificate: a token, azpacr 2', async (name, bytes) => {
    const padded = Buffer.from(bytes()).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
    expect(padded.endsWith('=')).toBe(true);
    const header = name === 'x5t' ? { x5t: padded } : { x5t: undefined, 'x5t#S256': padded, alg: 'PS256' };
    const key = await importPKCS8(privateKeyPem, name === 'x5t' ? 'RS256' : 'PS256');
    const response = await daemon({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({ header, key }) });
    expect(response.status).toBe(200);
    expect((await appOnlyClaims(response.body.access_token as string)).azpacr).toBe('2');
  });

  it('an expired assertion → AADSTS700024', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const response = await daemon({
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion({ claims: { nbf: past - 600, iat: past - 600, exp: past } }),
    });
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS700024' });
  });

  it('an assertion whose sub is not its iss → AADSTS50048', async () => {
    const response = await daemon({
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion({ claims: { sub: randomUUID() } }),
    });
    expect(aadsts(response.body).code).toBe('AADSTS50048');
  });

  it('an assertion for another audience → AADSTS50012', async () => {
    const response = await daemon({
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion({ claims: { aud: config.tenant.issuer } }),
    });
    expect(aadsts(response.body).code).toBe('AADSTS50012');
  });

  it('an unknown client_id → unauthorized_client AADSTS700016', async () => {
    const response = await tokenRequest(config, {
      grant_type: 'client_credentials',
      client_id: randomUUID(),
      client_secret: secret,
      scope: config.defaultScope,
    });
    expect(aadsts(response.body)).toEqual({ error: 'unauthorized_client', code: 'AADSTS700016' });
  });

  it('a resource that is not in the tenant → invalid_resource AADSTS500011', async () => {
    const response = await daemon({ client_secret: secret, scope: 'api://not-in-this-tenant/.default' });
    expect(aadsts(response.body)).toEqual({ error: 'invalid_resource', code: 'AADSTS500011' });
  });

  it('the public SPA asking for an app-only token has no credential to prove itself → AADSTS7000218', async () => {
    const response = await tokenRequest(config, {
      grant_type: 'client_credentials',
      client_id: config.ids.spaClientId,
      scope: config.defaultScope,
    });
    expect(aadsts(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS7000218' });
  });

  it('a daemon call from a browser (Origin header) → AADSTS9002326', async () => {
    const response = await tokenRequest(
      config,
      { grant_type: 'client_credentials', client_id: daemonId, client_secret: secret, scope: config.defaultScope },
      { origin: config.siteOrigin },
    );
    expect(aadsts(response.body)).toEqual({ error: 'invalid_request', code: 'AADSTS9002326' });
  });

  it('the App ID URI and the client ID name the same resource', async () => {
    const response = await daemon({ client_secret: secret, scope: `${config.ids.apiClientId}/.default` });
    expect(response.status).toBe(200);
    expect((await appOnlyClaims(response.body.access_token as string)).aud).toBe(config.ids.apiClientId);
  });
});
