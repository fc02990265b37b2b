/**
 * Turns a captured leg (content/captures/*.json) into the text of an HTTP/1.1 message, the way
 * Microsoft's protocol docs print them: one query or form parameter per line, values URL-decoded
 * so `scope=openid profile` reads as what was asked. Pure, so the page and the tests agree.
 */
import type { CapturedLeg } from '../../contracts/captures.ts';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  302: 'Found',
  303: 'See Other',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

/** `content-type` → `Content-Type`. */
export const headerCase = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

function paramLines(params: [string, string][]): string[] {
  return params.map(([name, value], i) => `${i === 0 ? '' : '&'}${name}=${value}`);
}

/** Long arrays (a task list) are cut to their first items: the shape is the lesson, not the data. */
function trimForDisplay(value: unknown, maxItems = 2): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, maxItems).map((v) => trimForDisplay(v, maxItems));
    return value.length > maxItems ? [...shown, `… ${value.length - maxItems} more`] : shown;
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimForDisplay(v, maxItems)]));
  return value;
}

export function requestText(leg: CapturedLeg): string {
  const url = new URL(leg.request.url);
  const query = [...url.searchParams];
  const [first, ...rest] = paramLines(query);
  const lines = [`${leg.request.method} ${url.pathname}${first ? `?${first}` : ''} HTTP/1.1`, ...rest, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(leg.request.headers)) lines.push(`${headerCase(name)}: ${value}`);
  const body = leg.request.body;
  if (body) {
    lines.push('');
    const type = Object.entries(leg.request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    if (type.includes('json')) lines.push(JSON.stringify(body, null, 2));
    else lines.push(...paramLines(Object.entries(body).map(([name, value]) => [name, String(value)])));
  }
  return lines.join('\n');
}

export function responseText(leg: CapturedLeg): string {
  const { status, headers, body } = leg.response;
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd()];
  for (const [name, value] of Object.entries(headers)) lines.push(`${headerCase(name)}: ${value}`);
  if (body !== undefined && body !== null) {
    lines.push('');
    lines.push(typeof body === 'string' ? `(${body})` : JSON.stringify(trimForDisplay(body), null, 2));
  }
  return lines.join('\n');
}

/** `GET /…/authorize → 303`: the one-line summary of a leg. */
export function legSummary(leg: CapturedLeg): string {
  const path = new URL(leg.request.url).pathname
    .replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}\//i, '/{tenant}/')
    .replace(/\/interaction\/[^/]+/, '/interaction/{id}');
  return `${leg.request.method} ${path} → ${leg.response.status}`;
}
