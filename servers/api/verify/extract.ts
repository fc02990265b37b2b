/**
 * Before any step: the token from the request (RFC 6750 §2.1), or why the request itself is wrong (400).
 */
import type { TokenProblem } from '../../../src/contracts/tokenValidation.ts';

export type BearerExtraction = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'problem'; problem: TokenProblem };

const requestProblem = (description: string, fix: string): BearerExtraction => ({
  kind: 'problem',
  problem: { step: 'extract', status: 400, error: 'invalid_request', description, fix },
});

/**
 * RFC 6750 §2.1: `Authorization: Bearer <token>`. The scheme name is case-insensitive
 * (RFC 7235 §2.1), so `bearer` works too. A token in the query string (§2.3) is refused: URLs end up
 * in logs, browser history and Referer headers.
 */
export function extractBearerToken(authorization: string | undefined, query: Pick<URLSearchParams, 'has'>): BearerExtraction {
  if (query.has('access_token')) {
    return requestProblem(
      'The access token was sent in the query string (access_token=…). This API accepts it only in the Authorization header.',
      'Send the token as "Authorization: Bearer <token>". Tokens in URLs leak into logs, history and Referer headers (RFC 6750 §2.3, RFC 9700 §4.3.2).',
    );
  }
  const credentials = authorization?.trim() ?? '';
  if (credentials === '') return { kind: 'none' };
  const space = credentials.indexOf(' ');
  const scheme = space === -1 ? credentials : credentials.slice(0, space);
  // Another scheme (Basic, Negotiate…) is not a bearer token: answer with the bare challenge.
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = space === -1 ? '' : credentials.slice(space + 1).trim();
  if (token === '') {
    return requestProblem(
      'The Authorization header says "Bearer" but carries no token.',
      'Put the access token after "Bearer " (RFC 6750 §2.1). An empty value usually means the client read the token before it arrived.',
    );
  }
  if (token.includes(' ') || token.includes('\t')) {
    return requestProblem(
      'The Authorization header carries more than one value after "Bearer".',
      'Send exactly one token: "Authorization: Bearer <token>" with no spaces inside the token (RFC 6750 §2.1).',
    );
  }
  return { kind: 'token', token };
}
