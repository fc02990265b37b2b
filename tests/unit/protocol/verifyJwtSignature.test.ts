import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../../../src/protocol/decodeJwt.ts';
import { discoveryUrlForIssuer, verifyJwtSignature } from '../../../src/protocol/verifyJwtSignature.ts';

const ISS = 'https://localhost:9/tenant-1/v2.0';
const pinned = [{ authorityOrigin: 'https://localhost:9', transportOrigin: 'http://localhost:9' }];
const { privateKey, publicKey } = await generateKeyPair('RS256');
const attacker = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig' };

/** A fake issuer that records every request, so the test can prove the token was never sent. */
function fakeIssuer() {
  const requests: string[] = [];
  const fakeFetch = (async (input: string | URL, init?: RequestInit): Promise<Response> => {
    requests.push(`${String(input)} ${JSON.stringify(init ?? {})}`);
    const url = String(input);
    if (url === 'http://localhost:9/tenant-1/v2.0/.well-known/openid-configuration') {
      return Response.json({ issuer: ISS, jwks_uri: 'https://localhost:9/tenant-1/discovery/v2.0/keys' });
    }
    if (url === 'http://localhost:9/tenant-1/discovery/v2.0/keys') return Response.json({ keys: [jwk] });
    return new Response('nope', { status: 404 });
  }) as typeof globalThis.fetch;
  return { fetch: fakeFetch, requests };
}

async function sign(key: CryptoKey, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1', typ: 'JWT' }, claims = {}) {
  return new SignJWT({ scp: 'Tasks.Read', ...claims })
    .setProtectedHeader(header as { alg: string })
    .setIssuer(ISS)
    .sign(key);
}

async function check(token: string, fetch: typeof globalThis.fetch) {
  const d = decodeJwt(token);
  return verifyJwtSignature(d.token, d.header, d.payload, { pinned, fetch });
}

describe('OpenID Connect Discovery 1.0 §4: where an issuer publishes its keys', () => {
  it('an https-labelled sandbox authority is fetched over its pinned transport', () => {
    expect(discoveryUrlForIssuer(ISS, pinned)).toBe('http://localhost:9/tenant-1/v2.0/.well-known/openid-configuration');
  });
  it('an Entra v2 issuer is its own discovery base', () => {
    expect(discoveryUrlForIssuer('https://login.microsoftonline.com/abc/v2.0')).toBe(
      'https://login.microsoftonline.com/abc/v2.0/.well-known/openid-configuration',
    );
  });
  it('an Entra v1 issuer (sts.windows.net) publishes on the login host', () => {
    expect(discoveryUrlForIssuer('https://sts.windows.net/abc/')).toBe(
      'https://login.microsoftonline.com/abc/.well-known/openid-configuration',
    );
  });
});

describe('RFC 7515 §5.2: verifying the signature against the published JWKS', () => {
  it('a token signed with the published key is valid, and no request carries the token', async () => {
    const issuer = fakeIssuer();
    const token = await sign(privateKey);
    const result = await check(token, issuer.fetch);
    expect(result).toMatchObject({ status: 'valid', code: 'SIGNATURE_VALID', jwksUri: 'http://localhost:9/tenant-1/discovery/v2.0/keys' });
    const [h, p, s] = token.split('.') as [string, string, string];
    for (const request of issuer.requests) for (const part of [h, p, s]) expect(request).not.toContain(part);
  });
  it('a changed payload keeps the kid but fails the signature (IDX10511)', async () => {
    const token = await sign(privateKey);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: ISS, scp: 'Tasks.ReadWrite' })).toString('base64url')}.${s}`;
    expect((await check(forged, fakeIssuer().fetch)).code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });
  it('a token signed with an unpublished key has no matching kid (IDX10503)', async () => {
    const token = await sign(attacker.privateKey, { alg: 'RS256', kid: 'attacker' });
    expect((await check(token, fakeIssuer().fetch)).code).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });
  it('RFC 7519 §6: alg none is not verifiable and says an API must reject it', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISS })).toString('base64url')}.`;
    const result = await check(none, fakeIssuer().fetch);
    expect(result).toMatchObject({ status: 'not-verifiable', code: 'UNSECURED_JWT' });
  });
  it('a Graph token (header nonce) is not verifiable by third parties, and nothing is fetched', async () => {
    const issuer = fakeIssuer();
    const token = await sign(privateKey, { alg: 'RS256', kid: 'k1', nonce: 'abc' });
    expect(await check(token, issuer.fetch)).toMatchObject({ status: 'not-verifiable', code: 'GRAPH_TOKEN' });
    expect(issuer.requests).toEqual([]);
  });
  it('an issuer that is neither Entra nor the lab is not contacted', async () => {
    const issuer = fakeIssuer();
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('https://evil.example/t').sign(privateKey);
    expect(await check(token, issuer.fetch)).toMatchObject({ status: 'not-verifiable', code: 'UNTRUSTED_ISSUER' });
    expect(issuer.requests).toEqual([]);
  });
  it('a tenant that is down is reported as unreachable, not as an invalid token', async () => {
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const token = await sign(privateKey, { alg: 'RS256', kid: 'k1' }, { v: 2 });
    expect(await check(token, down)).toMatchObject({ status: 'unreachable', code: 'DISCOVERY_FAILED' });
  });
});
