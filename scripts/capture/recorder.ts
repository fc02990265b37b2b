import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { LabConfig } from '../../src/config/lab.ts';
import type { CapturedLeg, DecodedToken } from '../../src/contracts/captures.ts';
import { maskUrl, maskValue, shortenToken } from '../../src/protocol/redact.ts';

/** Response headers worth showing; the rest (Date, Content-Length, Keep-Alive…) is noise. */
const SHOWN_RESPONSE_HEADERS = [
  'location',
  'content-type',
  'cache-control',
  'pragma',
  'www-authenticate',
  'access-control-allow-origin',
  'retry-after',
  'set-cookie',
];

export function maskFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, maskValue(name, value)]));
}

/** Cookies: names only. `Authorization`: the scheme and a shortened token. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization')
    return value.replace(/^(\S+)\s+(.+)$/, (_m, scheme: string, token: string) => `${scheme} ${shortenToken(token)}`);
  if (lower === 'cookie') return value.replace(/=([^;]*)/g, '=…');
  if (lower === 'set-cookie') return value.replace(/^([^=]+)=[^;]*/, '$1=…');
  if (lower === 'location') return maskUrl(value);
  return value;
}

/** Rewrites every string so origins read as the default ports: captures do not depend on who ran them. */
export function withDefaultOrigins<T>(value: T, from: LabConfig, to: LabConfig): T {
  const pairs: [string, string][] = [
    [new URL(from.tenant.authority).origin, new URL(to.tenant.authority).origin],
    [from.tenantOrigin, to.tenantOrigin],
    [from.apiOrigin, to.apiOrigin],
    [from.profileApiOrigin, to.profileApiOrigin],
    [from.siteOrigin, to.siteOrigin],
    [from.webapp.origin, to.webapp.origin],
    [encodeURIComponent(from.webapp.origin), encodeURIComponent(to.webapp.origin)],
    [encodeURIComponent(from.siteOrigin), encodeURIComponent(to.siteOrigin)],
  ];
  const rewrite = (text: string) => pairs.reduce((acc, [a, b]) => acc.split(a).join(b), text);
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'string' ? rewrite(v) : v))) as T;
}

export function decodeToken(token: string): DecodedToken {
  return { header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
}

/** A minimal cookie jar: the tenant's interaction and session cookies, by name. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string | undefined {
    return this.#cookies.size ? [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') : undefined;
  }
}

function shownResponseHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = name === 'set-cookie' ? response.headers.getSetCookie().join(', ') : response.headers.get(name);
    if (value) headers[name] = maskHeader(name, value);
  }
  return headers;
}

async function responseBody(response: Response): Promise<unknown> {
  // A redirect's body is a courtesy page nobody reads; the Location header is the message.
  if (response.status >= 300 && response.status < 400) return undefined;
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const json = JSON.parse(text) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json) ? maskFields(json as Record<string, unknown>) : json;
  }
  if (type.includes('html')) {
    const title = /<title>([^<]*)<\/title>/.exec(text)?.[1]?.trim();
    const forms = [...text.matchAll(/<form\b[^>]*\baction="([^"]*)"/g)].map((m) => m[1]);
    const fields = [...new Set([...text.matchAll(/<(?:input|button)\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]))];
    return `HTML page “${title ?? 'untitled'}”${forms.length ? `: a form posting ${fields.join(', ')} to ${forms.join(', ')}` : ''} (${text.length.toLocaleString('en')} bytes)`;
  }
  return text ? `${text.slice(0, 200)}${text.length > 200 ? '…' : ''}` : undefined;
}

interface Exchange {
  leg: CapturedLeg;
  response: Response;
}

export async function exchange(
  /** The tenant's cookies, for navigations; `undefined` for the SPA's `fetch` calls, which send none cross-origin. */
  jar: CookieJar | undefined,
  steps: string[],
  title: string,
  request: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown },
): Promise<Exchange> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (request.json !== undefined) headers['Content-Type'] = 'application/json';
  const cookie = jar?.header();
  const sent = { ...headers, ...(cookie ? { Cookie: cookie } : {}) };
  const response = await fetch(request.url, {
    method: request.method,
    headers: sent,
    redirect: 'manual',
    body: request.form
      ? new URLSearchParams(request.form).toString()
      : request.json !== undefined
        ? JSON.stringify(request.json)
        : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  jar?.store(response);
  const leg: CapturedLeg = {
    steps,
    title,
    request: {
      method: request.method,
      url: maskUrl(request.url),
      headers: Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, maskHeader(name, value)])),
      ...(request.form
        ? { body: maskFields(request.form) }
        : request.json !== undefined
          ? { body: request.json as Record<string, unknown> }
          : {}),
    },
    response: { status: response.status, headers: shownResponseHeaders(response), body: await responseBody(response.clone()) },
  };
  return { leg, response };
}

export const locationOf = (response: Response, base: string): string => {
  const location = response.headers.get('location');
  if (!location) throw new Error(`Expected a redirect from ${base}, got ${response.status} without Location.`);
  return new URL(location, base).href;
};
