/**
 * Scopes as Entra reads them, against the running sandbox tenant:
 * - /authorize takes the scopes of several resources (up-front consent, MSAL's extraScopesToConsent):
 *   "For the /authorize leg of the request, this parameter can cover multiple resources"
 *   (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow, "Request an authorization code");
 * - /token issues a token for one resource: "The scopes must all be from a single resource" (same page,
 *   "Redeem a code for an access token"); two resources → AADSTS700022 InvalidMultipleResourcesScope
 *   (learn.microsoft.com/entra/identity-platform/reference-error-codes);
 * - a scope the resource does not expose → AADSTS650053; a bare scope name means Microsoft Graph
 *   (learn.microsoft.com/entra/identity-platform/permissions-consent-overview).
 */
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { authorizeUrl, labConfig, signIn, spaCode, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const browser = { origin: config.siteOrigin };
const readScope = config.delegatedScopes[0] as string;
const graph = sandboxApps.microsoftGraph;
const graphUserRead = `${graph.appIdUri}/User.Read`;

const codeOf = (callback: URL | undefined) => callback?.searchParams.get('code') ?? undefined;
const aadsts = (body: Record<string, unknown>) => String(body.error_description ?? '').split('\r\n')[0];

describe('/authorize: scopes of several resources are consented up front', () => {
  it('the consent page lists both APIs’ permissions; /token then issues one token per resource', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = authorizeUrl(config, {
      scope: `openid profile offline_access ${readScope} User.Read`,
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
      codeChallengeMethod: 'S256',
      prompt: 'consent',
    });
    const { callback, steps } = await signIn(url);
    const consentPage = steps.find((step) => step.page?.includes('<h1>Permissions requested</h1>'))?.page ?? '';
    expect(consentPage).toContain('Read your tasks');
    expect(consentPage).toContain('Sign you in and read your profile');
    const code = codeOf(callback);
    expect(code).toEqual(expect.any(String));

    const first = await tokenRequest(
      config,
      {
        grant_type: 'authorization_code',
        client_id: config.ids.spaClientId,
        code: code as string,
        code_verifier: verifier,
        redirect_uri: config.redirectUris[0] as string,
        scope: `openid offline_access ${readScope}`,
      },
      browser,
    );
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.access_token as string)).toMatchObject({ aud: config.ids.apiClientId, scp: 'Tasks.Read' });

    // MSAL's acquireTokenSilent for the second resource: the refresh token, scoped to Graph.
    const second = await tokenRequest(
      config,
      {
        grant_type: 'refresh_token',
        client_id: config.ids.spaClientId,
        refresh_token: first.body.refresh_token as string,
        scope: `openid offline_access ${graphUserRead}`,
      },
      browser,
    );
    expect(second.status).toBe(200);
    expect(decodeJwt(second.body.access_token as string)).toMatchObject({ aud: graph.clientId, scp: 'User.Read' });
  });
});

describe('/token: one resource per request', () => {
  it('a code redeemed with scopes of two resources → invalid_scope AADSTS700022', async () => {
    const { code, verifier, redirectUri } = await spaCode(config, { scope: `openid offline_access ${readScope} User.Read` });
    const answer = await tokenRequest(
      config,
      {
        grant_type: 'authorization_code',
        client_id: config.ids.spaClientId,
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        scope: `openid ${readScope} ${graphUserRead}`,
      },
      browser,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_scope');
    expect(answer.body.error_codes).toEqual([700022]);
  });

  it('a refresh token redeemed with scopes of two resources → AADSTS700022', async () => {
    const { code, verifier, redirectUri } = await spaCode(config);
    const tokens = await tokenRequest(
      config,
      { grant_type: 'authorization_code', client_id: config.ids.spaClientId, code, code_verifier: verifier, redirect_uri: redirectUri },
      browser,
    );
    const answer = await tokenRequest(
      config,
      {
        grant_type: 'refresh_token',
        client_id: config.ids.spaClientId,
        refresh_token: tokens.body.refresh_token as string,
        scope: `${readScope} User.Read`,
      },
      browser,
    );
    expect(answer.body.error_codes).toEqual([700022]);
  });
});

describe('a scope the resource does not expose → AADSTS650053', () => {
  it('an API scope that does not exist: Entra’s wording, naming the app, the scope and the resource’s app ID', async () => {
    const { callback } = await signIn(authorizeUrl(config, { scope: `openid ${config.ids.apiAppIdUri}/Tasks.Delete` }));
    expect(callback?.searchParams.get('error')).toBe('invalid_client');
    expect(callback?.searchParams.get('error_description')?.split('\r\n')[0]).toBe(
      `AADSTS650053: The application '${sandboxApps.spa.displayName}' asked for scope 'Tasks.Delete' that doesn't exist on the resource '${config.ids.apiClientId}'. Contact the app vendor.`,
    );
    expect(codeOf(callback)).toBeUndefined();
  });

  it('a bare scope name means Microsoft Graph: bare Tasks.Read is looked up on Graph, not on the Tasks API', async () => {
    const { callback } = await signIn(authorizeUrl(config, { scope: 'openid Tasks.Read' }));
    expect(callback?.searchParams.get('error_description')).toMatch(
      new RegExp(`^AADSTS650053: .* asked for scope 'Tasks\\.Read' that doesn't exist on the resource '${graph.clientId}'`),
    );
  });

  it('API scopes joined with a comma instead of a space are one scope the API does not expose', async () => {
    const joined = `${readScope},${config.ids.apiAppIdUri}/Tasks.ReadWrite`;
    const { callback } = await signIn(authorizeUrl(config, { scope: `openid ${joined}` }));
    expect(callback?.searchParams.get('error_description')?.split('\r\n')[0]).toBe(
      `AADSTS650053: The application '${sandboxApps.spa.displayName}' asked for scope '${joined.slice(config.ids.apiAppIdUri.length + 1)}' that doesn't exist on the resource '${config.ids.apiClientId}'. Contact the app vendor.`,
    );
  });

  it('a scope with a character OAuth does not allow (RFC 6749 §3.3) → invalid_scope AADSTS70011, naming the scope as sent', async () => {
    const { callback } = await signIn(authorizeUrl(config, { scope: 'openid "Tasks.Read"' }));
    expect(callback?.searchParams.get('error')).toBe('invalid_scope');
    expect(callback?.searchParams.get('error_description')).toMatch(/^AADSTS70011: .*The scope openid "Tasks\.Read" is not valid\./);
  });

  it('a bare Graph permission the sandbox knows (User.Read) is granted, for Graph', async () => {
    const { code, verifier, redirectUri } = await spaCode(config, { scope: 'openid profile offline_access User.Read' });
    const answer = await tokenRequest(
      config,
      { grant_type: 'authorization_code', client_id: config.ids.spaClientId, code, code_verifier: verifier, redirect_uri: redirectUri },
      browser,
    );
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token as string)).toMatchObject({ aud: graph.clientId, scp: 'User.Read' });
    expect(aadsts(answer.body)).toBe('');
  });
});
