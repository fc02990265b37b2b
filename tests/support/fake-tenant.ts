/**
 * Unit-test support for the API's validation pipeline: RS256 keys from jose, a fake tenant that
 * answers discovery and JWKS through an injected `fetch` (no network), and token builders.
 * Integration tests use the real sandbox tenant instead; this is for the pure pipeline only.
 */
import { readFileSync } from 'node:fs';
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { parse } from 'yaml';
import { createSigningKeySource, type SigningKeySource } from '../../servers/api/signingKeys.ts';
import { tokenPolicyFromConfig, type Verifier } from '../../servers/api/verify/policy.ts';
import { REASON_CODES } from '../../servers/api/verify/reports.ts';
import { type LabConfig, loadLabConfig } from '../../src/config/lab.ts';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { createErrorCatalog, ERROR_CATALOG_PATH, type ErrorCatalog } from '../../src/data/errorCatalog.ts';
import { errorEntrySchema } from '../../src/data/schemas.ts';

export const config: LabConfig = loadLabConfig({ LAB_MODE: 'sandbox' });

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA' } };
}

/** A tenant reachable only through the `fetch` it hands out: discovery + JWKS, with a switch to go down. */
export function fakeTenant(published: TestKey[]) {
  const state = { keys: [...published], down: false, jwksRequests: 0, discoveryRequests: 0, extraJwk: {} as Record<string, unknown> };
  const jwksUri = config.tenant.jwks;
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    if (state.down) throw new TypeError('fetch failed (connect ECONNREFUSED)');
    if (url === config.tenant.discovery) {
      state.discoveryRequests++;
      return Response.json({ issuer: config.tenant.issuer, jwks_uri: jwksUri });
    }
    if (url === jwksUri) {
      state.jwksRequests++;
      return Response.json({ keys: state.keys.map((k) => ({ ...k.jwk, ...state.extraJwk })) });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { state, fetch: fetchImpl };
}

export function keySource(
  tenant: ReturnType<typeof fakeTenant>,
  options: { cooldownMs?: number; maxAgeMs?: number; now?: () => number } = {},
): SigningKeySource {
  return createSigningKeySource({
    discoveryUrl: config.tenant.discovery,
    expectedIssuer: config.tenant.issuer,
    cooldownMs: options.cooldownMs ?? 30_000,
    maxAgeMs: options.maxAgeMs ?? 600_000,
    fetch: tenant.fetch,
    now: options.now,
  });
}

/**
 * The error catalog for unit tests: the real entries, plus a placeholder for any code another
 * change has not written yet (the content test checks the real file has them all).
 */
export function testCatalog(): ErrorCatalog {
  const real = (parse(readFileSync(ERROR_CATALOG_PATH, 'utf8')) as unknown[]).map((e) => errorEntrySchema.parse(e));
  const have = new Set(real.map((e) => e.id));
  const filler = REASON_CODES.filter((code) => !have.has(code)).map((id) =>
    errorEntrySchema.parse({
      id,
      title: `${id} placeholder`,
      error: 'invalid_token',
      message: `${id}: placeholder message for unit tests.`,
      leg: 'api' as const,
      cause: 'Placeholder until content/errors.yaml has this entry.',
      fix: `Placeholder fix for ${id}.`,
      reproduce: 'Placeholder until content/errors.yaml has this entry.',
    }),
  );
  return createErrorCatalog([...real, ...filler]);
}

export function verifierWith(keys: SigningKeySource, now?: () => number, overrides: Partial<LabConfig['api']> = {}): Verifier {
  const policy = tokenPolicyFromConfig({ ...config, api: { ...config.api, ...overrides } });
  return { policy, keys, catalog: testCatalog(), now };
}

export const NOW = Math.floor(Date.now() / 1000);

/** A v2 delegated access token's claims for Alice, as the sandbox tenant issues them. */
export function delegatedClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: config.ids.apiClientId,
    iss: config.tenant.issuer,
    iat: NOW - 60,
    nbf: NOW - 60,
    exp: NOW + 3600,
    azp: sandboxApps.spa.clientId,
    azpacr: '0',
    name: sandboxUsers.alice.name,
    oid: sandboxUsers.alice.oid,
    preferred_username: sandboxUsers.alice.preferredUsername,
    scp: 'Tasks.Read',
    sub: 'pairwise-subject-of-alice',
    tid: config.ids.tenantId,
    ver: '2.0',
    ...overrides,
  };
}

/** A v2 app-only token's claims for the daemon (Client Credentials). */
export function appOnlyClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const daemonSp = sandboxApps.daemon.servicePrincipalId;
  return {
    aud: config.ids.apiClientId,
    iss: config.tenant.issuer,
    iat: NOW - 60,
    nbf: NOW - 60,
    exp: NOW + 3600,
    azp: sandboxApps.daemon.clientId,
    azpacr: '1',
    idtyp: 'app',
    oid: daemonSp,
    sub: daemonSp,
    roles: ['Tasks.Read.All'],
    tid: config.ids.tenantId,
    ver: '2.0',
    ...overrides,
  };
}

export function sign(claims: Record<string, unknown>, key: TestKey, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }).sign(key.privateKey);
}

/** Builds a compact JWS from raw segments, for the shapes no signing library will produce. */
export const b64 = (value: string | object) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
export const rawToken = (...segments: string[]) => segments.join('.');
