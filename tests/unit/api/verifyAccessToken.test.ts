/**
 * The validation pipeline, step by step, against RS256 keys generated here and a tenant that
 * exists only as an injected `fetch`. Each refusal is checked for its step, its IDX/IDW code and
 * its RFC 6750 status; the integration suite repeats the corpus against the real sandbox tenant.
 */
import { exportSPKI, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPolicies } from '../../../servers/api/permissions.ts';
import { createVerifiedTokenCache } from '../../../servers/api/verifiedTokens.ts';
import { explainAccessToken, verifyAccessToken } from '../../../servers/api/verify/pipeline.ts';
import type { EndpointPolicy, Verifier } from '../../../servers/api/verify/policy.ts';
import { callerKind, callerKindOf } from '../../../servers/api/verify/steps/authorization.ts';
import {
  appOnlyClaims,
  b64,
  config,
  delegatedClaims,
  fakeTenant,
  keySource,
  makeKey,
  NOW,
  rawToken,
  sign,
  type TestKey,
  verifierWith,
} from '../../support/fake-tenant.ts';

const GET_TASKS = endpointPolicies['GET /api/tasks'];
const POST_TASKS = endpointPolicies['POST /api/tasks'];

let key: TestKey;
let otherKey: TestKey;
let verifier: Verifier;

beforeAll(async () => {
  key = await makeKey('sandbox-key-1');
  otherKey = await makeKey('sandbox-key-1'); // same kid, different key: a forger's
  verifier = verifierWith(keySource(fakeTenant([key])), () => NOW);
});

async function refusal(token: string, policy: EndpointPolicy = GET_TASKS, v = verifier) {
  const result = await verifyAccessToken(token, v, policy);
  if (result.ok) throw new Error('expected the token to be refused');
  return result.problem;
}

describe('a valid token passes every step', () => {
  it('delegated token with scp Tasks.Read: a user, identified by (tid, oid)', async () => {
    const result = await verifyAccessToken(await sign(delegatedClaims(), key), verifier, GET_TASKS);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.caller).toMatchObject({ kind: 'user', oid: delegatedClaims().oid, tid: config.ids.tenantId, scopes: ['Tasks.Read'] });
  });

  it('app-only token with roles Tasks.Read.All and idtyp app: an app', async () => {
    const result = await verifyAccessToken(await sign(appOnlyClaims(), key), verifier, GET_TASKS);
    expect(result.ok && result.caller.kind).toBe('app');
  });

  it('explain reports every step as passed', async () => {
    const explanation = await explainAccessToken(await sign(delegatedClaims(), key), verifier, GET_TASKS);
    expect(explanation.verdict).toBe('accepted');
    expect(explanation.steps.map((s) => [s.step, s.status])).toEqual(
      ['shape', 'header', 'key', 'signature', 'issuer', 'audience', 'lifetime', 'tenant', 'version', 'authorization'].map((s) => [
        s,
        'pass',
      ]),
    );
  });
});

describe('shape: RFC 7515 compact serialization', () => {
  const header = b64({ alg: 'RS256', typ: 'JWT', kid: 'sandbox-key-1' });
  const payload = () => b64(delegatedClaims());
  it.each([
    ['no dot at all', () => 'not-a-jwt', 'IDX14100'],
    ['two segments', () => rawToken(header, payload()), 'IDX14120'],
    ['four segments', () => rawToken(header, payload(), 'c2ln', 'c2ln'), 'IDX14121'],
    ['six segments', () => rawToken('a', 'b', 'c', 'd', 'e', 'f'), 'IDX14122'],
    ['five segments: an encrypted JWE', () => rawToken(b64({ alg: 'RSA-OAEP', enc: 'A256GCM' }), 'a', 'b', 'c', 'd'), 'IDX10609'],
    ['header not base64url', () => rawToken('eyJ%%%', payload(), 'c2ln'), 'IDX14102'],
    ['header with = padding', () => rawToken(`${header}=`, payload(), 'c2ln'), 'IDX14102'],
    ['payload not JSON', () => rawToken(header, b64('hello, world'), 'c2ln'), 'IDX14101'],
    ['payload a JSON array', () => rawToken(header, b64('["aud"]'), 'c2ln'), 'IDX14101'],
    ['payload not UTF-8', () => rawToken(header, Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url'), 'c2ln'), 'IDX14101'],
    ['empty signature: unsigned', () => rawToken(header, payload(), ''), 'IDX10504'],
    ['signature not base64url', () => rawToken(header, payload(), 'sig+/='), 'IDX10508'],
  ])('%s → %s', async (_name, build, code) => {
    const p = await refusal(build());
    expect(p).toMatchObject({ step: 'shape', code, status: 401, error: 'invalid_token' });
  });

  it('RFC 7519 §4: a claim name given twice is refused, even when one spelling is escaped', async () => {
    const payloadText = JSON.stringify(delegatedClaims()).replace('{', `{"a\\u0075d":"someone-else",`);
    const p = await refusal(rawToken(b64({ alg: 'RS256', kid: key.kid }), b64(payloadText), 'c2ln'));
    expect(p).toMatchObject({ step: 'shape', code: 'IDX14101' });
    expect(p.fix).toContain('"aud" twice');
  });

  it('RFC 7515 §4: a header parameter given twice is refused', async () => {
    const p = await refusal(rawToken(b64('{"alg":"RS256","kid":"a","alg":"none"}'), b64(delegatedClaims()), 'c2ln'));
    expect(p).toMatchObject({ step: 'shape', code: 'IDX14102' });
  });

  it('a token longer than maxTokenBytes is refused before it is decoded (IDX10209)', async () => {
    const huge = await sign(delegatedClaims({ padding: 'x'.repeat(config.api.maxTokenBytes) }), key);
    expect(await refusal(huge)).toMatchObject({ step: 'shape', code: 'IDX10209' });
  });
});

describe('header: RS256 only, kid required, typ JWT', () => {
  it('alg none with a signature is refused by the allow-list (IDX10696)', async () => {
    const p = await refusal(rawToken(b64({ alg: 'none', kid: key.kid }), b64(delegatedClaims()), 'c2ln'));
    expect(p).toMatchObject({ step: 'header', code: 'IDX10696', claim: 'alg' });
  });

  it('HS256 signed with the RSA public key as the HMAC secret never reaches a key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
    const forged = await new SignJWT(delegatedClaims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(secret);
    const explanation = await explainAccessToken(forged, verifier, GET_TASKS);
    expect(explanation.problem).toMatchObject({ step: 'header', code: 'IDX10696' });
    expect(explanation.steps.find((s) => s.step === 'key')?.status).toBe('skipped');
    expect(explanation.steps.find((s) => s.step === 'signature')?.status).toBe('skipped');
  });

  it('PS256 is refused although RSA: Entra signs with RS256', async () => {
    const forged = await new SignJWT(delegatedClaims())
      .setProtectedHeader({ alg: 'PS256', kid: key.kid })
      .sign(key.privateKey)
      .catch(() => undefined);
    const token = forged ?? rawToken(b64({ alg: 'PS256', kid: key.kid }), b64(delegatedClaims()), 'c2ln');
    expect(await refusal(token)).toMatchObject({ step: 'header', code: 'IDX10696' });
  });

  it('no kid → IDX10517', async () => {
    const token = await new SignJWT(delegatedClaims()).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key.privateKey);
    expect(await refusal(token)).toMatchObject({ step: 'header', code: 'IDX10517', claim: 'kid' });
  });

  it('typ other than JWT → IDX10257; typ absent is fine (RFC 7519 §5.1)', async () => {
    expect(await refusal(await sign(delegatedClaims(), key, { typ: 'logout+jwt' }))).toMatchObject({ step: 'header', code: 'IDX10257' });
    const noTyp = await new SignJWT(delegatedClaims()).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    expect((await verifyAccessToken(noTyp, verifier, GET_TASKS)).ok).toBe(true);
  });

  it('RFC 7515 §4.1.11: an unknown crit extension is refused', async () => {
    const token = rawToken(b64({ alg: 'RS256', kid: key.kid, crit: ['exp'], exp: 1 }), b64(delegatedClaims()), 'c2ln');
    expect(await refusal(token)).toMatchObject({ step: 'header', claim: 'crit', status: 401 });
  });
});

describe('key and signature', () => {
  it('unknown kid → IDX10503 after one JWKS refresh', async () => {
    const tenant = fakeTenant([key]);
    const v = verifierWith(keySource(tenant, { cooldownMs: 0 }), () => NOW);
    expect((await verifyAccessToken(await sign(delegatedClaims(), key), v, GET_TASKS)).ok).toBe(true);
    const stranger = await makeKey('not-published');
    const p = await refusal(await sign(delegatedClaims(), stranger), GET_TASKS, v);
    expect(p).toMatchObject({ step: 'key', code: 'IDX10503', claim: 'kid' });
    expect(tenant.state.jwksRequests).toBe(2); // the first load, then one re-fetch for the unknown kid
  });

  it('tampered payload → IDX10511 (the key matched, the signature did not)', async () => {
    const [h, , s] = (await sign(delegatedClaims(), key)).split('.') as [string, string, string];
    const tampered = rawToken(h, b64(delegatedClaims({ scp: 'Tasks.ReadWrite' })), s);
    expect(await refusal(tampered, POST_TASKS)).toMatchObject({ step: 'signature', code: 'IDX10511' });
  });

  it('tampered header → IDX10511', async () => {
    const [, p, s] = (await sign(delegatedClaims(), key)).split('.') as [string, string, string];
    expect(await refusal(rawToken(b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: 'changed' }), p, s))).toMatchObject({
      step: 'signature',
      code: 'IDX10511',
    });
  });

  it('signed by another key that reuses a published kid → IDX10511', async () => {
    expect(await refusal(await sign(delegatedClaims(), otherKey))).toMatchObject({ step: 'signature', code: 'IDX10511' });
  });
});

describe('issuer: the exact v2 issuer of the configured tenant', () => {
  it.each([
    ['another host', 'https://login.example.com/x/v2.0', undefined],
    ['the v1 issuer (sts.windows.net)', `https://sts.windows.net/${config.ids.tenantId}/`, 'requestedAccessTokenVersion'],
    ['no /v2.0', config.tenant.authority, 'lacks /v2.0'],
    ['another tenant', config.tenant.issuer.replace(config.ids.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47'), 'another tenant'],
  ])('%s → IDX10205', async (_name, iss, hint) => {
    const p = await refusal(await sign(delegatedClaims({ iss }), key));
    expect(p).toMatchObject({ step: 'issuer', code: 'IDX10205', claim: 'iss', status: 401 });
    if (hint) expect(p.fix).toContain(hint);
  });
});

describe('audience: the API client ID (v2), the App ID URI only when configured', () => {
  it('another API → IDX10214', async () => {
    expect(await refusal(await sign(delegatedClaims({ aud: '6e2d8a51-4b7f-4a38-9f0c-000000000001' }), key))).toMatchObject({
      step: 'audience',
      code: 'IDX10214',
    });
  });

  it('the App ID URI (v1 style) → IDX10214 with the v1/v2 explanation; accepted when configured', async () => {
    const token = await sign(delegatedClaims({ aud: config.ids.apiAppIdUri }), key);
    expect((await refusal(token)).fix).toContain('v1.0 tokens');
    const accepting = verifierWith(keySource(fakeTenant([key])), () => NOW, {
      acceptedAudiences: [config.ids.apiClientId, config.ids.apiAppIdUri],
    });
    expect((await verifyAccessToken(token, accepting, GET_TASKS)).ok).toBe(true);
  });

  it('a Microsoft Graph token → IDX10214 naming Graph', async () => {
    expect((await refusal(await sign(delegatedClaims({ aud: '00000003-0000-0000-c000-000000000000' }), key))).fix).toContain(
      'Microsoft Graph',
    );
  });

  it('an ID token (aud = the SPA) → IDX10214 naming the ID token', async () => {
    expect((await refusal(await sign(delegatedClaims({ aud: config.ids.spaClientId }), key))).fix).toContain('ID token');
  });
});

describe('lifetime: exp and nbf with clock skew (default 300 s, as Microsoft.IdentityModel)', () => {
  it.each([
    ['expired beyond the skew', { exp: NOW - 301 }, 'IDX10223'],
    ['nbf beyond the skew', { nbf: NOW + 301 }, 'IDX10222'],
    ['no exp', { exp: undefined }, 'IDX10225'],
  ])('%s → %s', async (_name, overrides, code) => {
    expect(await refusal(await sign(delegatedClaims(overrides), key))).toMatchObject({ step: 'lifetime', code });
  });

  it('within the skew both ways is accepted', async () => {
    expect((await verifyAccessToken(await sign(delegatedClaims({ exp: NOW - 299, nbf: NOW + 299 }), key), verifier, GET_TASKS)).ok).toBe(
      true,
    );
  });

  it('the skew comes from the config: 0 s refuses a token expired a second ago', async () => {
    const strict = verifierWith(keySource(fakeTenant([key])), () => NOW, { clockSkewSeconds: 0 });
    expect(await refusal(await sign(delegatedClaims({ exp: NOW - 1 }), key), GET_TASKS, strict)).toMatchObject({ code: 'IDX10223' });
  });
});

describe('tenant: tid present, in iss, allowed', () => {
  it('no tid → IDX40003', async () => {
    expect(await refusal(await sign(delegatedClaims({ tid: undefined }), key))).toMatchObject({ step: 'tenant', code: 'IDX40003' });
  });

  it('tid of another tenant than iss → IDX40004', async () => {
    expect(await refusal(await sign(delegatedClaims({ tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' }), key))).toMatchObject({
      step: 'tenant',
      code: 'IDX40004',
    });
  });

  it('a JWKS key whose Entra "issuer" is another tenant may not sign for this one → IDX40005', async () => {
    const tenant = fakeTenant([key]);
    tenant.state.extraJwk = { issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0' };
    const v = verifierWith(keySource(tenant), () => NOW);
    expect(await refusal(await sign(delegatedClaims(), key), GET_TASKS, v)).toMatchObject({ step: 'tenant', code: 'IDX40005' });
  });

  it('a templated key issuer ({tenantid}) signs for any tenant that is allowed', async () => {
    const tenant = fakeTenant([key]);
    tenant.state.extraJwk = { issuer: config.tenant.issuer.replace(config.ids.tenantId, '{tenantid}') };
    const v = verifierWith(keySource(tenant), () => NOW);
    expect((await verifyAccessToken(await sign(delegatedClaims(), key), v, GET_TASKS)).ok).toBe(true);
  });

  it('a multi-tenant allow-list accepts the listed tenants and refuses the rest', async () => {
    const partner = '0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9';
    const v = verifierWith(keySource(fakeTenant([key])), () => NOW, { allowedTenantIds: [config.ids.tenantId, partner] });
    const partnerIss = config.tenant.issuer.replace(config.ids.tenantId, partner);
    expect((await verifyAccessToken(await sign(delegatedClaims({ iss: partnerIss, tid: partner }), key), v, GET_TASKS)).ok).toBe(true);
  });
});

describe('version: v2 tokens only', () => {
  it('ver 1.0 is refused with the requestedAccessTokenVersion fix', async () => {
    const p = await refusal(await sign(delegatedClaims({ ver: '1.0' }), key));
    expect(p).toMatchObject({ step: 'version', claim: 'ver', status: 401 });
    expect(p.fix).toContain('requestedAccessTokenVersion');
  });
});

describe('authorization: delegated scp vs app-only roles, per endpoint', () => {
  it('neither scp nor roles → 401 IDW10201 (Microsoft.Identity.Web refuses it at authentication)', async () => {
    expect(await refusal(await sign(delegatedClaims({ scp: undefined }), key))).toMatchObject({
      code: 'IDW10201',
      status: 401,
      error: 'invalid_token',
    });
  });

  it('Tasks.Read on POST /api/tasks → 403 insufficient_scope naming api://…/Tasks.ReadWrite (IDW10203)', async () => {
    const p = await refusal(await sign(delegatedClaims(), key), POST_TASKS);
    expect(p).toMatchObject({
      code: 'IDW10203',
      status: 403,
      error: 'insufficient_scope',
      scope: [`${config.ids.apiAppIdUri}/Tasks.ReadWrite`],
    });
  });

  it('app-only on POST /api/tasks → 403, whatever its roles', async () => {
    expect(await refusal(await sign(appOnlyClaims(), key), POST_TASKS)).toMatchObject({ code: 'IDW10203', status: 403 });
  });

  it('app-only without the role → 403 IDW10202 naming Tasks.Read.All', async () => {
    expect(await refusal(await sign(appOnlyClaims({ roles: ['Other.Role'] }), key))).toMatchObject({
      code: 'IDW10202',
      status: 403,
      scope: ['Tasks.Read.All'],
    });
  });

  it('an app-only token without any role (a daemon nobody granted a role) → 401 IDW10201, idtyp or not', async () => {
    for (const claims of [appOnlyClaims({ roles: undefined }), appOnlyClaims({ roles: undefined, idtyp: undefined })]) {
      expect(await refusal(await sign(claims, key))).toMatchObject({ step: 'authorization', code: 'IDW10201', status: 401 });
    }
  });

  it('an app-only token with oid ≠ sub is not trusted as an app', async () => {
    expect(await refusal(await sign(appOnlyClaims({ sub: 'someone-else' }), key))).toMatchObject({
      step: 'authorization',
      claim: 'oid',
      status: 401,
    });
  });

  it.each([
    [{ idtyp: 'app', roles: ['x'] }, 'app'],
    [{ idtyp: 'user', scp: 'a' }, 'user'],
    [{ scp: 'Tasks.Read', roles: ['Admin'] }, 'user'],
    [{ roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' }, 'app'],
    [{ roles: ['Admin'], oid: 'o', sub: 's' }, 'user'],
    [{ idtyp: 'user', roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' }, 'user'],
    [{ idtyp: 'app', scp: 'Tasks.Read', oid: 'o', sub: 's' }, 'app'],
    [{ roles: ['Tasks.Read.All'] }, 'user'],
    [{ roles: ['Tasks.Read.All'], oid: '', sub: '' }, 'user'],
    [{ scp: '', roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' }, 'app'],
    [{ idtyp: 'device', roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' }, 'app'],
    [{ scp: '' }, undefined],
    [{}, undefined],
  ])('one rule: idtyp when present, else roles + no scp + oid == sub is app-only: callerKindOf(%o) → %s', (claims, kind) => {
    expect(callerKindOf(claims)).toBe(kind);
  });

  it.each([
    [{ idtyp: 'app' }, 'idtyp is app'],
    [{ idtyp: 'user' }, 'idtyp is user'],
    [{ roles: ['x'], oid: 'o', sub: 'o' }, 'no idtyp; roles, no scp, and oid equals sub'],
    [{ scp: 'a' }, 'no idtyp; the token has scp'],
    [{ roles: ['x'], oid: 'o', sub: 's' }, 'no idtyp; roles without scp, but oid differs from sub (a user with app roles)'],
  ])('the step report names the part of the rule that decided: %o → “%s”', (claims, because) => {
    expect(callerKind(claims)?.because).toBe(because);
  });
});

describe('explain: every step, never a throw', () => {
  it('a tampered token shows the signature failure and the claim failures after it', async () => {
    const [h, , s] = (await sign(delegatedClaims(), key)).split('.') as [string, string, string];
    const tampered = rawToken(h, b64(delegatedClaims({ aud: 'someone-else', exp: NOW - 10_000 })), s);
    const explanation = await explainAccessToken(tampered, verifier, GET_TASKS);
    expect(explanation.verdict).toBe('rejected');
    expect(explanation.problem?.code).toBe('IDX10511');
    expect(explanation.signatureVerified).toBe(false);
    const failed = explanation.steps.filter((s) => s.status === 'fail').map((s) => s.problem?.code);
    expect(failed).toEqual(['IDX10511', 'IDX10214', 'IDX10223']);
  });

  it.each(['', '.', '..', '...', 'a.b.c', '\u0000', 'e30.e30.e30', 'eyJhbGciOiJSUzI1NiJ9.e30.AA'])(
    'garbage %j is explained, not thrown',
    async (garbage) => {
      const explanation = await explainAccessToken(garbage, verifier, GET_TASKS);
      expect(explanation.verdict).toBe('rejected');
      expect(explanation.status).toBe(401);
    },
  );

  it('no keys and an unreachable tenant → undecided, 503 IDX20803', async () => {
    const tenant = fakeTenant([key]);
    tenant.state.down = true;
    const explanation = await explainAccessToken(
      await sign(delegatedClaims(), key),
      verifierWith(keySource(tenant), () => NOW),
      GET_TASKS,
    );
    expect(explanation).toMatchObject({
      verdict: 'undecided',
      status: 503,
      problem: { code: 'IDX20803', error: 'temporarily_unavailable' },
    });
  });
});

describe('verified-token cache: the RSA check once per token, every other check every time', () => {
  it('remembers a token whose signature verified, and still re-checks lifetime and permissions', async () => {
    let now = NOW;
    const v = { ...verifierWith(keySource(fakeTenant([key])), () => now), verifiedTokens: createVerifiedTokenCache() };
    const token = await sign(delegatedClaims({ exp: NOW + 600 }), key);
    expect((await verifyAccessToken(token, v, GET_TASKS)).ok).toBe(true);
    expect(v.verifiedTokens.size).toBe(1);
    expect(await refusal(token, POST_TASKS, v)).toMatchObject({ code: 'IDW10203' });
    now = NOW + 600 + 301;
    expect(await refusal(token, GET_TASKS, v)).toMatchObject({ code: 'IDX10223' });
  });

  it('remembers a sound token refused 403 on one endpoint, and accepts it on an endpoint its scope allows', async () => {
    const v = { ...verifierWith(keySource(fakeTenant([key])), () => NOW), verifiedTokens: createVerifiedTokenCache() };
    const token = await sign(delegatedClaims(), key);
    expect(await refusal(token, POST_TASKS, v)).toMatchObject({ status: 403, code: 'IDW10203' });
    expect(v.verifiedTokens.size).toBe(1);
    expect(await verifyAccessToken(token, v, GET_TASKS)).toMatchObject({ ok: true, caller: { kind: 'user', scopes: ['Tasks.Read'] } });
    expect(await refusal(token, POST_TASKS, v)).toMatchObject({ status: 403, code: 'IDW10203' });
  });

  it('does not remember a signed token that names no caller (IDW10201: neither scp nor roles)', async () => {
    const v = { ...verifierWith(keySource(fakeTenant([key])), () => NOW), verifiedTokens: createVerifiedTokenCache() };
    const token = await sign(delegatedClaims({ scp: undefined }), key);
    expect(await refusal(token, GET_TASKS, v)).toMatchObject({ status: 401, code: 'IDW10201' });
    expect(await refusal(token, GET_TASKS, v)).toMatchObject({ status: 401, code: 'IDW10201' });
    expect(v.verifiedTokens.size).toBe(0);
  });

  it('a forged token that copies a remembered signature is checked in full, not taken for the remembered one', async () => {
    const v = { ...verifierWith(keySource(fakeTenant([key])), () => NOW), verifiedTokens: createVerifiedTokenCache() };
    const token = await sign(delegatedClaims(), key);
    expect((await verifyAccessToken(token, v, GET_TASKS)).ok).toBe(true);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify(delegatedClaims({ scp: 'Tasks.ReadWrite' }))).toString('base64url');
    expect(await refusal(`${header}.${payload}.${signature}`, POST_TASKS, v)).toMatchObject({ step: 'signature', status: 401 });
  });

  it('never remembers a forged token', async () => {
    const v = { ...verifierWith(keySource(fakeTenant([key])), () => NOW), verifiedTokens: createVerifiedTokenCache() };
    await verifyAccessToken(await sign(delegatedClaims(), otherKey), v, GET_TASKS);
    expect(v.verifiedTokens.size).toBe(0);
  });

  it('forgets a token once its key has left the JWKS (key rotation)', async () => {
    const tenant = fakeTenant([key]);
    const v = { ...verifierWith(keySource(tenant, { cooldownMs: 0 }), () => NOW), verifiedTokens: createVerifiedTokenCache() };
    const oldToken = await sign(delegatedClaims(), key);
    expect((await verifyAccessToken(oldToken, v, GET_TASKS)).ok).toBe(true);
    const next = await makeKey('sandbox-key-2');
    tenant.state.keys = [next]; // rotated, and the old key retired
    expect((await verifyAccessToken(await sign(delegatedClaims(), next), v, GET_TASKS)).ok).toBe(true); // unknown kid → re-fetch
    expect(await refusal(oldToken, GET_TASKS, v)).toMatchObject({ step: 'key', code: 'IDX10503' });
  });
});

describe('verified-token cache and an outage', () => {
  it('keys forgotten (workshop reset) while the tenant is down: a remembered token gets 503 IDX20803, never a crash', async () => {
    const tenant = fakeTenant([key]);
    const keys = keySource(tenant);
    const v = { ...verifierWith(keys, () => NOW), verifiedTokens: createVerifiedTokenCache() };
    const token = await sign(delegatedClaims(), key);
    expect((await verifyAccessToken(token, v, GET_TASKS)).ok).toBe(true);
    keys.forget();
    tenant.state.down = true;
    expect(await refusal(token, GET_TASKS, v)).toMatchObject({ status: 503, code: 'IDX20803' });
  });
});
