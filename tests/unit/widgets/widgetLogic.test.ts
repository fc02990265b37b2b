import { describe, expect, it } from 'vitest';
import { describeApiResponse, planApiCall } from '../../../src/widgets/api-caller/apiRequest.ts';
import { formatForm, stepHeadline } from '../../../src/widgets/client-credentials/runView.ts';
import { explainError } from '../../../src/widgets/shared/errorCatalog.ts';
import { toScriptJson } from '../../../src/widgets/shared/scriptJson.ts';
import { summarizeMsalCache } from '../../../src/widgets/sign-in/cacheView.ts';
import { explainSignInError } from '../../../src/widgets/sign-in/explainSignInError.ts';

const token = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(300)}.sig-${'y'.repeat(40)}`;
const catalog = [
  { id: 'AADSTS65004', title: 'User declined to consent', error: 'access_denied', cause: 'They pressed Cancel.', fix: 'Sign in again.' },
];

describe('API caller: the request shown never holds the whole token (RFC 6750 §2.1 header)', () => {
  it('sends the full token but shows it shortened', () => {
    const plan = planApiCall('http://localhost:1', 'POST /api/tasks', token, 'Hi');
    expect(plan.headers.Authorization).toBe(`Bearer ${token}`);
    expect(plan.shown).not.toContain(token);
    expect(plan.shown).toMatch(
      /^POST http:\/\/localhost:1\/api\/tasks\nAuthorization: Bearer eyJhbGciOi…y{6} \(\d+ chars\)\nContent-Type: application\/json\n\n\{"title":"Hi"\}$/,
    );
  });
  it('with no token, sends no Authorization header (RFC 6750 §3.1: the API then answers a bare Bearer challenge)', () => {
    expect(planApiCall('http://x', 'GET /api/me', '').headers).toEqual({});
  });
  it('reads the challenge of a refusal and marks it for /api/explain', () => {
    const view = describeApiResponse(403, 'Forbidden', 'Bearer error="insufficient_scope", scope="api://x/Tasks.ReadWrite"', '{"a":1}');
    expect(view).toMatchObject({ refused: true, challenge: { params: { error: 'insufficient_scope' } } });
    expect(view.body).toBe('{\n  "a": 1\n}');
  });
});

describe('errors are never blank', () => {
  it('an AADSTS code in an MSAL error message is explained from the catalog', () => {
    const error = { errorCode: 'access_denied', errorMessage: 'AADSTS65004: User declined to consent to access the app.' };
    expect(explainSignInError(catalog, error)).toMatchObject({ code: 'AADSTS65004', title: 'User declined to consent', known: true });
  });
  it('an MSAL library error without an AADSTS code is explained too', () => {
    expect(explainSignInError(catalog, { errorCode: 'user_cancelled', errorMessage: 'User cancelled the flow.' })).toMatchObject({
      title: 'Sign-in cancelled',
      known: true,
    });
  });
  it('a tenant that does not answer reads as "not reachable", with npm start as the fix', () => {
    expect(explainSignInError(catalog, new TypeError('Failed to fetch')).fix).toMatch(/npm start/);
  });
  it('an unknown code keeps the code and the raw detail', () => {
    expect(explainError(catalog, 'AADSTS999', 'Refused', 'raw')).toEqual({
      code: 'AADSTS999',
      title: 'Refused',
      detail: 'raw',
      known: false,
    });
  });
});

describe('what MSAL cached, without secrets', () => {
  it('lists accounts and credentials with shortened secrets', () => {
    const now = Date.UTC(2026, 0, 1);
    const rows = summarizeMsalCache(
      [
        ['msal.token.keys.x', '{"idToken":[]}'],
        ['a', JSON.stringify({ credentialType: 'RefreshToken', secret: 'r'.repeat(200) })],
        [
          'b',
          JSON.stringify({
            credentialType: 'AccessToken',
            secret: token,
            target: 'api://x/Tasks.Read',
            expiresOn: String(now / 1000 + 3600),
          }),
        ],
        ['c', JSON.stringify({ authorityType: 'MSSTS', username: 'alice@contoso', homeAccountId: 'h' })],
        ['d', 'not json'],
      ],
      now,
    );
    expect(rows.map((r) => r.kind)).toEqual(['Account', 'AccessToken', 'RefreshToken']);
    expect(rows[1]?.details).toContain('expires in 60 min');
    for (const row of rows) expect(JSON.stringify(row)).not.toContain('r'.repeat(50));
  });
});

describe('client-credentials run view', () => {
  it('shows the assertion only as a prefix (the decoder shows it whole)', () => {
    expect(formatForm({ grant_type: 'client_credentials', client_assertion: token })).toMatch(
      /^grant_type=client_credentials\nclient_assertion=.{24}… \(decoded below\)$/,
    );
  });
  it('names the AADSTS code in the token-response headline', () => {
    expect(
      stepHeadline({
        id: 'token-response',
        title: 'Token response',
        status: 'failed',
        exchange: { method: 'POST', url: 'http://x/t', status: 401 },
        error: { code: 'AADSTS7000215' },
      }),
    ).toBe('Token response: 401 AADSTS7000215');
  });
});

describe('JSON in a script element', () => {
  it('cannot close the element early', () => {
    expect(toScriptJson({ a: '</script><script>alert(1)</script>' })).not.toContain('</script');
    expect(JSON.parse(toScriptJson({ a: '</script>' }))).toEqual({ a: '</script>' });
  });
});
