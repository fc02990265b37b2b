/**
 * The browser session id that scopes protocol events (src/contracts/protocolEvents.ts): random, one per
 * tab session, so one attendee's tracer never shows another's legs. Widgets attach it to every leg
 * they start: `lab_session` in the query of /authorize, /token and the API (the servers read the
 * query first, and a query parameter needs no CORS preflight), and a cookie for top-level
 * navigations to the tenant (cookies ignore ports, so one set on the site's host reaches it).
 * The id is derived from a secret key that never leaves the tab except to the lab's own endpoints
 * that read the session (the event stream, the workshop's routes): see `sessionIdOfKey`.
 */
import type { LabMode } from '../config/lab.ts';
import { isSessionId, SESSION_COOKIE, SESSION_PARAM, sessionIdOfKey } from '../contracts/protocolEvents.ts';

const STORAGE_KEY = 'entra-flows-lab.session-key';

let memory: { key: string; id: string } | undefined;

/** This tab's session: its secret key (kept in sessionStorage, this origin only) and the id derived from it. */
function labSession(): { key: string; id: string } {
  if (memory) return memory;
  let key: string | null = null;
  try {
    key = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // storage blocked: a per-page key still scopes this page's events
  }
  if (!isSessionId(key) || key.length < 32) {
    key = `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '');
    try {
      sessionStorage.setItem(STORAGE_KEY, key);
    } catch {}
  }
  const id = sessionIdOfKey(key);
  // Only the id goes in the cookie (for top-level navigations to the tenant): cookies ignore ports,
  // so any page on localhost can read it, and it grants nothing. The key never goes in a cookie.
  // biome-ignore lint/suspicious/noDocumentCookie: synchronous on purpose, so the cookie is set before the click opens the tenant; the id is [A-Za-z0-9_-] only, nothing to escape.
  document.cookie = `${SESSION_COOKIE}=${id}; path=/; SameSite=Lax`;
  memory = { key, id };
  return memory;
}

/** The id that tags the legs this tab starts (in URLs, headers and the tracer; it grants nothing). */
export function getLabSessionId(): string {
  return labSession().id;
}

/** The secret that reads this tab's events and acts as its session; sent only to the lab's own endpoints. */
export function getLabSessionKey(): string {
  return labSession().key;
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
export function tenantUrlWithSession(url: string, mode: LabMode): string {
  return mode === 'sandbox' ? withLabSession(url) : url;
}
