/**
 * The exercise checkers on protocol events shaped exactly as the lab publishes them (a real
 * EventBus; tokens masked with the same `maskToken` the servers use, over real RS256 JWTs).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPolicies } from '../../../servers/api/permissions.ts';
import { EventBus, maskToken, type ProtocolEventInput } from '../../../servers/events/index.ts';
import { checkExercise, type ExplainVerdict, tokenKindOf } from '../../../servers/workshop/exerciseChecks.ts';
import { SANDBOX_TENANT_ID, sandboxApps, sandboxUsers } from '../../../src/config/sandbox.ts';
import type { CheckAnswers } from '../../../src/contracts/workshop.ts';

const SESSION = 'attendee-session-1';
const apiClientId = sandboxApps.api.clientId;
let appToken: string;
let userToken: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const base = { aud: apiClientId, tid: SANDBOX_TENANT_ID, ver: '2.0' };
  appToken = await new SignJWT({ ...base, roles: ['Tasks.Read.All'], idtyp: 'app', oid: sandboxApps.daemon.servicePrincipalId })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(privateKey);
  userToken = await new SignJWT({ ...base, scp: 'Tasks.Read Tasks.ReadWrite', oid: sandboxUsers.alice.oid })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(privateKey);
});

function bus(...events: Omit<ProtocolEventInput, 'sessionId'>[]): EventBus {
  const b = new EventBus();
  for (const event of events) b.publish({ ...event, sessionId: SESSION });
  return b;
}

const apiCall = (token: string, method: string, path: string, status: number, extra: Partial<ProtocolEventInput> = {}) => [
  {
    name: 'api.request' as const,
    leg: 'api' as const,
    source: 'api' as const,
    summary: `${method} ${path}`,
    http: { method, path },
    detail: { authorization: { scheme: 'Bearer', token: maskToken(token) } },
  },
  {
    name: 'api.response' as const,
    leg: 'api' as const,
    source: 'api' as const,
    summary: `${status}`,
    http: { method, path, status },
    ...extra,
  },
];

const check = (id: Parameters<typeof checkExercise>[0], b: EventBus, answers: CheckAnswers = {}, explained?: ExplainVerdict) =>
  checkExercise(id, { events: b.recent(SESSION), answers, apiClientId, policies: endpointPolicies, ...(explained ? { explained } : {}) });

describe('api-403: make the API return 403 and explain why (RFC 6750 §3.1 insufficient_scope)', () => {
  it('does not pass on answers alone: the lab must have seen a 403', () => {
    const result = check('api-403', bus(), { permission: 'Tasks.ReadWrite', tokenKind: 'app' });
    expect(result.passed).toBe(false);
    expect(result.missing.join(' ')).toMatch(/not seen the API answer 403/);
  });

  it('says that a 401 is not a 403', () => {
    const result = check('api-403', bus(...apiCall(appToken, 'GET', '/api/tasks', 401)), { permission: 'x', tokenKind: 'app' });
    expect(result.passed).toBe(false);
    expect(result.missing[0]).toMatch(/401, not 403/);
  });

  it('passes after a real 403 (app-only token on POST /api/tasks) with the missing permission and the token kind', () => {
    const events = bus(
      ...apiCall(appToken, 'POST', '/api/tasks', 403, { error: { error: 'insufficient_scope', description: 'needs Tasks.ReadWrite' } }),
    );
    const result = check('api-403', events, { permission: 'api://whatever/Tasks.ReadWrite', tokenKind: 'app' });
    expect(result).toMatchObject({ passed: true, missing: [] });
    expect(result.observed[0]).toMatch(/403 insufficient_scope to POST \/api\/tasks/);
  });

  it('refuses the wrong permission, and the wrong kind of token for what was really sent', () => {
    const events = bus(...apiCall(appToken, 'POST', '/api/tasks', 403));
    expect(check('api-403', events, { permission: 'Tasks.Read', tokenKind: 'app' }).missing.join(' ')).toMatch(
      /not what that endpoint needed/,
    );
    expect(check('api-403', events, { permission: 'Tasks.ReadWrite', tokenKind: 'user' }).missing.join(' ')).toMatch(/app-only token/);
  });

  it('believes the scope the 403 named over the endpoint policy', () => {
    const events = bus(...apiCall(userToken, 'POST', '/api/tasks', 403, { detail: { scope: 'Tasks.Admin' } }));
    expect(check('api-403', events, { permission: 'Tasks.Admin', tokenKind: 'user' }).passed).toBe(true);
  });

  it('sees only the session it is asked about', () => {
    const b = new EventBus();
    for (const event of apiCall(appToken, 'POST', '/api/tasks', 403)) b.publish({ ...event, sessionId: 'someone-else-42' });
    expect(
      checkExercise('api-403', {
        events: b.recent(SESSION),
        answers: { permission: 'Tasks.ReadWrite', tokenKind: 'app' },
        apiClientId,
        policies: endpointPolicies,
      }).passed,
    ).toBe(false);
  });
});

describe('fix-redirect-uri: fix AADSTS50011 (RFC 6749 §4.1.2.1: no redirect to an unregistered URI)', () => {
  const mismatch = {
    name: 'authorize.error' as const,
    leg: 'authorize' as const,
    source: 'tenant' as const,
    summary: 'AADSTS50011',
    error: { code: 'AADSTS50011', error: 'invalid_request' },
  };
  const code = { name: 'code.issued' as const, leg: 'authorize' as const, source: 'tenant' as const, summary: '302 with code' };

  it('needs the error to have happened', () => {
    expect(check('fix-redirect-uri', bus(code)).passed).toBe(false);
  });

  it('needs a code issued after the error, not before', () => {
    expect(check('fix-redirect-uri', bus(code, mismatch)).missing[0]).toMatch(/No authorization code was issued after that/);
  });

  it('passes when the sign-in that failed with AADSTS50011 later succeeds', () => {
    expect(check('fix-redirect-uri', bus(mismatch, code))).toMatchObject({ passed: true, missing: [] });
  });
});

describe('roles-not-scp: get an app-only token (RFC 6749 §4.4)', () => {
  const issued = (token: string, source: 'tenant' | 'daemon' = 'tenant') => ({
    name: 'token.issued' as const,
    leg: 'token' as const,
    source,
    summary: '200',
    detail: { access_token: maskToken(token), token_type: 'Bearer' },
  });

  it('passes when the lab saw a token with roles and no scp issued to this session, and the answer is roles', () => {
    const result = check('roles-not-scp', bus(issued(appToken, 'daemon')), { claim: 'roles' });
    expect(result).toMatchObject({ passed: true, missing: [] });
    expect(result.observed[0]).toMatch(/daemon saw .* roles \[Tasks.Read.All\] and no scp/);
  });

  it('does not count a user token, nor the right answer without a token', () => {
    expect(check('roles-not-scp', bus(issued(userToken)), { claim: 'roles' }).passed).toBe(false);
    expect(check('roles-not-scp', bus(), { claim: 'roles' }).passed).toBe(false);
  });

  it('needs the answer: the API authorizes an app-only token by roles, not scp', () => {
    expect(check('roles-not-scp', bus(issued(appToken)), { claim: 'scp' }).missing.join(' ')).toMatch(
      /does not authorize this token by "scp"/,
    );
  });

  it("accepts a pasted token only when the API's /api/explain verified it and it has roles without scp", () => {
    const verdict = (claims: Record<string, unknown>, verdict: ExplainVerdict['verdict'] = 'accepted'): ExplainVerdict => ({
      verdict,
      signatureVerified: verdict === 'accepted',
      claims,
    });
    expect(check('roles-not-scp', bus(), { claim: 'roles' }, verdict({ aud: apiClientId, roles: ['Tasks.Read.All'] })).passed).toBe(true);
    expect(check('roles-not-scp', bus(), { claim: 'roles' }, verdict({ aud: apiClientId, scp: 'Tasks.Read' })).passed).toBe(false);
    expect(check('roles-not-scp', bus(), { claim: 'roles' }, verdict({ aud: apiClientId, roles: ['x'] }, 'rejected')).passed).toBe(false);
  });

  it('tells app-only and user tokens apart by the sample API’s one rule: idtyp, else roles + no scp + oid = sub', () => {
    expect(tokenKindOf({ idtyp: 'app' })).toBe('app');
    expect(tokenKindOf({ idtyp: 'user', roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' })).toBe('user');
    expect(tokenKindOf({ scp: 'Tasks.Read', roles: ['Admin'] })).toBe('user');
    expect(tokenKindOf({ roles: ['Tasks.Read.All'], oid: 'o', sub: 'o' })).toBe('app');
    expect(tokenKindOf({ roles: ['Tasks.Read.All'], oid: 'o', sub: 's' })).toBe('user');
    expect(tokenKindOf({ roles: ['Tasks.Read.All'] })).toBe('user');
    expect(tokenKindOf({})).toBeUndefined();
  });
});
