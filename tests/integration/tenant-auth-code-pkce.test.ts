/**
 * Authorization Code + PKCE for the SPA against the real sandbox tenant, driven by an independent
 * client (oauth4webapi) through the real sign-in and consent pages; tokens verified with jose
 * against the tenant's JWKS. Each Entra error of this flow is reproduced.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { authorizationServer, authorizeUrl, insecure, labConfig, signIn, spaCode, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const jwks = createRemoteJWKSet(new URL(config.tenant.jwks));
const spa: oauth.Client = { client_id: config.ids.spaClientId };
const browser = { origin: config.siteOrigin };
const readScope = config.delegatedScopes[0] as string;
const redirectUri = config.redirectUris[0] as string;

function entraError(body: Record<string, unknown>) {
  return { error: body.error, code: String(body.error_description ?? '').split(':')[0], codes: body.error_codes };
}

async function redeem(code: string, verifier: string | undefined, extra: Record<string, string> = {}, init = browser) {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    client_id: config.ids.spaClientId,
    code,
    redirect_uri: redirectUri,
    ...extra,
  };
  if (verifier !== undefined) params.code_verifier = verifier;
  return tokenRequest(config, params, init);
}

describe('oauth4webapi signs alice in (RFC 6749 §4.1 + RFC 7636 S256) and gets Entra v2 tokens', () => {
  let as: oauth.AuthorizationServer;
  let result: oauth.TokenEndpointResponse;
  let nonce: string;

  beforeAll(async () => {
    as = await authorizationServer(config);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    nonce = oauth.generateRandomNonce();
    const url = authorizeUrl(config, {
      scope: `openid profile offline_access ${readScope}`,
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      codeChallengeMethod: 'S256',
      state,
      nonce,
    });
    const { callback } = await signIn(url, { username: sandboxUsers.alice.preferredUsername });
    const params = oauth.validateAuthResponse(as, spa, callback as URL, state);
    const response = await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), params, redirectUri, verifier, {
      ...insecure,
      headers: { origin: config.siteOrigin },
      additionalParameters: { client_info: '1' },
    });
    result = await oauth.processAuthorizationCodeResponse(as, spa, response, { expectedNonce: nonce, requireIdToken: true });
  });

  it('access token: header typ JWT / RS256 / kid of the JWKS, verified with jose', async () => {
    expect(decodeProtectedHeader(result.access_token)).toEqual({ typ: 'JWT', alg: 'RS256', kid: expect.any(String) });
    const { payload } = await jwtVerify(result.access_token, jwks, {
      issuer: config.tenant.issuer,
      audience: config.ids.apiClientId,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      aud: config.ids.apiClientId,
      azp: config.ids.spaClientId,
      azpacr: '0',
      scp: 'Tasks.Read',
      oid: sandboxUsers.alice.oid,
      name: sandboxUsers.alice.name,
      preferred_username: sandboxUsers.alice.preferredUsername,
      tid: config.ids.tenantId,
      ver: '2.0',
    });
    expect(payload.sub).toMatch(/^[\w-]{43}$/);
    expect(payload.uti).toMatch(/^[\w-]{22}$/);
    expect(payload.nbf).toBe(payload.iat);
    for (const absent of ['scope', 'client_id', 'jti', 'roles']) expect(payload).not.toHaveProperty(absent);
    // The API registration asks for idtyp with include_user_token (src/config/sandbox.ts).
    expect(payload.idtyp).toBe('user');
  });

  it('access token lifetime is Entra’s default: 60 to 90 minutes', async () => {
    const { payload } = await jwtVerify(result.access_token, jwks);
    const lifetime = (payload.exp as number) - (payload.iat as number);
    expect(lifetime).toBeGreaterThanOrEqual(3600);
    expect(lifetime).toBeLessThanOrEqual(5400);
    expect(result.expires_in).toBe(lifetime);
    expect(result.ext_expires_in).toBe(lifetime);
  });

  it('ID token: aud = the SPA, the nonce, the user’s oid and name, a pairwise sub of its own; verified with jose', async () => {
    const idToken = result.id_token as string;
    expect(decodeProtectedHeader(idToken)).toEqual({ typ: 'JWT', alg: 'RS256', kid: expect.any(String) });
    const { payload } = await jwtVerify(idToken, jwks, { issuer: config.tenant.issuer, audience: config.ids.spaClientId });
    expect(payload).toMatchObject({
      nonce,
      oid: sandboxUsers.alice.oid,
      tid: config.ids.tenantId,
      ver: '2.0',
      preferred_username: sandboxUsers.alice.preferredUsername,
    });
    expect(payload).not.toHaveProperty('at_hash');
    const access = await jwtVerify(result.access_token, jwks);
    // The ID token's sub is for the SPA, the access token's for the API (tenant-pairwise-sub.test.ts).
    expect(payload.sub).not.toBe(access.payload.sub);
    expect(payload.sub).not.toBe(sandboxUsers.alice.oid);
  });

  it('the token response has a 24-hour SPA refresh token and MSAL’s client_info', () => {
    expect(result.refresh_token).toEqual(expect.any(String));
    expect(result.refresh_token_expires_in).toBeGreaterThan(24 * 3600 - 60);
    expect(result.refresh_token_expires_in).toBeLessThanOrEqual(24 * 3600);
    expect(JSON.parse(Buffer.from(result.client_info as string, 'base64url').toString())).toEqual({
      uid: sandboxUsers.alice.oid,
      utid: config.ids.tenantId,
    });
    expect(result.scope).toBe(readScope);
  });

  it('RFC 6749 §6: the refresh token buys a new access token (MSAL re-sends offline_access; accepted)', async () => {
    const response = await oauth.refreshTokenGrantRequest(as, spa, oauth.None(), result.refresh_token as string, {
      ...insecure,
      headers: { origin: config.siteOrigin },
      additionalParameters: { scope: `openid profile offline_access ${readScope}` },
    });
    const refreshed = await oauth.processRefreshTokenResponse(as, spa, response);
    const { payload } = await jwtVerify(refreshed.access_token, jwks, { audience: config.ids.apiClientId });
    expect(payload.scp).toBe('Tasks.Read');
    expect(refreshed.refresh_token).toEqual(expect.any(String));
  });
});

describe('PKCE as Entra does it', () => {
  it('RFC 7636 §4.2 plain: accepted, the verifier equals the challenge', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const { code } = await spaCode(config, { verifier, codeChallenge: verifier, codeChallengeMethod: 'plain' });
    const response = await redeem(code, verifier);
    expect(response.status).toBe(200);
  });

  it('a challenge without code_challenge_method is treated as plain', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const { code } = await spaCode(config, { verifier, codeChallenge: verifier });
    expect((await redeem(code, `${verifier}x`)).status).toBe(400);
  });

  it('wrong code_verifier → invalid_grant AADSTS501481', async () => {
    const { code } = await spaCode(config);
    const response = await redeem(code, oauth.generateRandomCodeVerifier());
    expect(response.status).toBe(400);
    expect(entraError(response.body)).toEqual({ error: 'invalid_grant', code: 'AADSTS501481', codes: [501481] });
  });

  it('missing code_verifier → invalid_grant AADSTS501481', async () => {
    const { code } = await spaCode(config);
    const response = await redeem(code, undefined);
    expect(entraError(response.body)).toEqual({ error: 'invalid_grant', code: 'AADSTS501481', codes: [501481] });
  });

  it('a SPA code issued without any challenge cannot be redeemed → AADSTS9002325', async () => {
    const { callback } = await signIn(authorizeUrl(config, {}));
    const code = callback?.searchParams.get('code') as string;
    const response = await redeem(code, oauth.generateRandomCodeVerifier());
    expect(entraError(response.body)).toEqual({ error: 'invalid_request', code: 'AADSTS9002325', codes: [9002325] });
  });
});

describe('authorization codes', () => {
  it('are one-time: a second redemption → invalid_grant AADSTS54005', async () => {
    const { code, verifier } = await spaCode(config);
    expect((await redeem(code, verifier)).status).toBe(200);
    const again = await redeem(code, verifier);
    expect(again.status).toBe(400);
    expect(entraError(again.body)).toEqual({ error: 'invalid_grant', code: 'AADSTS54005', codes: [54005] });
  });

  it('redeemed with another redirect_uri → invalid_grant AADSTS70000', async () => {
    const { code, verifier } = await spaCode(config);
    const response = await redeem(code, verifier, { redirect_uri: config.redirectUris[1] as string });
    expect(entraError(response.body)).toEqual({ error: 'invalid_grant', code: 'AADSTS70000', codes: [70000] });
  });

  it('SPA codes are redeemable only cross-origin: no Origin header → AADSTS9002327', async () => {
    const { code, verifier } = await spaCode(config);
    const response = await redeem(code, verifier, {}, { origin: undefined as unknown as string });
    expect(entraError(response.body)).toEqual({ error: 'invalid_request', code: 'AADSTS9002327', codes: [9002327] });
  });

  it('a public client sending a secret → invalid_client AADSTS700025 (401)', async () => {
    const { code, verifier } = await spaCode(config);
    const response = await redeem(code, verifier, { client_secret: 'not-a-spa-thing' });
    expect(response.status).toBe(401);
    expect(entraError(response.body)).toEqual({ error: 'invalid_client', code: 'AADSTS700025', codes: [700025] });
  });

  it('the token endpoint lets the SPA’s origin read its answers (CORS), success or error', async () => {
    const { code, verifier } = await spaCode(config);
    const ok = await redeem(code, verifier);
    expect(ok.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
    const replay = await redeem(code, verifier);
    expect(replay.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
  });
});

describe('/authorize errors', () => {
  it('RFC 6749 §4.1.2.1: an unregistered redirect_uri → AADSTS50011 on the tenant’s page, never a redirect', async () => {
    const wrong = `${config.siteOrigin}/wrong`;
    const response = await fetch(authorizeUrl(config, { redirectUri: wrong }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain('AADSTS50011');
    expect(page.replaceAll('&#39;', "'")).toContain(`The redirect URI '${wrong}' specified in the request does not match`);
    expect(page).toContain('SANDBOX');
  });

  it('a redirect URI differing only by a trailing slash is not registered either', async () => {
    const response = await fetch(authorizeUrl(config, { redirectUri: `${config.siteOrigin}/redirect.html/` }), { redirect: 'manual' });
    expect(await response.text()).toContain('AADSTS50011');
  });

  it('an unknown client_id → AADSTS700016 on the tenant’s page', async () => {
    const response = await fetch(authorizeUrl(config, { clientId: '11111111-2222-4333-8444-555555555555' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('AADSTS700016');
  });

  it('Cancel on the consent page → error=access_denied (AADSTS65004) back at the app, with its state', async () => {
    const state = oauth.generateRandomState();
    const { callback } = await signIn(
      authorizeUrl(config, { state, prompt: 'consent', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256' }),
      {
        consent: 'cancel',
      },
    );
    expect(callback?.searchParams.get('error')).toBe('access_denied');
    expect(callback?.searchParams.get('error_description')).toMatch(
      /^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: /,
    );
    expect(callback?.searchParams.get('state')).toBe(state);
    expect(callback?.searchParams.has('code')).toBe(false);
  });

  it('a scope the API does not expose → AADSTS650053 on the redirect', async () => {
    const { callback } = await signIn(authorizeUrl(config, { scope: `openid ${config.ids.apiAppIdUri}/Tasks.Delete` }));
    expect(callback?.searchParams.get('error_description')).toMatch(/^AADSTS650053: .*'Tasks\.Delete'/);
  });

  it('a resource that is not in the tenant → invalid_resource AADSTS500011', async () => {
    const { callback } = await signIn(authorizeUrl(config, { scope: 'openid api://not-in-this-tenant/Read' }));
    expect(callback?.searchParams.get('error')).toBe('invalid_resource');
    expect(callback?.searchParams.get('error_description')).toMatch(
      /^AADSTS500011: The resource principal named api:\/\/not-in-this-tenant/,
    );
  });

  it('prompt=none without a session → login_required AADSTS50058', async () => {
    const { callback } = await signIn(authorizeUrl(config, { prompt: 'none' }));
    expect(callback?.searchParams.get('error')).toBe('login_required');
    expect(callback?.searchParams.get('error_description')).toMatch(/^AADSTS50058:/);
  });

  it('response_mode=fragment puts the code in the fragment (MSAL.js’s default)', async () => {
    const { callback } = await signIn(
      authorizeUrl(config, { responseMode: 'fragment', codeChallenge: 'y'.repeat(43), codeChallengeMethod: 'S256' }),
    );
    expect(new URLSearchParams(callback?.hash.slice(1)).get('code')).toEqual(expect.any(String));
    expect(callback?.search).toBe('');
  });

  it('the redirect carries no RFC 9207 iss parameter, as Entra sends none', async () => {
    const { callback } = await signIn(authorizeUrl(config, { codeChallenge: 'z'.repeat(43), codeChallengeMethod: 'S256' }));
    expect(callback?.searchParams.has('code')).toBe(true);
    expect(callback?.searchParams.has('iss')).toBe(false);
  });
});

describe('the sign-in and consent pages', () => {
  it('a wrong password stays on the sign-in page with AADSTS50126', async () => {
    const { steps, callback } = await signIn(authorizeUrl(config, {}), { password: 'not-the-password' });
    expect(callback).toBeUndefined();
    expect(steps.at(-1)?.page).toContain('AADSTS50126');
  });

  it('an unknown user stays on the sign-in page with AADSTS50034', async () => {
    const { steps } = await signIn(authorizeUrl(config, {}), { username: 'mallory@contoso.onmicrosoft.com' });
    expect(steps.at(-1)?.page).toContain('AADSTS50034');
  });

  it('the consent page lists each requested permission; consent is then remembered per user and app', async () => {
    // Other files sign bob in against the same tenant; start from a directory where he has consented to nothing.
    const reset = await fetch(`${config.tenantOrigin}/_sandbox/reset`, {
      method: 'POST',
      headers: { 'X-Lab-Admin': '1', Origin: config.tenantOrigin },
    });
    expect(reset.ok).toBe(true);
    const first = await signIn(authorizeUrl(config, { scope: `openid profile offline_access ${config.delegatedScopes[1]}` }), {
      username: sandboxUsers.bob.preferredUsername,
    });
    const consentPage = first.steps.find((s) => s.page?.includes('Permissions requested'))?.page ?? '';
    expect(consentPage).toContain(sandboxApps.spa.displayName);
    expect(consentPage).toContain('Read and write your tasks');
    expect(consentPage).toContain(config.delegatedScopes[1]);
    const again = await signIn(
      authorizeUrl(config, { scope: `openid profile offline_access ${config.delegatedScopes[1]}`, prompt: 'login' }),
      {
        username: sandboxUsers.bob.preferredUsername,
      },
    );
    expect(again.callback?.searchParams.has('code')).toBe(true);
    expect(again.steps.some((s) => s.page?.includes('Permissions requested'))).toBe(false);
  });

  it('SSO: with the tenant’s session cookie, prompt=none returns a code without any page', async () => {
    const first = await signIn(authorizeUrl(config, {}));
    const silent = await signIn(authorizeUrl(config, { prompt: 'none', codeChallenge: 'q'.repeat(43), codeChallengeMethod: 'S256' }), {
      jar: first.jar,
    });
    expect(silent.callback?.searchParams.has('code')).toBe(true);
    expect(silent.steps.every((s) => s.page === undefined)).toBe(true);
  });

  it('API scopes named by client ID are the same permission as by App ID URI', async () => {
    const { code, verifier } = await spaCode(config, { scope: `openid ${config.ids.apiClientId}/Tasks.Read` });
    const response = await redeem(code, verifier);
    const { payload } = await jwtVerify(response.body.access_token as string, jwks);
    expect(payload.scp).toBe('Tasks.Read');
  });
});
