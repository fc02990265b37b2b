/**
 * The bad-token corpus (entra-facts §9 and more): every way a bearer token or the request carrying
 * it can be wrong, sent to the real API, each with the status and reason it must get — and never a
 * 5xx. Tokens that need a genuine signature over edited claims (expired, wrong aud, v1 issuer…)
 * are re-signed with the sandbox tenant's own key, as if the tenant had issued them; that is why
 * this file runs a private tenant with its own key folder instead of the shared one.
 */
import { createPublicKey } from 'node:crypto';
import { base64url, decodeJwt, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxApps } from '../../src/config/sandbox.ts';
import {
  appOnlyToken,
  type Claims,
  callApi,
  delegatedTokens,
  type PrivateLab,
  resign,
  signRaw,
  startPrivateLab,
  tenantSigningKey,
} from '../support/api-lab.ts';

const OTHER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MICROSOFT_GRAPH = '00000003-0000-0000-c000-000000000000';

let lab: PrivateLab;
let api: string;
let alice: string;
let aliceIdToken: string;
let daemon: string;
let signer: { kid: string; key: CryptoKey };
let attacker: CryptoKey;
let tenantPublicPem: string;

beforeAll(async () => {
  lab = await startPrivateLab();
  api = (await lab.startApi()).url;
  const tokens = await delegatedTokens(lab.config, 'alice', [lab.config.delegatedScopes[0] as string]);
  alice = tokens.accessToken;
  aliceIdToken = tokens.idToken;
  daemon = await appOnlyToken(lab.config);
  signer = await tenantSigningKey(lab.stateDir);
  attacker = (await generateKeyPair('RS256')).privateKey;
  const jwks = (await (await fetch(lab.config.tenant.jwks)).json()) as { keys: JWK[] };
  const published = jwks.keys.find((k) => k.kid === signer.kid) as JWK;
  tenantPublicPem = await exportSPKI((await importJWK({ ...published, alg: 'RS256' }, 'RS256')) as CryptoKey);
});

afterAll(async () => {
  await lab?.close();
});

const b64 = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
const segments = (token: string) => token.split('.') as [string, string, string];
const now = () => Math.floor(Date.now() / 1000);
const edited = (token: string, edit: (claims: Claims) => void, header: Claims = {}) => resign(token, signer, edit, header);

interface Case {
  name: string;
  /** The Authorization header value (or undefined for none). */
  authorization: () => Promise<string | undefined> | string | undefined;
  path?: string;
  method?: 'GET' | 'POST';
  status: number;
  /** The IDX/IDW code of the reason; omitted where RFC 6750 wants none (no token) or .NET has none. */
  code?: string;
  error?: string;
  /** A word the fix must contain, for the reasons with a situation-specific explanation. */
  fixMentions?: string;
}

const bearer = (token: string) => `Bearer ${token}`;

const CORPUS: Case[] = [
  // — the request —
  { name: 'RFC 6750 §3.1: no Authorization header → bare challenge, no error code', authorization: () => undefined, status: 401 },
  { name: 'another scheme (Basic) → bare challenge', authorization: () => 'Basic YWxpY2U6c2FuZGJveA==', status: 401 },
  { name: '"Bearer" with no token → invalid_request', authorization: () => 'Bearer', status: 400, error: 'invalid_request' },
  {
    name: 'RFC 6750 §2.3: token in the query string → refused',
    authorization: () => undefined,
    path: `/api/tasks?access_token=${'x'}`,
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'two values after Bearer → invalid_request',
    authorization: () => `Bearer ${alice} ${alice}`,
    status: 400,
    error: 'invalid_request',
  },
  // — shape —
  { name: 'one segment ("Bearer hello") → IDX14100', authorization: () => 'Bearer hello', status: 401, code: 'IDX14100' },
  { name: 'two segments → IDX14120', authorization: () => bearer(segments(alice).slice(0, 2).join('.')), status: 401, code: 'IDX14120' },
  { name: 'four segments → IDX14121', authorization: () => bearer(`${alice}.x`), status: 401, code: 'IDX14121' },
  {
    name: 'six segments (two tokens joined) → IDX14122',
    authorization: () => bearer(`${segments(alice).slice(0, 2).join('.')}.${alice}.x`),
    status: 401,
    code: 'IDX14122',
  },
  {
    name: 'five segments: an encrypted JWE → IDX10609',
    authorization: () => bearer(`${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`),
    status: 401,
    code: 'IDX10609',
  },
  {
    name: 'malformed base64url header → IDX14102',
    authorization: () => bearer(`eyJ!!.${segments(alice)[1]}.${segments(alice)[2]}`),
    status: 401,
    code: 'IDX14102',
  },
  {
    name: 'non-JSON payload → IDX14101',
    authorization: () => bearer(`${segments(alice)[0]}.${b64('not json')}.${segments(alice)[2]}`),
    status: 401,
    code: 'IDX14101',
  },
  {
    name: 'RFC 7519 §4: duplicate claim names (an escaped second aud), validly signed → IDX14101',
    authorization: async () => {
      const claims = JSON.stringify(decodeJwt(alice));
      return bearer(
        await signRaw(
          JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: signer.kid }),
          claims.replace('{', `{"a\\u0075d":"${MICROSOFT_GRAPH}",`),
          signer,
        ),
      );
    },
    status: 401,
    code: 'IDX14101',
    fixMentions: 'twice',
  },
  {
    name: 'signature removed (alg RS256, empty third part) → IDX10504',
    authorization: () => bearer(`${segments(alice)[0]}.${segments(alice)[1]}.`),
    status: 401,
    code: 'IDX10504',
  },
  {
    name: 'token of 20 KB (under the header limit) → IDX10209',
    authorization: () => bearer(`${segments(alice)[0]}.${'A'.repeat(20_000)}.${segments(alice)[2]}`),
    status: 401,
    code: 'IDX10209',
  },
  {
    name: 'Authorization header of 40 KB → 431 from the HTTP server, not a crash',
    authorization: () => bearer('A'.repeat(40_000)),
    status: 431,
  },
  // — header —
  {
    name: 'alg none, empty signature → IDX10504',
    authorization: () => bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${segments(alice)[1]}.`),
    status: 401,
    code: 'IDX10504',
  },
  {
    name: 'alg none with a signature → IDX10696',
    authorization: () => bearer(`${b64({ alg: 'none', kid: signer.kid })}.${segments(alice)[1]}.${segments(alice)[2]}`),
    status: 401,
    code: 'IDX10696',
  },
  {
    name: 'HS256 "signed" with the tenant’s public key as the HMAC secret → IDX10696',
    authorization: async () =>
      bearer(
        await new SignJWT(decodeJwt(alice))
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: signer.kid })
          .sign(new TextEncoder().encode(tenantPublicPem)),
      ),
    status: 401,
    code: 'IDX10696',
  },
  {
    name: 'no kid (tenant-signed) → IDX10517',
    authorization: async () => bearer(await edited(alice, () => {}, { kid: undefined })),
    status: 401,
    code: 'IDX10517',
  },
  {
    name: 'typ logout+jwt (tenant-signed) → IDX10257',
    authorization: async () => bearer(await edited(alice, () => {}, { typ: 'logout+jwt' })),
    status: 401,
    code: 'IDX10257',
  },
  // — key and signature —
  {
    name: 'unknown kid (attacker’s key) → IDX10503 after one JWKS refresh',
    authorization: async () =>
      bearer(await new SignJWT(decodeJwt(alice)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'attacker-key-1' }).sign(attacker)),
    status: 401,
    code: 'IDX10503',
  },
  {
    name: 'attacker’s key under the tenant’s kid → IDX10511',
    authorization: async () =>
      bearer(await new SignJWT(decodeJwt(alice)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signer.kid }).sign(attacker)),
    status: 401,
    code: 'IDX10511',
  },
  {
    name: 'tampered payload, original signature (scp escalation) → IDX10511',
    authorization: () =>
      bearer(`${segments(alice)[0]}.${b64({ ...decodeJwt(alice), scp: 'Tasks.Read Tasks.ReadWrite' })}.${segments(alice)[2]}`),
    path: '/api/tasks',
    method: 'POST',
    status: 401,
    code: 'IDX10511',
  },
  {
    name: 'tampered header, original signature → IDX10511',
    authorization: () =>
      bearer(`${b64({ alg: 'RS256', typ: 'JWT', kid: signer.kid, x5t: 'changed' })}.${segments(alice)[1]}.${segments(alice)[2]}`),
    status: 401,
    code: 'IDX10511',
  },
  // — claims (all tenant-signed) —
  {
    name: 'expired an hour ago → IDX10223',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { exp: now() - 3600, nbf: now() - 7200 }))),
    status: 401,
    code: 'IDX10223',
  },
  {
    name: 'nbf an hour ahead → IDX10222',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { nbf: now() + 3600 }))),
    status: 401,
    code: 'IDX10222',
  },
  { name: 'no exp → IDX10225', authorization: async () => bearer(await edited(alice, (c) => delete c.exp)), status: 401, code: 'IDX10225' },
  {
    name: 'aud Microsoft Graph → IDX10214',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { aud: MICROSOFT_GRAPH }))),
    status: 401,
    code: 'IDX10214',
    fixMentions: 'Graph',
  },
  {
    name: 'aud = App ID URI (v1 style) → IDX10214 explaining v1/v2',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { aud: lab.config.ids.apiAppIdUri }))),
    status: 401,
    code: 'IDX10214',
    fixMentions: 'v1.0',
  },
  {
    name: 'the ID token instead of the access token → IDX10214',
    authorization: () => bearer(aliceIdToken),
    status: 401,
    code: 'IDX10214',
    fixMentions: 'ID token',
  },
  {
    name: 'iss of another host → IDX10205',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { iss: `https://login.example.com/${c.tid}/v2.0` }))),
    status: 401,
    code: 'IDX10205',
  },
  {
    name: 'v1 token (iss sts.windows.net, ver 1.0) → IDX10205 with the requestedAccessTokenVersion fix',
    authorization: async () =>
      bearer(await edited(alice, (c) => Object.assign(c, { iss: `https://sts.windows.net/${c.tid}/`, ver: '1.0' }))),
    status: 401,
    code: 'IDX10205',
    fixMentions: 'requestedAccessTokenVersion',
  },
  {
    name: 'another tenant (iss and tid) → IDX10205',
    authorization: async () =>
      bearer(await edited(alice, (c) => Object.assign(c, { iss: String(c.iss).replace(String(c.tid), OTHER_TENANT), tid: OTHER_TENANT }))),
    status: 401,
    code: 'IDX10205',
    fixMentions: 'another tenant',
  },
  {
    name: 'tid differs from the tenant in iss → IDX40004',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { tid: OTHER_TENANT }))),
    status: 401,
    code: 'IDX40004',
  },
  { name: 'no tid → IDX40003', authorization: async () => bearer(await edited(alice, (c) => delete c.tid)), status: 401, code: 'IDX40003' },
  {
    name: 'ver 1.0 under the v2 issuer → refused by the version check',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { ver: '1.0' }))),
    status: 401,
    error: 'invalid_token',
  },
  // — permissions —
  {
    name: 'neither scp nor roles → 401 IDW10201',
    authorization: async () => bearer(await edited(alice, (c) => delete c.scp)),
    status: 401,
    code: 'IDW10201',
  },
  {
    name: 'wrong scope (scp Tasks.Other) → 403 IDW10203',
    authorization: async () => bearer(await edited(alice, (c) => Object.assign(c, { scp: 'Tasks.Other' }))),
    status: 403,
    code: 'IDW10203',
  },
  {
    name: 'Tasks.Read on POST /api/tasks → 403 IDW10203',
    authorization: () => bearer(alice),
    path: '/api/tasks',
    method: 'POST',
    status: 403,
    code: 'IDW10203',
  },
  {
    name: 'app-only without the app role → 403 IDW10202',
    authorization: async () => bearer(await edited(daemon, (c) => Object.assign(c, { roles: ['Other.Role'] }))),
    status: 403,
    code: 'IDW10202',
  },
  {
    name: 'app-only on POST /api/tasks → 403 IDW10203',
    authorization: () => bearer(daemon),
    path: '/api/tasks',
    method: 'POST',
    status: 403,
    code: 'IDW10203',
  },
  {
    name: 'app-only token whose oid differs from sub → 401',
    authorization: async () => bearer(await edited(daemon, (c) => Object.assign(c, { sub: sandboxApps.spa.clientId }))),
    status: 401,
    error: 'invalid_token',
  },
];

describe(`bad-token corpus: ${CORPUS.length} cases, each with its status and reason, never a 5xx`, () => {
  it.each(CORPUS)('$name', async (c) => {
    const authorization = await c.authorization();
    const response = await callApi(api, c.path ?? '/api/tasks', {
      method: c.method,
      authorization,
      body: c.method === 'POST' ? { title: 'from the corpus' } : undefined,
    });
    expect(response.status).toBe(c.status);
    if (c.status === 431) return;
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (c.status === 401 && !c.code && !c.error) {
      // RFC 6750 §3.1: a request with no token gets no error code.
      expect(challenge).toBe(`Bearer realm="${lab.config.ids.apiAppIdUri}"`);
      return;
    }
    const body = response.body as { error: string; code?: string; error_description: string; fix: string };
    expect(body.error).toBe(c.error ?? (c.status === 403 ? 'insufficient_scope' : 'invalid_token'));
    expect(challenge).toContain(`error="${body.error}"`);
    if (c.code) {
      expect(body.code).toBe(c.code);
      expect(challenge).toContain(`error_description="${c.code}: `);
    }
    if (c.fixMentions) expect(body.fix).toContain(c.fixMentions);
    // The reason is filled in from the catalog, and never echoes the token.
    expect(body.error_description).not.toMatch(/\{[a-z_]+\}/);
    if (authorization && authorization.length > 40) expect(JSON.stringify(body)).not.toContain(authorization.slice(7, 300));
  });

  it('has at least 25 cases', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(25);
  });

  it('POST /api/explain answers every token of the corpus with a report (200), never a 5xx', async () => {
    for (const c of CORPUS) {
      const authorization = await c.authorization();
      const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
      if (!token || /\s/.test(token) || token.length > 32_000) continue;
      const response = await callApi(api, '/api/explain', {
        method: 'POST',
        body: { token, endpoint: `${c.method ?? 'GET'} ${c.path ?? '/api/tasks'}` },
      });
      expect(response.status, c.name).toBe(200);
      expect(response.body.verdict, c.name).toBe('rejected');
      expect((response.body.problem as { status: number }).status, c.name).toBe(c.status);
    }
  });
});

describe('a flood of made-up kids does not hammer the tenant', () => {
  it('100 tokens with random kids cost at most one extra JWKS fetch (30 s cooldown)', async () => {
    const before = (await callApi(api, '/api/health')).body.signingKeys as { refreshes: number };
    const forged = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        new SignJWT(decodeJwt(alice)).setProtectedHeader({ alg: 'RS256', kid: `made-up-${i}` }).sign(attacker),
      ),
    );
    const statuses = await Promise.all(
      forged.map(async (token) => (await callApi(api, '/api/tasks', { authorization: bearer(token) })).status),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    const after = (await callApi(api, '/api/health')).body.signingKeys as { refreshes: number };
    expect(after.refreshes - before.refreshes).toBeLessThanOrEqual(1);
  });
});

// Keep the public-key import honest: the PEM used as an HMAC secret really is the tenant's key.
describe('corpus sanity', () => {
  it('the HS256 case uses the tenant’s published RSA public key', () => {
    expect(createPublicKey(tenantPublicPem).asymmetricKeyType).toBe('rsa');
  });
});
