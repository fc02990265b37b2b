/**
 * Entra's checks of a federated client assertion (RFC 7523 §2.2 with a token from another issuer),
 * on real RS256 keys from jose: which credential trusts it, and the code for each way it does not.
 */
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkFederatedAssertion,
  type FederatedCredential,
  type IssuerMetadata,
  isFederatedAssertion,
} from '../../../servers/tenant/federatedAssertion.ts';

const ISSUER = 'https://issuer.example/github';
const credential: FederatedCredential = {
  name: 'prod',
  issuer: ISSUER,
  subject: 'repo:contoso/tasks-sync:environment:production',
  audiences: ['api://AzureADTokenExchange'],
};
let privateKey: CryptoKey;
let metadata: IssuerMetadata;
const resolveIssuer = async (issuer: string) => (issuer === ISSUER ? metadata : undefined);

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  metadata = { jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] } };
});

async function token(claims: JWTPayload = {}, options: { kid?: string; key?: CryptoKey } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: ISSUER,
    sub: credential.subject,
    aud: 'api://AzureADTokenExchange',
    iat: now,
    nbf: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'k1' })
    .sign(options.key ?? privateKey);
}

const check = async (assertion: string) => checkFederatedAssertion({ assertion, credentials: [credential], resolveIssuer });
const codeOf = async (assertion: string) => {
  const result = await check(assertion);
  return result.ok ? 'ok' : result.error.code;
};

describe('RFC 7523 §3: an own assertion or a federated one', () => {
  it('an app’s own assertion has iss = client ID; any other issuer is federated', async () => {
    expect(isFederatedAssertion(await token({ iss: 'client-1', sub: 'client-1' }), 'client-1')).toBe(false);
    expect(isFederatedAssertion(await token({ iss: 'client-1', sub: 'someone-else' }), 'client-1')).toBe(false);
    expect(isFederatedAssertion(await token(), 'client-1')).toBe(true);
    expect(isFederatedAssertion('not-a-jwt', 'client-1')).toBe(false);
  });
});

describe('federated identity credential matching (Entra: exact, case-sensitive)', () => {
  it('trusts a token whose iss, sub and aud match, and says which credential', async () => {
    const result = await check(await token());
    expect(result).toEqual({ ok: true, credential });
  });

  it.each([
    ['an issuer with a trailing slash', { iss: `${ISSUER}/` }, 'AADSTS700211'],
    ['an issuer with a trailing space', { iss: `${ISSUER} ` }, 'AADSTS700211'],
    ['another audience', { aud: 'https://github.com/contoso' }, 'AADSTS700212'],
    ['another subject', { sub: 'repo:contoso/tasks-sync:ref:refs/heads/main' }, 'AADSTS700213'],
    ['the subject in other case', { sub: 'repo:Contoso/tasks-sync:environment:production' }, 'AADSTS7002138'],
    ['an expired token', { iat: 1_000, nbf: 1_000, exp: 1_300 }, 'AADSTS700024'],
    ['a token not valid for another hour', { nbf: Math.floor(Date.now() / 1000) + 3600 }, 'AADSTS700024'],
  ])('%s → %s', async (_name, claims, code) => {
    expect(await codeOf(await token(claims))).toBe(code);
  });

  it('accepts one of several audiences in the token when one is the credential’s', async () => {
    expect(await codeOf(await token({ aud: ['https://github.com/contoso', 'api://AzureADTokenExchange'] }))).toBe('ok');
  });

  it('a key the issuer does not publish → AADSTS7000272, naming the kid and the issuer', async () => {
    const other = await generateKeyPair('RS256');
    const result = await check(await token({}, { kid: 'unknown', key: other.privateKey }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'AADSTS7000272', params: { kid: 'unknown', iss: ISSUER } });
  });

  it('a published kid with a signature that does not verify → AADSTS700027', async () => {
    const other = await generateKeyPair('RS256');
    expect(await codeOf(await token({}, { key: other.privateKey }))).toBe('AADSTS700027');
  });

  it('checks the signature before trusting any claim: a forged token for the right subject is refused', async () => {
    const other = await generateKeyPair('RS256');
    expect(await codeOf(await token({}, { key: other.privateKey }))).not.toBe('ok');
  });

  it('an app with no federated credential answers AADSTS700211 for any issuer', async () => {
    const result = await checkFederatedAssertion({ assertion: await token(), credentials: [], resolveIssuer });
    expect(result.ok ? 'ok' : result.error.code).toBe('AADSTS700211');
  });

  it('garbage is AADSTS50027, never a crash', async () => {
    expect(await codeOf('a.b.c')).toBe('AADSTS50027');
  });
});
