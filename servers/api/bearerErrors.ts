/**
 * RFC 6750 §3: how a resource server says no.
 *   - no token at all        → 401, `WWW-Authenticate: Bearer realm="…"` and no error code (§3.1);
 *   - a malformed request    → 400 `invalid_request`;
 *   - a bad token            → 401 `invalid_token` + `error_description`;
 *   - a good token, too weak → 403 `insufficient_scope` + the `scope` that would do.
 * The JSON body repeats the reason with its IDX/IDW code and the fix, for people and widgets.
 * A 503 (keys unavailable) is not the client's fault, so it carries `Retry-After` and no challenge.
 */
import type { TokenProblem } from '../../src/contracts/tokenValidation.ts';

/** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E — printable ASCII without `"` and `\`. */
function quotable(text: string, max = 400): string {
  const ascii = text
    .replace(/[‘’]/g, "'")
    .replace(/[“”"]/g, "'")
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > max ? `${ascii.slice(0, max - 3)}...` : ascii;
}

/** RFC 6750 §3: scope-token chars are %x21 / %x23-5B / %x5D-7E, separated by single spaces. */
const scopeValue = (scopes: string[]) => scopes.map((s) => s.replace(/[^\x21\x23-\x5b\x5d-\x7e]/g, '')).join(' ');

export function challenge(realm: string, problem?: TokenProblem): string {
  const params = [`realm="${quotable(realm)}"`];
  if (problem && problem.status !== 503) {
    params.push(`error="${problem.error}"`);
    params.push(`error_description="${quotable(problem.description)}"`);
    if (problem.scope?.length) params.push(`scope="${scopeValue(problem.scope)}"`);
  }
  return `Bearer ${params.join(', ')}`;
}

export interface BearerErrorBody {
  error: string;
  error_description: string;
  code?: string;
  step: string;
  claim?: string;
  fix: string;
  scope?: string[];
}

export function bearerErrorBody(problem: TokenProblem): BearerErrorBody {
  return {
    error: problem.error,
    error_description: problem.description,
    code: problem.code,
    step: problem.step,
    claim: problem.claim,
    fix: problem.fix,
    scope: problem.scope,
  };
}

/** The full HTTP answer for a refused request: status, headers and JSON body. */
export function bearerErrorResponse(realm: string, problem: TokenProblem): Response {
  const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  if (problem.status === 503) headers.set('Retry-After', String(problem.retryAfterSeconds ?? 5));
  else headers.set('WWW-Authenticate', challenge(realm, problem));
  return new Response(JSON.stringify(bearerErrorBody(problem)), { status: problem.status, headers });
}

/** RFC 6750 §3.1: "If the request lacks any authentication information … SHOULD NOT include an error code." */
export function missingTokenResponse(realm: string): Response {
  return new Response(
    JSON.stringify({
      error: 'unauthorized',
      error_description: 'This endpoint needs an access token: send "Authorization: Bearer <token>".',
      step: 'extract',
      fix: 'Get an access token for this API (a scope under its App ID URI) and send it in the Authorization header.',
    }),
    {
      status: 401,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'WWW-Authenticate': challenge(realm) },
    },
  );
}
