/**
 * Entra's ID token claims from oidc-provider's (servers/tenant/tokenShapes.ts `shapeIdTokenClaims`;
 * the signed token, its header and its signature are checked end to end in
 * tests/integration/tenant-auth-code-pkce.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../servers/tenant/directory.ts';
import { shapeIdTokenClaims } from '../../../servers/tenant/tokenShapes.ts';

const directory = { tenantId: '2969b0e3-a652-459a-bdcf-61ff9605219c' } as Directory;
const provider = {
  sub: 'pairwise-sub',
  nonce: 'n',
  at_hash: 'x',
  c_hash: 'y',
  sid: 's',
  aud: 'client',
  iss: 'https://issuer/v2.0',
  iat: 1_800_000_000,
  exp: 1_800_003_600,
  name: 'Alice',
  oid: 'oid',
  preferred_username: 'alice@contoso.test',
};

describe('shapeIdTokenClaims', () => {
  it('adds nbf = iat, aio, rh, tid, uti and ver 2.0, and drops the hash claims', () => {
    const shaped = shapeIdTokenClaims(provider, directory);
    expect(shaped).toMatchObject({ nbf: provider.iat, tid: directory.tenantId, ver: '2.0', sub: 'pairwise-sub', nonce: 'n' });
    expect(shaped.uti).toMatch(/^[\w-]{22}$/);
    expect(shaped.aio).toMatch(/^[\w-]{64}$/);
    expect(shaped.rh).toMatch(/^[\w-]{48}$/);
    expect(shaped).not.toHaveProperty('at_hash');
    expect(shaped).not.toHaveProperty('c_hash');
  });

  it('lists the claims in the order of a decoded Entra ID token, then any others', () => {
    expect(Object.keys(shapeIdTokenClaims(provider, directory))).toEqual([
      'aud',
      'iss',
      'iat',
      'nbf',
      'exp',
      'aio',
      'name',
      'nonce',
      'oid',
      'preferred_username',
      'rh',
      'sid',
      'sub',
      'tid',
      'uti',
      'ver',
    ]);
  });

  it('gives every token its own uti', () => {
    expect(shapeIdTokenClaims(provider, directory).uti).not.toBe(shapeIdTokenClaims(provider, directory).uti);
  });
});
