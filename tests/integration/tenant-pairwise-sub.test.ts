/**
 * `sub` is pairwise for the app that receives the token: in an access token for the user and the
 * API, in an ID token for the user and the client. Microsoft says only that `sub` is "unique to a
 * particular application ID" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference);
 * the access-token half follows public reports of real tokens, where the access token's `sub` differs
 * from the ID token's in the same response. Either way, data is keyed by (tid, oid).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { labConfig, spaCode, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const readScope = config.delegatedScopes[0] as string;

async function signInTokens(scope: string) {
  const { code, verifier, redirectUri } = await spaCode(config, { scope: `openid profile offline_access ${scope}` });
  const answer = await tokenRequest(
    config,
    { grant_type: 'authorization_code', client_id: config.ids.spaClientId, code, code_verifier: verifier, redirect_uri: redirectUri },
    { origin: config.siteOrigin },
  );
  expect(answer.status).toBe(200);
  return { access: decodeJwt(answer.body.access_token as string), id: decodeJwt(answer.body.id_token as string) };
}

describe('pairwise sub, keyed on the app that receives the token', () => {
  it('the access token’s sub is for the API, the ID token’s for the SPA: they differ, and neither is the oid', async () => {
    const { access, id } = await signInTokens(readScope);
    expect(access.aud).toBe(config.ids.apiClientId);
    expect(id.aud).toBe(config.ids.spaClientId);
    expect(access.sub).not.toBe(id.sub);
    expect(access.oid).toBe(id.oid);
    expect([access.sub, id.sub]).not.toContain(sandboxUsers.alice.oid);
  });

  it('stable: a second sign-in gives the same sub in each token', async () => {
    const first = await signInTokens(readScope);
    const second = await signInTokens(readScope);
    expect(second.access.sub).toBe(first.access.sub);
    expect(second.id.sub).toBe(first.id.sub);
  });

  it('another resource (Microsoft Graph) sees another sub for the same user and client', async () => {
    const api = await signInTokens(readScope);
    const graph = await signInTokens('User.Read');
    expect(graph.access.aud).toBe(sandboxApps.microsoftGraph.clientId);
    expect(graph.access.sub).not.toBe(api.access.sub);
    expect(graph.id.sub).toBe(api.id.sub);
  });
});
