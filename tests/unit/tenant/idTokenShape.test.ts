/**
 * The ID token the tenant re-signs in Entra's shape (servers/tenant/tokenShapes.ts `shapeIdToken`):
 * signed with the key oidc-provider chose (its `kid`), each key's private part imported once and
 * reused, so a rotation must never let one key's cached import sign for another kid.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../../servers/tenant/directory.ts';
import { type SigningKeyRecord, SigningKeys } from '../../../servers/tenant/keys.ts';
import { tenantStatePaths } from '../../../servers/tenant/state.ts';
import { shapeIdToken } from '../../../servers/tenant/tokenShapes.ts';

const directory = { tenantId: '2969b0e3-a652-459a-bdcf-61ff9605219c' } as Directory;
let dir: string;
let records: SigningKeyRecord[];

/** An ID token as oidc-provider signs it: no `typ`, an `at_hash`, the chosen key's `kid`. */
function providerIdToken(record: SigningKeyRecord, sub: string): Promise<string> {
  return new SignJWT({ sub, aud: 'client', iss: 'https://issuer', at_hash: 'x', nonce: 'n' })
    .setProtectedHeader({ alg: 'RS256', kid: record.kid })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(createPrivateKey({ key: record.privateJwk, format: 'jwk' }));
}

async function verifiesWith(token: string, record: SigningKeyRecord): Promise<boolean> {
  const { kty, n, e } = record.privateJwk;
  const key = await importJWK({ kty, n, e }, 'RS256');
  return compactVerify(token, key).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'id-token-shape-'));
  const keys = await SigningKeys.load(tenantStatePaths(dir).signingKeys);
  await keys.rotate(3600); // two published keys: the new active one and the replaced one in its grace period
  records = keys.published();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shapeIdToken', () => {
  it('re-signs with the key oidc-provider chose, in Entra’s header and claims, every time', async () => {
    expect(records).toHaveLength(2);
    for (const round of [1, 2]) {
      for (const [i, record] of records.entries()) {
        const shaped = await shapeIdToken(await providerIdToken(record, `user-${round}`), directory, records);
        expect(decodeProtectedHeader(shaped)).toEqual({ typ: 'JWT', alg: 'RS256', kid: record.kid });
        expect(await verifiesWith(shaped, record)).toBe(true);
        expect(await verifiesWith(shaped, records[1 - i] as SigningKeyRecord)).toBe(false);
        const claims = decodeJwt(shaped);
        expect(claims).toMatchObject({ sub: `user-${round}`, tid: directory.tenantId, ver: '2.0', nonce: 'n' });
        expect(claims.nbf).toBe(claims.iat);
        expect(claims).not.toHaveProperty('at_hash');
      }
    }
  });

  it('refuses a token whose key is no longer published', async () => {
    const token = await providerIdToken(records[1] as SigningKeyRecord, 'user');
    await expect(shapeIdToken(token, directory, [records[0] as SigningKeyRecord])).rejects.toThrow(/no longer published/);
  });
});
