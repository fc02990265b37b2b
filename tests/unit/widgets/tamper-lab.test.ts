import { compactVerify, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAMPER_PRESETS } from '../../../src/widgets/tamper-lab/presets.ts';
import {
  type AttackerKey,
  assembleToken,
  generateAttackerKey,
  hmacSecretFromJwk,
  listChanges,
  parseJsonObject,
  splitToken,
  type TokenParts,
} from '../../../src/widgets/tamper-lab/tamper.ts';

// A stand-in for a tenant-issued token: real RS256 keys, claims shaped like an Entra v2 access token.
let tenantPublicKey: CryptoKey;
let token: string;
let original: TokenParts;
let attacker: AttackerKey;
const NOW = 1_800_000_000;

beforeAll(async () => {
  const tenant = await generateKeyPair('RS256');
  tenantPublicKey = tenant.publicKey as CryptoKey;
  token = await new SignJWT({ scp: 'Tasks.Read', oid: 'user-oid', tid: 'tenant-id', ver: '2.0', azp: 'spa' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'tenant-key-1' })
    .setIssuer('https://localhost/tenant-id/v2.0')
    .setAudience('api-client-id')
    .setIssuedAt(NOW)
    .setNotBefore(NOW)
    .setExpirationTime(NOW + 3600)
    .sign(tenant.privateKey);
  original = splitToken(token);
  attacker = await generateAttackerKey();
});

const verifiesWith = (jwt: string, key: CryptoKey) =>
  compactVerify(jwt, key, { algorithms: ['RS256'] }).then(
    () => true,
    () => false,
  );

describe('tamper lab: reassembling a token (RFC 7515 §5.1 compact serialization)', () => {
  it('gives back the issued token byte for byte when nothing was changed, so its signature still verifies', async () => {
    const same = await assembleToken(original, { header: { ...original.header }, payload: { ...original.payload }, signature: 'keep' });
    expect(same).toBe(token);
    expect(await verifiesWith(same, tenantPublicKey)).toBe(true);
  });

  it('RFC 7515 §5.2: a changed claim with the original signature no longer verifies with the tenant key', async () => {
    const forged = await assembleToken(original, {
      header: original.header,
      payload: { ...original.payload, scp: 'Tasks.ReadWrite' },
      signature: 'keep',
    });
    expect(forged.split('.')[2]).toBe(original.segments.signature);
    expect(await verifiesWith(forged, tenantPublicKey)).toBe(false);
  });

  it('RFC 7519 §6: "unsigned" leaves the third segment empty', async () => {
    const unsigned = await assembleToken(original, {
      header: { ...original.header, alg: 'none' },
      payload: original.payload,
      signature: 'unsigned',
    });
    expect(unsigned.endsWith('.')).toBe(true);
    expect(splitToken(unsigned).header.alg).toBe('none');
  });

  it('re-signing with the attacker key yields a token only the attacker key verifies', async () => {
    const forged = await assembleToken(
      original,
      { header: original.header, payload: { ...original.payload, oid: 'victim' }, signature: 'attacker' },
      attacker,
    );
    expect(await verifiesWith(forged, attacker.publicKey as CryptoKey)).toBe(true);
    expect(await verifiesWith(forged, tenantPublicKey)).toBe(false);
    expect(splitToken(forged).header.kid).toBe('tenant-key-1');
  });

  it('refuses to re-sign a non-RS256 alg with the RSA attacker key, naming the problem', async () => {
    await expect(
      assembleToken(original, { header: { ...original.header, alg: 'HS256' }, payload: original.payload, signature: 'attacker' }, attacker),
    ).rejects.toThrow(/RS256 only, not HS256/);
  });

  it('RFC 8725 §2.1 algorithm confusion: HS256 over the public JWK verifies with that public text as an HMAC secret', async () => {
    const jwk = { kty: 'RSA', kid: 'tenant-key-1', n: 'modulus', e: 'AQAB' };
    const secret = hmacSecretFromJwk(jwk);
    const forged = await assembleToken(
      original,
      { header: { ...original.header, alg: 'HS256' }, payload: original.payload, signature: 'hmac-public-key' },
      undefined,
      secret,
    );
    expect(splitToken(forged).header.alg).toBe('HS256');
    await expect(compactVerify(forged, secret, { algorithms: ['HS256'] })).resolves.toBeDefined();
    expect(await verifiesWith(forged, tenantPublicKey)).toBe(false);
  });

  it('lists exactly the header parameters and claims that changed, were added or removed', () => {
    const { kid: _kid, ...headerWithoutKid } = original.header;
    const changes = listChanges(original, { header: headerWithoutKid, payload: { ...original.payload, aud: 'other', roles: ['x'] } });
    expect(changes.map((c) => `${c.part}.${c.name}`).sort()).toEqual(['header.kid', 'payload.aud', 'payload.roles']);
  });

  it('names the part and the problem when the edited JSON does not parse', () => {
    expect(() => parseJsonObject('{"aud": ', 'payload')).toThrow(/payload is not valid JSON/);
    expect(() => parseJsonObject('[1]', 'header')).toThrow(/header must be a JSON object/);
  });
});

describe('tamper lab presets: each classic attack changes what it says', () => {
  const byId = Object.fromEntries(TAMPER_PRESETS.map((p) => [p.id, p]));
  const applied = (id: string) => (byId[id] as (typeof TAMPER_PRESETS)[number]).apply(original, NOW);

  it('has one untampered preset expected to be accepted, and every other one expected to be refused with an IDX/IDW code', () => {
    expect(TAMPER_PRESETS.filter((p) => p.expected.first === 'accepted').map((p) => p.id)).toEqual(['untampered']);
    for (const preset of TAMPER_PRESETS.filter((p) => p.id !== 'untampered')) {
      expect(preset.expected.first, preset.id).toMatch(/^ID[XW]\d{5}$/);
      expect(listChanges(original, preset.apply(original, NOW)).length, preset.id).toBeGreaterThan(0);
    }
  });

  it('builds the attacks on the claims the reference names (scp, roles, aud, iss, exp) and the header (alg, kid)', () => {
    expect(applied('scope-escalation').payload.scp).toBe('Tasks.Read Tasks.ReadWrite.All');
    expect(applied('role-escalation').payload.roles).toEqual(['Tasks.Read.All']);
    expect(applied('other-audience').payload.aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(applied('v1-issuer').payload.iss).toBe('https://sts.windows.net/tenant-id/');
    expect(applied('expired').payload.exp).toBe(NOW - 3600);
    expect(applied('alg-none')).toMatchObject({ header: { alg: 'none' }, signature: 'unsigned' });
    expect(applied('attacker-kid')).toMatchObject({ header: { kid: 'attacker-key-1' }, signature: 'attacker' });
    expect(applied('no-kid').header).not.toHaveProperty('kid');
  });

  it('never mutates the original token parts', () => {
    const before = JSON.stringify(original);
    for (const preset of TAMPER_PRESETS) preset.apply(original, NOW);
    expect(JSON.stringify(original)).toBe(before);
  });
});
