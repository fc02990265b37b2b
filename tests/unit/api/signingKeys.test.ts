/**
 * The signing-key cache: discovery → jwks_uri → keys, re-fetch on an unknown kid at most once per
 * cooldown, keep serving cached keys while the tenant is down, 503-class error only with no keys.
 * A fake clock makes "after the cooldown" exact instead of a sleep.
 */
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeySource, SigningKeysUnavailableError } from '../../../servers/api/signingKeys.ts';
import { authorityEndpoints } from '../../../src/config/lab.ts';
import { config, fakeTenant, keySource, makeKey, type TestKey } from '../../support/fake-tenant.ts';

let k1: TestKey;
let k2: TestKey;

beforeAll(async () => {
  [k1, k2] = await Promise.all([makeKey('key-1'), makeKey('key-2')]);
});

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('discovery', () => {
  it('OpenID Connect Discovery 1.0 §4: reads jwks_uri from the tenant’s discovery document', async () => {
    const tenant = fakeTenant([k1]);
    const source = keySource(tenant);
    expect((await source.findKey('key-1')).found).toBe(true);
    expect(tenant.state).toMatchObject({ discoveryRequests: 1, jwksRequests: 1 });
  });

  it('OpenID Connect Discovery 1.0 §4.3: a document naming another issuer is not trusted', async () => {
    const fetchImpl = (async () =>
      Response.json({ issuer: 'https://evil.example/v2.0', jwks_uri: config.tenant.jwks })) as unknown as typeof fetch;
    const source = createSigningKeySource({
      discoveryUrl: config.tenant.discovery,
      expectedIssuer: config.tenant.issuer,
      cooldownMs: 0,
      maxAgeMs: 1000,
      fetch: fetchImpl,
    });
    const error = await source.findKey('key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningKeysUnavailableError);
    expect(String((error as Error).message)).toContain('not the configured');
  });

  it('fetches the jwks_uri exactly as the https authority’s discovery document names it (no rewriting)', async () => {
    const requested: string[] = [];
    const https = authorityEndpoints(config);
    const fetchImpl = (async (url: string) => {
      requested.push(url);
      if (url === https.discovery) return Response.json({ issuer: config.tenant.issuer, jwks_uri: https.jwks });
      return Response.json({ keys: [k1.jwk] });
    }) as unknown as typeof fetch;
    const source = createSigningKeySource({
      discoveryUrl: https.discovery,
      expectedIssuer: config.tenant.issuer,
      cooldownMs: 0,
      maxAgeMs: 1000,
      fetch: fetchImpl,
    });
    expect((await source.findKey('key-1')).found).toBe(true);
    expect(requested).toEqual([https.discovery, https.jwks]);
  });
});

describe('RFC 7517: only RS256 signing keys are candidates', () => {
  it('skips encryption keys, other algorithms, other key types and RSA keys under 2048 bits', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const small = await generateKeyPair('RS256', { extractable: true, modulusLength: 1024 }).catch(() => undefined);
    const tenant = fakeTenant([]);
    tenant.state.keys = [
      { ...k1, jwk: { ...k1.jwk, kid: 'enc', use: 'enc' } },
      { ...k1, jwk: { ...k1.jwk, kid: 'ps', alg: 'PS256' } },
      { ...k1, jwk: { ...(await exportJWK(ec.publicKey)), kid: 'ec' } },
      ...(small ? [{ ...k1, jwk: { ...(await exportJWK(small.publicKey)), kid: 'small' } }] : []),
      k2,
    ];
    const source = keySource(tenant);
    expect((await source.findKey('key-2')).found).toBe(true);
    expect(source.stats().kids).toEqual(['key-2']);
  });
});

describe('unknown kid: re-fetch at most once per cooldown', () => {
  it('a flood of 1,000 made-up kids inside the cooldown costs no JWKS request', async () => {
    const tenant = fakeTenant([k1]);
    const t = clock();
    const source = keySource(tenant, { cooldownMs: 30_000, now: t.now });
    await source.findKey('key-1');
    for (let i = 0; i < 1000; i++) {
      const lookup = await source.findKey(`forged-${i}`);
      expect(lookup.found).toBe(false);
    }
    expect(tenant.state.jwksRequests).toBe(1);
  });

  it('after the cooldown an unknown kid triggers one re-fetch, shared by concurrent requests', async () => {
    const tenant = fakeTenant([k1]);
    const t = clock();
    const source = keySource(tenant, { cooldownMs: 30_000, now: t.now });
    await source.findKey('key-1');
    t.advance(30_000);
    const lookups = await Promise.all(Array.from({ length: 50 }, (_, i) => source.findKey(`forged-${i}`)));
    expect(lookups.every((l) => !l.found && l.refreshed)).toBe(true);
    expect(tenant.state.jwksRequests).toBe(2);
  });

  it('key rotation: a new kid is found by re-fetching; a retired kid is gone after that re-fetch', async () => {
    const tenant = fakeTenant([k1]);
    const t = clock();
    const source = keySource(tenant, { cooldownMs: 30_000, now: t.now });
    expect((await source.findKey('key-1')).found).toBe(true);
    tenant.state.keys = [k2]; // the tenant rotated: key-2 signs, key-1 is retired
    t.advance(30_000);
    expect(await source.findKey('key-2')).toMatchObject({ found: true, refreshed: true });
    expect(await source.findKey('key-1')).toMatchObject({ found: false, knownKids: ['key-2'] });
  });

  it('concurrent first requests share one fetch (no thundering herd at start-up)', async () => {
    const tenant = fakeTenant([k1]);
    const shared = keySource(tenant);
    await Promise.all(Array.from({ length: 50 }, () => shared.findKey('key-1')));
    expect(tenant.state.jwksRequests).toBe(1);
  });
});

describe('tenant down', () => {
  it('stale keys keep verifying while the tenant is unreachable (stale-if-error)', async () => {
    const tenant = fakeTenant([k1]);
    const t = clock();
    const source = keySource(tenant, { maxAgeMs: 60_000, now: t.now });
    await source.findKey('key-1');
    tenant.state.down = true;
    t.advance(61_000);
    expect((await source.findKey('key-1')).found).toBe(true);
    // The failed refresh starts a back-off: the next requests do not retry the dead tenant.
    for (let i = 0; i < 100; i++) expect((await source.findKey('key-1')).found).toBe(true);
    expect(source.stats()).toMatchObject({ refreshes: 2, failedRefreshes: 1 });
  });

  it('no cached keys and no tenant → SigningKeysUnavailableError with Retry-After, without retrying on every request', async () => {
    const tenant = fakeTenant([k1]);
    tenant.state.down = true;
    const t = clock();
    const source = keySource(tenant, { now: t.now });
    for (let i = 0; i < 20; i++) {
      const error = await source.findKey('key-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningKeysUnavailableError);
      expect((error as SigningKeysUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(source.stats().refreshes).toBe(1);
    tenant.state.down = false;
    t.advance(5_000);
    expect((await source.findKey('key-1')).found).toBe(true);
  });
});
