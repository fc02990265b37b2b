/**
 * The sample API's endpoints as the API caller offers them, and how a call is shown: the request
 * with the token shortened, the status, the RFC 6750 challenge and the body. No DOM: unit-tested.
 */

import type { ApiEndpoint } from '../../contracts/api.ts';
import { type BearerChallenge, parseBearerChallenge } from '../../protocol/bearerChallenge.ts';
import { shortenToken } from '../../protocol/redact.ts';

export interface ApiCallPlan {
  endpoint: ApiEndpoint;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The request as the page shows it: token shortened. */
  shown: string;
}

export function planApiCall(apiOrigin: string, endpoint: ApiEndpoint, token: string, title = 'Write the report'): ApiCallPlan {
  const [method, path] = endpoint.split(' ') as ['GET' | 'POST', string];
  const url = `${apiOrigin}${path}`;
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const body = method === 'POST' ? JSON.stringify({ title }) : undefined;
  if (body) headers['Content-Type'] = 'application/json';
  const shownHeaders = Object.entries(headers).map(([name, value]) =>
    name === 'Authorization' ? `${name}: Bearer ${shortenToken(token)}` : `${name}: ${value}`,
  );
  const shown = [`${method} ${url}`, ...shownHeaders, ...(body ? ['', body] : [])].join('\n');
  return { endpoint, method, url, headers, ...(body ? { body } : {}), shown };
}

export interface ApiCallView {
  status: number;
  statusText: string;
  challenge?: BearerChallenge;
  body: string;
  /** 401/403: worth asking /api/explain why. */
  refused: boolean;
}

export function describeApiResponse(status: number, statusText: string, wwwAuthenticate: string | null, bodyText: string): ApiCallView {
  let body = bodyText;
  try {
    body = JSON.stringify(JSON.parse(bodyText), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  const challenge = parseBearerChallenge(wwwAuthenticate);
  return { status, statusText, ...(challenge ? { challenge } : {}), body, refused: status === 401 || status === 403 };
}
