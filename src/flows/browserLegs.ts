/**
 * What the browser itself sees of a flow. Widgets that run a leg (the PKCE step-through, the
 * side-by-side run, the sign-in widget…) announce it as a DOM event; the flow tracer on the same
 * page merges these with the events the lab's servers publish. In real-tenant mode these are the
 * only legs the lab can see on Entra's side: Entra publishes no events.
 *
 * Nothing sensitive goes in: callers pass values already masked (`shortenToken`, `maskSecret`).
 */

export const BROWSER_LEG_EVENT = 'lab:leg';

export interface LegMessage {
  /** `POST http://…/token`, `302 Found`, `200 OK`… one line. */
  line: string;
  /** Parameters, headers or claims worth showing, already masked. */
  fields?: Record<string, string>;
}

export interface BrowserLeg {
  /** Flow id from content/flows (`auth-code-pkce`, `client-credentials`). */
  flow: string;
  /** The step's `event` name (`token.request`), or its id for steps with no event (`sign-in-click`). */
  event: string;
  /** Who saw it: always `browser` for these. */
  source: 'browser';
  /** The leg ended in an error (the tenant or the API refused). */
  error?: string;
  request?: LegMessage;
  response?: LegMessage;
  /** ms since epoch, from the page clock (for ordering only; never asserted). */
  at: number;
}

export function announceLeg(leg: Omit<BrowserLeg, 'source' | 'at'>, target: EventTarget = document): void {
  target.dispatchEvent(new CustomEvent<BrowserLeg>(BROWSER_LEG_EVENT, { detail: { ...leg, source: 'browser', at: Date.now() } }));
}
