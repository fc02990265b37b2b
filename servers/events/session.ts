/**
 * Which browser session a request belongs to, so one attendee's tracer never shows another's flow.
 *
 * The site picks a random id per browser session and sends it with each leg it starts, in any of:
 * - the `lab_session` query parameter (MSAL: `extraQueryParameters: { lab_session }` reaches both
 *   /authorize and /token),
 * - the `X-Lab-Session` header (the site's own fetch calls, e.g. to the API),
 * - the `lab_session` cookie (cookies ignore ports, so a cookie set by the site on `localhost`
 *   reaches the tenant's pages during top-level navigations).
 */
import type { IncomingMessage } from 'node:http';
import { isSessionId, SESSION_COOKIE, SESSION_HEADER, SESSION_PARAM } from '../../src/contracts/protocolEvents.ts';

function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

type Value = string | null | undefined;

/** The session id among what a request carries, if any: query parameter, then header, then cookie. Invalid ids are ignored. */
export function sessionIdFrom(carried: { query: Value; header: Value; cookieHeader: Value }): string | undefined {
  if (isSessionId(carried.query)) return carried.query;
  if (isSessionId(carried.header)) return carried.header;
  const cookie = cookieValue(carried.cookieHeader, SESSION_COOKIE);
  return isSessionId(cookie) ? cookie : undefined;
}

/** The session id a Node request carries, if any. */
export function sessionIdOf(req: IncomingMessage, url?: URL): string | undefined {
  return sessionIdFrom({
    query: url?.searchParams.get(SESSION_PARAM),
    header: req.headers[SESSION_HEADER] as string | undefined,
    cookieHeader: req.headers.cookie,
  });
}
