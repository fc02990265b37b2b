/**
 * On-behalf-of (RFC 7523 §2.1 jwt-bearer + Entra's requested_token_use=on_behalf_of) against the real
 * sandbox tenant: alice signs in to the SPA through the real pages with the Tasks API's /.default
 * (combined consent), the Tasks API trades her token for a Profile API token, and each of Entra's
 * on-behalf-of errors is reproduced. Nothing of the tenant is mocked.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 */

import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendServers, startServers } from '../../scripts/lib/lab-servers.ts';
import { SESSION_PARAM } from '../../servers/events/index.ts';
import type { RunningServer } from '../../servers/listen.ts';
import { DEFAULT_TENANT_STATE_DIR } from '../../servers/tenant/state.ts';
import { pairwiseSubject } from '../../servers/tenant/tokenShapes.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { type ApiCall, appOnlyToken, callApi, delegatedToken, delegatedTokens, resign, tenantSigningKey } from '../support/api-lab.ts';
import { collectEvents } from '../support/event-stream.ts';
import { freePort, labConfig, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const jwks = createRemoteJWKSet(new URL(config.tenant.jwks));
const tasksApi = sandboxApps.api;
const profileApi = sandboxApps.profileApi;
const PROFILE_READ = `${profileApi.appIdUri}/Profile.Read`;
/** What the SPA asks for so that the consent page covers the Tasks API's downstream permissions too. */
const COMBINED = [`${config.ids.apiAppIdUri}/.default`];

/** The Tasks API's on-behalf-of request; an override of `undefined` leaves that parameter out. */
function obo(assertion: string, overrides: Record<string, string | undefined> = {}, lab: LabConfig = config) {
  const params: Record<string, string | undefined> = {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    client_id: tasksApi.clientId,
    client_secret: tasksApi.sandboxSecret,
    assertion,
    scope: PROFILE_READ,
    ...overrides,
  };
  return tokenRequest(lab, Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)));
}

const aadsts = (body: Record<string, unknown>) => ({ error: body.error, code: String(body.error_description ?? '').split(':')[0] });

let aliceToken: string;
let aliceIdToken: string;

/**
 * "Without consent" needs a user who never gave it; in the shared lab other test files sign bob in
 * with combined consent (the web app does), so those cases run on a private lab on free ports whose
 * tenant remembers no consent yet.
 */
let fresh: LabConfig;
let freshLab: RunningServer[] = [];
beforeAll(async () => {
  fresh = labConfig({
    LAB_TENANT_PORT: String(await freePort()),
    LAB_API_PORT: String(await freePort()),
    LAB_PROFILE_API_PORT: String(await freePort()),
    LAB_WEBAPP_PORT: String(await freePort()),
    LAB_SITE_PORT: String(await freePort()),
  });
  freshLab = await startServers(backendServers, fresh);
});
afterAll(async () => {
  await Promise.all(freshLab.map((server) => server.close()));
});

beforeAll(async () => {
  ({ accessToken: aliceToken, idToken: aliceIdToken } = await delegatedTokens(config, 'alice', COMBINED));
});

describe('the on-behalf-of grant succeeds for a user token with combined consent', () => {
  it('issues a Profile API token: aud the Profile API, azp the Tasks API, the same user, scp Profile.Read', async () => {
    const incoming = decodeJwt(aliceToken);
    expect(incoming).toMatchObject({ aud: tasksApi.clientId, azp: config.ids.spaClientId });
    const { status, body } = await obo(aliceToken);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: PROFILE_READ });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), jwks, {
      issuer: config.tenant.issuer,
      audience: profileApi.clientId,
    });
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload).toMatchObject({
      aud: profileApi.clientId,
      azp: tasksApi.clientId,
      azpacr: '1',
      scp: 'Profile.Read',
      idtyp: 'user',
      oid: sandboxUsers.alice.oid,
      tid: config.ids.tenantId,
      ver: '2.0',
      // Pairwise per app, as Entra computes sub: the Profile API sees another sub than the Tasks API.
      sub: pairwiseSubject(config.ids.tenantId, profileApi.clientId, sandboxUsers.alice.oid),
    });
    expect(payload.sub).not.toBe(incoming.sub);
    expect(payload).not.toHaveProperty('roles');
  });

  it('/.default names the permissions the Tasks API registered for the Profile API', async () => {
    const { status, body } = await obo(aliceToken, { scope: `${profileApi.appIdUri}/.default` });
    expect(status).toBe(200);
    expect(decodeJwt(String(body.access_token)).scp).toBe('Profile.Read');
  });

  it('returns a refresh token only when offline_access was asked for, and the Tasks API can redeem it', async () => {
    const { status, body } = await obo(aliceToken, { scope: `${PROFILE_READ} offline_access` });
    expect(status).toBe(200);
    expect(typeof body.refresh_token).toBe('string');
    const refreshed = await tokenRequest(config, {
      grant_type: 'refresh_token',
      client_id: tasksApi.clientId,
      client_secret: tasksApi.sandboxSecret,
      refresh_token: String(body.refresh_token),
      scope: PROFILE_READ,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(String(refreshed.body.access_token))).toMatchObject({ aud: profileApi.clientId, oid: sandboxUsers.alice.oid });
  });
});

describe('each on-behalf-of error as Entra answers it', () => {
  it('a wrong client secret: AADSTS7000215', async () => {
    const { status, body } = await obo(aliceToken, { client_secret: 'Wr0ng~not-the-tasks-api-secret' });
    expect(status).toBe(401);
    expect(aadsts(body)).toEqual({ error: 'invalid_client', code: 'AADSTS7000215' });
  });

  it('no credential at all: AADSTS7000218 (on-behalf-of is for confidential clients)', async () => {
    const { body } = await obo(aliceToken, { client_secret: undefined });
    expect(aadsts(body).code).toBe('AADSTS7000218');
  });

  it('an assertion that is not a JWT: AADSTS50027', async () => {
    const { status, body } = await obo('not-a-jwt');
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS50027' });
  });

  it('an assertion with a broken signature: AADSTS50013', async () => {
    const [head, payload, signature] = aliceToken.split('.') as [string, string, string];
    const flipped = `${head}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const { status, body } = await obo(flipped);
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS50013' });
  });

  it('an expired assertion: AADSTS500133, with both times in the message', async () => {
    const signer = await tenantSigningKey(DEFAULT_TENANT_STATE_DIR);
    const expired = await resign(aliceToken, signer, (claims) => {
      claims.exp = 1_000_000_000;
    });
    const { status, body } = await obo(expired);
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS500133' });
    expect(String(body.error_description)).toContain('expiry time of assertion 2001-09-09T01:46:40.000Z');
  });

  it('an assertion for another audience (a Profile API token sent back in): AADSTS500131', async () => {
    const { body: issued } = await obo(aliceToken);
    const { status, body } = await obo(String(issued.access_token));
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS500131' });
    expect(String(body.error_description)).toContain(`The audience in the assertion was '${profileApi.clientId}'`);
  });

  it('an app-only assertion (the daemon’s token for the Tasks API): AADSTS7000114', async () => {
    const { status, body } = await obo(await appOnlyToken(config));
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'unauthorized_client', code: 'AADSTS7000114' });
  });

  it('the SPA’s ID token instead of an access token: AADSTS240002', async () => {
    const { body } = await obo(aliceIdToken);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS240002' });
  });

  it('no consent for the Tasks API to call the Profile API (bob signed in without combined consent): AADSTS65001', async () => {
    const bobToken = await delegatedToken(fresh, 'bob', fresh.delegatedScopes);
    const { status, body } = await obo(bobToken, {}, fresh);
    expect(status).toBe(400);
    expect(aadsts(body)).toEqual({ error: 'invalid_grant', code: 'AADSTS65001' });
    expect(String(body.error_description)).toContain(`application with ID '${tasksApi.clientId}' named '${tasksApi.displayName}'`);
  });

  it('missing requested_token_use or assertion: AADSTS900144 naming the parameter', async () => {
    const noUse = await obo(aliceToken, { requested_token_use: '' });
    expect(aadsts(noUse.body).code).toBe('AADSTS900144');
    expect(String(noUse.body.error_description)).toContain("'requested_token_use'");
    const noAssertion = await obo('');
    expect(String(noAssertion.body.error_description)).toContain("'assertion'");
  });

  it('two downstream resources in one request: AADSTS700022', async () => {
    const { body } = await obo(aliceToken, { scope: `${PROFILE_READ} User.Read` });
    expect(aadsts(body).code).toBe('AADSTS700022');
  });
});

describe('GET /api/me/profile end to end: the Tasks API calls the Profile API as the user', () => {
  it('trades alice’s token, calls the Profile API, and returns her profile with each leg masked', async () => {
    // The tab's secret key reads the stream; the legs carry the id derived from it.
    const sessionKey = `${randomUUID()}${randomUUID()}`.replace(/-/g, '');
    const session = sessionIdOfKey(sessionKey);
    let first: ApiCall = { status: 0, headers: new Headers(), body: {} };
    // The tracer hears every leg: the Tasks API, the tenant's on-behalf-of grant, the Profile API.
    const seen = await collectEvents(
      config,
      sessionKey,
      async () => {
        first = await callApi(config.apiOrigin, `/api/me/profile?${SESSION_PARAM}=${session}`, { authorization: `Bearer ${aliceToken}` });
      },
      (events) => events.filter((e) => e.name === 'api.response').length >= 2,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      caller: { oid: sandboxUsers.alice.oid, azp: config.ids.spaClientId },
      profile: { oid: sandboxUsers.alice.oid, displayName: sandboxUsers.alice.name },
      fromCache: false,
    });
    const legs = first.body.legs as { id: string; form?: Record<string, unknown>; body?: Record<string, unknown> }[];
    expect(legs.map((leg) => leg.id)).toEqual(['obo-request', 'obo-response', 'downstream-call', 'downstream-response']);
    const form = legs[0]?.form as Record<string, unknown>;
    expect(form).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of' });
    // The secret never leaves the API; the tokens are shortened, their claims decoded for the page.
    expect(JSON.stringify(first.body)).not.toContain(tasksApi.sandboxSecret);
    expect(JSON.stringify(first.body)).not.toContain(aliceToken);
    expect(legs[3]?.body).toMatchObject({ calledBy: { azp: tasksApi.clientId, scp: ['Profile.Read'] } });
    const names = seen.map((event) => `${event.source}:${event.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['api:api.request', 'tenant:token.request', 'tenant:token.issued', 'api:api.validated', 'api:api.response']),
    );
    expect(seen.filter((event) => event.name === 'api.request')).toHaveLength(2);
    expect(seen.filter((event) => event.source === 'api').every((event) => event.flow === 'on-behalf-of')).toBe(true);
  });

  it('serves the second call from MSAL Node’s cache: keyed by the incoming token, so per user', async () => {
    const again = await callApi(config.apiOrigin, '/api/me/profile', { authorization: `Bearer ${aliceToken}` });
    expect(again.status).toBe(200);
    expect(again.body.fromCache).toBe(true);
    expect((again.body.legs as { id: string }[]).map((leg) => leg.id)).toEqual(['obo-cache', 'downstream-call', 'downstream-response']);
  });

  it('without combined consent answers 403 insufficient_scope naming the .default to sign in with (AADSTS65001)', async () => {
    const bobToken = await delegatedToken(fresh, 'bob', fresh.delegatedScopes);
    const { status, headers, body } = await callApi(fresh.apiOrigin, '/api/me/profile', { authorization: `Bearer ${bobToken}` });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'consent_required', code: 'AADSTS65001', scope: [`${config.ids.apiAppIdUri}/.default`] });
    expect(headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('refuses an app-only caller before any exchange: nobody to act for', async () => {
    const { status, body } = await callApi(config.apiOrigin, '/api/me/profile', { authorization: `Bearer ${await appOnlyToken(config)}` });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'insufficient_scope', code: 'IDW10203' });
  });

  it('the Profile API refuses the incoming token forwarded as is: its aud is the Tasks API (IDX10214)', async () => {
    const { status, body } = await callApi(config.profileApiOrigin, '/api/profile', { authorization: `Bearer ${aliceToken}` });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_token', code: 'IDX10214' });
  });
});
