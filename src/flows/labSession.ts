/**
 * The browser session id that scopes protocol events (src/contracts/protocolEvents.ts): random, one per
 * tab session, so one attendee's tracer never shows another's legs. Widgets attach it to every leg
 * they start: `lab_session` in the query of /authorize, /token and the API (the servers read the
 * query first, and a query parameter needs no CORS preflight), and a cookie for top-level
 * navigations to the tenant (cookies ignore ports, so one set on the site's host reaches it).
 */
import { isSessionId, SESSION_COOKIE, SESSION_PARAM } from '../contracts/protocolEvents.ts';

const STORAGE_KEY = 'entra-flows-lab.session';

let memory: string | undefined;

export function getLabSessionId(): string {
  if (memory) return memory;
  let id: string | null = null;
  try {
    id = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // storage blocked: a per-page id still scopes this page's events
  }
  if (!isSessionId(id)) {
    id = crypto.randomUUID().replace(/-/g, '');
    try {
      sessionStorage.setItem(STORAGE_KEY, id);
    } catch {}
  }
  // biome-ignore lint/suspicious/noDocumentCookie: synchronous on purpose, so the cookie is set before the click opens the tenant; the id is [A-Za-z0-9_-] only, nothing to escape.
  document.cookie = `${SESSION_COOKIE}=${id}; path=/; SameSite=Lax`;
  memory = id;
  return id;
}

/** `url` with `lab_session=<id>` added to its query. */
export function withLabSession(url: string, id = getLabSessionId()): string {
  const parsed = new URL(url);
  parsed.searchParams.set(SESSION_PARAM, id);
  return parsed.href;
}

/**
 * Tags a URL of the tenant with the session in sandbox mode only: the sandbox publishes events for
 * it, while a real Entra tenant has no use for the parameter and should not receive it.
 */
export function tenantUrlWithSession(url: string, mode: 'sandbox' | 'real'): string {
  return mode === 'sandbox' ? withLabSession(url) : url;
}
