/**
 * RFC 6750 §2.1 (reading the token) and §3 (answering without one, or with a bad one), as pure
 * functions: no server, no tenant.
 */
import { describe, expect, it } from 'vitest';
import { bearerErrorResponse, challenge, missingTokenResponse } from '../../../servers/api/bearerErrors.ts';
import { extractBearerToken } from '../../../servers/api/verify/extract.ts';
import type { TokenProblem } from '../../../src/contracts/tokenValidation.ts';
import { config } from '../../support/fake-tenant.ts';

const queryOf = (query = '') => new URL(`http://localhost/api/tasks${query}`).searchParams;

describe('RFC 6750 §2.1: extracting the bearer token', () => {
  it.each(['Bearer abc.def.ghi', 'bearer abc.def.ghi', 'BEARER abc.def.ghi', 'Bearer   abc.def.ghi'])(
    'RFC 7235 §2.1: the scheme is case-insensitive — %j',
    (header) => {
      expect(extractBearerToken(header, queryOf())).toEqual({ kind: 'token', token: 'abc.def.ghi' });
    },
  );

  it.each([undefined, '', '   ', 'Basic dXNlcjpwYXNz', 'Negotiate abc', 'Bearerabc'])(
    '%j is no bearer token: the bare challenge',
    (header) => {
      expect(extractBearerToken(header, queryOf())).toEqual({ kind: 'none' });
    },
  );

  it.each([
    ['"Bearer" with no token', 'Bearer', ''],
    ['"Bearer " with only spaces', 'Bearer    ', ''],
    ['two values after Bearer', 'Bearer a.b.c d.e.f', ''],
    ['RFC 6750 §2.3: token in the query string', undefined, '?access_token=a.b.c'],
    ['token in the query string and the header', 'Bearer a.b.c', '?access_token=a.b.c'],
  ])('%s → 400 invalid_request', (_name, header, query) => {
    const result = extractBearerToken(header, queryOf(query));
    expect(result.kind).toBe('problem');
    if (result.kind === 'problem') expect(result.problem).toMatchObject({ status: 400, error: 'invalid_request', step: 'extract' });
  });
});

describe('RFC 6750 §3: WWW-Authenticate', () => {
  const realm = config.ids.apiAppIdUri;
  const problem: TokenProblem = {
    step: 'audience',
    code: 'IDX10214',
    status: 401,
    error: 'invalid_token',
    description: 'IDX10214: Audience validation failed. Audiences: \'"evil"\r\nX-Injected: 1\'. “curly” — dash…',
    fix: 'Ask for a token for this API.',
  };

  it('§3.1: no authentication information → realm only, no error code', async () => {
    const response = missingTokenResponse(realm);
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe(`Bearer realm="${realm}"`);
  });

  it('§3: error_description uses only %x20-21 / %x23-5B / %x5D-7E, so token values cannot break or inject headers', () => {
    const value = challenge(realm, problem);
    const description = /error_description="([^"]*)"/.exec(value)?.[1] ?? '';
    expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
    expect(value).not.toMatch(/[\r\n]/);
    expect(value).toContain('error="invalid_token"');
  });

  it('§3.1: insufficient_scope → 403 with the scope that would do', async () => {
    const response = bearerErrorResponse(realm, {
      ...problem,
      step: 'authorization',
      code: 'IDW10203',
      status: 403,
      error: 'insufficient_scope',
      scope: [`${realm}/Tasks.ReadWrite`],
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('WWW-Authenticate')).toContain(`error="insufficient_scope"`);
    expect(response.headers.get('WWW-Authenticate')).toContain(`scope="${realm}/Tasks.ReadWrite"`);
    expect(await response.json()).toMatchObject({ error: 'insufficient_scope', code: 'IDW10203', scope: [`${realm}/Tasks.ReadWrite`] });
  });

  it('a 503 (no signing keys) has Retry-After and no challenge: it is not the token’s fault', () => {
    const response = bearerErrorResponse(realm, {
      ...problem,
      code: 'IDX20803',
      status: 503,
      error: 'temporarily_unavailable',
      retryAfterSeconds: 7,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(response.headers.has('WWW-Authenticate')).toBe(false);
  });
});
