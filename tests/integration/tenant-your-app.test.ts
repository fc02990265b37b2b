/**
 * Bring your own app: a sandbox directory file with an app registration of each platform and a
 * user, loaded by a real sandbox tenant, and used by real clients. The file's apps get exactly the
 * rules the built-in ones get: MSAL Node's Client Credentials with the app's own secret and
 * certificate (app roles in `roles`), a SPA signing the file's user in through the tenant's pages
 * with PKCE (the API's scope in `scp`, pairwise `sub`), exact redirect URI matching (AADSTS50011),
 * cross-origin redemption for SPAs only (AADSTS9002327, AADSTS9002326), credentials for web apps
 * (AADSTS7000218, AADSTS7000215) and admin consent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateCertificate, thumbprintsOf } from '../../servers/tenant/certificates.ts';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { pairwiseSubject } from '../../servers/tenant/tokenShapes.ts';
import { pinnedAuthorityMetadata } from '../../src/config/authorityMetadata.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { authorizeUrl, freePort, labConfig, signIn, tokenRequest } from '../support/tenant-http.ts';

const API = { clientId: 'd7819c5a-f3a3-43d6-958a-d1c85a6057d2', appIdUri: 'api://orders.contoso.test' };
const SPA = { clientId: '9cf443dc-47fe-43c4-802e-707868f71ae6', redirectUri: 'http://localhost:5173/' };
const WEB = {
  clientId: '83c65f99-b30c-4232-bb6b-19afec8a7f98',
  redirectUri: 'http://localhost:3000/auth/callback',
  secret: 'Sbx8Q~orders-web-secret-tests-only',
};
const DESKTOP = { clientId: '9fb7bbcb-d24f-4a56-9ae3-cba0fe49987f', redirectUri: 'http://localhost/' };
const DAEMON = {
  clientId: 'c07d2317-ee68-4fd0-aac8-f1902e05429b',
  secret: 'Sbx8Q~orders-daemon-secret-tests-only',
  servicePrincipalId: 'ac51c398-d809-4cc7-ad33-4279273d307f',
};
const DANA = {
  userPrincipalName: 'dana@contoso.onmicrosoft.com',
  displayName: 'Dana Lopez',
  password: 'dana-sandbox-password',
  objectId: '2b0f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b',
};

let folder: string;
let config: LabConfig;
let tenant: RunningTenant;
let daemonKeyPem: string;
let daemonThumbprintSha256: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'your-app-'));
  const certificate = await generateCertificate('Orders export (tests)');
  await writeFile(join(folder, 'orders-export.pem'), certificate.certificatePem);
  daemonKeyPem = certificate.privateKeyPem;
  daemonThumbprintSha256 = thumbprintsOf(certificate.certificatePem).sha256Hex;
  const file = join(folder, 'sandbox.directory.yaml');
  await writeFile(
    file,
    stringify({
      apps: [
        {
          clientId: API.clientId,
          displayName: 'Orders API',
          api: { appIdUri: API.appIdUri, scopes: [{ value: 'Orders.Read', consentText: 'Read your orders' }, 'Orders.ReadWrite'] },
          appRoles: ['Orders.Read.All', 'Orders.Purge.All'],
        },
        {
          clientId: SPA.clientId,
          displayName: 'Orders SPA',
          platform: 'spa',
          redirectUris: [SPA.redirectUri],
          apiPermissions: [{ api: API.appIdUri, delegated: ['Orders.Read'] }],
        },
        {
          clientId: WEB.clientId,
          displayName: 'Orders Web',
          platform: 'web',
          redirectUris: [WEB.redirectUri],
          clientSecrets: [WEB.secret],
          apiPermissions: [
            { api: 'Microsoft Graph', delegated: ['openid', 'profile', 'offline_access'] },
            { api: API.clientId, delegated: ['Orders.Read', 'Orders.ReadWrite'] },
          ],
          adminConsent: true,
        },
        { clientId: DESKTOP.clientId, displayName: 'Orders Desktop', platform: 'publicClient', redirectUris: ['http://localhost'] },
        {
          clientId: DAEMON.clientId,
          displayName: 'Orders export',
          platform: 'daemon',
          clientSecrets: [DAEMON.secret],
          certificates: ['orders-export.pem'],
          servicePrincipalId: DAEMON.servicePrincipalId,
          // Granted one of the API's two app roles.
          apiPermissions: [{ api: API.appIdUri, application: ['Orders.Read.All'] }],
          adminConsent: true,
        },
      ],
      users: [DANA],
    }),
  );
  config = labConfig({ LAB_TENANT_PORT: String(await freePort()), LAB_DIRECTORY: file });
  tenant = await startTenant(config, { stateDir: join(folder, 'state') });
});

afterAll(async () => {
  await tenant?.close();
  await rm(folder, { recursive: true, force: true });
});

const jwks = () => createRemoteJWKSet(new URL(config.tenant.jwks));
const verifyFor = (token: string, audience: string) =>
  jwtVerify(token, jwks(), { issuer: config.tenant.issuer, audience, algorithms: ['RS256'] }).then((r) => r.payload);
const codeOf = (error: unknown) =>
  String((error as { errorCode?: string; errorMessage?: string }).errorMessage ?? error).match(/AADSTS\d+/)?.[0];
const aadsts = (body: Record<string, unknown>) => String(body.error_description ?? '').split(':')[0];

/** MSAL Node pointed at the sandbox, as the README shows: https-labelled authority, pinned metadata. */
function msal(clientId: string, credential: Configuration['auth']): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      ...credential,
      clientId,
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      authorityMetadata: pinnedAuthorityMetadata(config),
    },
  });
}

describe('the directory file is loaded', () => {
  it('the tenant knows the file and its entries next to the built-in ones', () => {
    expect(tenant.directoryFile).toMatch(/sandbox\.directory\.yaml$/);
    expect(tenant.directory.apps.filter((app) => !app.builtIn).map((app) => app.clientId)).toEqual([
      API.clientId,
      SPA.clientId,
      WEB.clientId,
      DESKTOP.clientId,
      DAEMON.clientId,
    ]);
    expect(tenant.directory.users.map((user) => user.preferredUsername)).toContain(DANA.userPrincipalName);
  });
});

describe('a daemon from the file: Client Credentials with MSAL Node ConfidentialClientApplication', () => {
  it('its own secret gets an app-only token for its own API, with the granted app role in roles', async () => {
    const result = await msal(DAEMON.clientId, { clientId: DAEMON.clientId, clientSecret: DAEMON.secret }).acquireTokenByClientCredential({
      scopes: [`${API.appIdUri}/.default`],
    });
    const claims = await verifyFor(result?.accessToken as string, API.clientId);
    expect(claims.roles).toEqual(['Orders.Read.All']);
    expect(claims.oid).toBe(DAEMON.servicePrincipalId);
    expect(claims.sub).toBe(DAEMON.servicePrincipalId);
    expect(claims.azp).toBe(DAEMON.clientId);
    expect(claims.azpacr).toBe('1');
    expect(claims.scp).toBeUndefined();
  });

  it('its certificate (the thumbprint computed from the PEM file) gets a token too, azpacr 2', async () => {
    const result = await msal(DAEMON.clientId, {
      clientId: DAEMON.clientId,
      clientCertificate: { thumbprintSha256: daemonThumbprintSha256, privateKey: daemonKeyPem },
    }).acquireTokenByClientCredential({ scopes: [`${API.clientId}/.default`] });
    const claims = await verifyFor(result?.accessToken as string, API.clientId);
    expect(claims.azpacr).toBe('2');
    expect(claims.roles).toEqual(['Orders.Read.All']);
  });

  it('a wrong secret is AADSTS7000215, and the built-in daemon secret does not work for it', async () => {
    for (const clientSecret of ['Sbx8Q~not-the-registered-secret', tenant.directory.daemon.secrets[0] as string]) {
      const error = await msal(DAEMON.clientId, { clientId: DAEMON.clientId, clientSecret })
        .acquireTokenByClientCredential({ scopes: [`${API.appIdUri}/.default`] })
        .catch((e: unknown) => e);
      expect(codeOf(error)).toBe('AADSTS7000215');
    }
  });

  it('a web app without admin-consented app roles gets a token without roles', async () => {
    const result = await msal(WEB.clientId, { clientId: WEB.clientId, clientSecret: WEB.secret }).acquireTokenByClientCredential({
      scopes: [`${API.appIdUri}/.default`],
    });
    const claims = await verifyFor(result?.accessToken as string, API.clientId);
    expect(claims.roles).toBeUndefined();
    expect(claims.azp).toBe(WEB.clientId);
  });
});

async function signInAndRedeem(
  app: { clientId: string; redirectUri: string },
  scope: string,
  options: { origin?: string; secret?: string } = {},
) {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const { callback, steps } = await signIn(
    authorizeUrl(config, {
      clientId: app.clientId,
      redirectUri: app.redirectUri,
      scope,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    }),
    { username: DANA.userPrincipalName, password: DANA.password, redirectUris: [app.redirectUri] },
  );
  const code = callback?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback?.href ?? steps.at(-1)?.page?.slice(0, 400)}`);
  const redeem = (init: { origin?: string; secret?: string }) =>
    tokenRequest(
      config,
      {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code,
        code_verifier: verifier,
        redirect_uri: app.redirectUri,
        ...(init.secret ? { client_secret: init.secret } : {}),
      },
      { origin: init.origin },
    );
  return { steps, redeem, answer: await redeem(options) };
}

describe("a SPA from the file signs the file's user in through the tenant's pages (Authorization Code + PKCE)", () => {
  it('gets the API scope in scp, a pairwise sub, and the user in the ID token; the consent page shows the API text', async () => {
    const { steps, answer } = await signInAndRedeem(SPA, `openid profile offline_access ${API.appIdUri}/Orders.Read`, {
      origin: 'http://localhost:5173',
    });
    expect(steps.some((step) => step.page?.includes('Permissions requested') && step.page.includes('Read your orders'))).toBe(true);
    expect(answer.status).toBe(200);
    const access = await verifyFor(answer.body.access_token as string, API.clientId);
    expect(access.scp).toBe('Orders.Read');
    expect(access.oid).toBe(DANA.objectId);
    expect(access.sub).toBe(pairwiseSubject(config.ids.tenantId, API.clientId, DANA.objectId));
    expect(access.azp).toBe(SPA.clientId);
    const id = await verifyFor(answer.body.id_token as string, SPA.clientId);
    expect(id.name).toBe(DANA.displayName);
    expect(id.preferred_username).toBe(DANA.userPrincipalName);
    expect(id.sub).toBe(pairwiseSubject(config.ids.tenantId, SPA.clientId, DANA.objectId));
    // The SPA's refresh token lives 24 hours, as for the built-in SPA.
    expect(answer.body.refresh_token_expires_in).toBeLessThanOrEqual(24 * 60 * 60);
  });

  it('redeeming without an Origin header is AADSTS9002327', async () => {
    const { answer } = await signInAndRedeem(SPA, `openid ${API.appIdUri}/Orders.Read`);
    expect(answer.status).toBe(400);
    expect(aadsts(answer.body)).toBe('AADSTS9002327');
  });

  it('a redirect URI the registration does not list is AADSTS50011 on the error page', async () => {
    const response = await fetch(authorizeUrl(config, { clientId: SPA.clientId, redirectUri: 'http://localhost:5173/other' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS50011');
  });

  it('a scope the API does not expose is AADSTS650053', async () => {
    const response = await fetch(
      authorizeUrl(config, { clientId: SPA.clientId, redirectUri: SPA.redirectUri, scope: `openid ${API.appIdUri}/Orders.Delete` }),
      {
        redirect: 'manual',
      },
    );
    expect(`${response.headers.get('location')} ${await response.text()}`).toContain('AADSTS650053');
  });

  it("the file's user signs in with their own password, not the sandbox one (AADSTS50126)", async () => {
    const { steps } = await signIn(authorizeUrl(config, { clientId: SPA.clientId, redirectUri: SPA.redirectUri }), {
      username: DANA.userPrincipalName,
      password: 'sandbox',
      redirectUris: [SPA.redirectUri],
    });
    expect(steps.at(-1)?.page).toContain('AADSTS50126');
  });
});

describe('a web app and a desktop app from the file', () => {
  it('the web app redeems with its secret, and admin consent means no consent page', async () => {
    const { steps, answer, redeem } = await signInAndRedeem(WEB, `openid profile offline_access ${API.appIdUri}/Orders.ReadWrite`, {
      secret: WEB.secret,
    });
    expect(steps.some((step) => step.page?.includes('Permissions requested'))).toBe(false);
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token as string).scp).toBe('Orders.ReadWrite');
    // The code is used now; a web app must authenticate anyway, so the missing secret is what Entra names first.
    const unauthenticated = await redeem({});
    expect(aadsts(unauthenticated.body)).toBe('AADSTS7000218');
  });

  it('the desktop app redeems with no secret and no Origin (any loopback port), and an Origin is AADSTS9002326', async () => {
    const onPort = { clientId: DESKTOP.clientId, redirectUri: 'http://localhost:53117/' };
    const { answer, redeem } = await signInAndRedeem(onPort, `openid offline_access ${API.appIdUri}/Orders.Read`);
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token as string).azp).toBe(DESKTOP.clientId);
    const crossOrigin = await redeem({ origin: 'http://localhost:53117' });
    expect(aadsts(crossOrigin.body)).toBe('AADSTS9002326');
  });
});

describe('the built-in apps are unchanged next to the file', () => {
  it('the built-in daemon still gets its own role on the Tasks API', async () => {
    const result = await msal(config.ids.daemonClientId, {
      clientId: config.ids.daemonClientId,
      clientSecret: tenant.directory.daemon.secrets[0] as string,
    }).acquireTokenByClientCredential({ scopes: [config.defaultScope] });
    const claims = await verifyFor(result?.accessToken as string, config.ids.apiClientId);
    expect(claims.roles).toEqual(['Tasks.Read.All']);
  });
});
