/**
 * Runs the front-channel half of Authorization Code + PKCE in a popup, the way MSAL.js's
 * `loginPopup` does: the popup goes to /authorize, the user signs in on the tenant's own page, the
 * tenant redirects to the registered redirect URI (`/redirect.html`) with `code` and `state` (or
 * `error`), and the redirect bridge there posts that query string back to this page.
 *
 * Two ways back, because the bridge page belongs to the sign-in widget: the BroadcastChannel the
 * bridge posts on, and, as a fallback, reading the popup's URL once it is back on this origin.
 */

import { libraryStateId } from '../../flows/auth-code-pkce/authorizeRequest.ts';
import { assertTenantReachable } from '../../flows/tenantReachable.ts';
import { setBusy } from '../shared/dom.ts';

export class AuthorizeError extends Error {
  /** `popup_blocked`, `user_cancelled`, `timed_out`: MSAL's names for the same situations. */
  readonly code: 'popup_blocked' | 'user_cancelled' | 'timed_out' | 'state_mismatch' | 'tenant_unreachable';
  constructor(code: AuthorizeError['code'], message: string) {
    super(message);
    this.name = 'AuthorizeError';
    this.code = code;
  }
}

/** Opens the popup now, while the click that asked for it is still being handled (popup blockers). */
export function openAuthorizePopup(): Window {
  const width = 520;
  const height = 680;
  const left = Math.max(0, (screen.availWidth - width) / 2);
  const top = Math.max(0, (screen.availHeight - height) / 2);
  const popup = window.open('about:blank', 'lab-authorize', `popup=yes,width=${width},height=${height},left=${left},top=${top}`);
  if (!popup) {
    throw new AuthorizeError('popup_blocked', 'The browser blocked the sign-in popup. Allow popups for this site, then try again.');
  }
  return popup;
}

/**
 * A button's sign-in: opens the popup now (while the click still counts as a user gesture), keeps
 * `button` busy while `run` uses it, and says in `status` what the user should do, or that the
 * browser blocked the popup (then nothing runs).
 */
export async function withAuthorizePopup(
  button: HTMLButtonElement,
  status: HTMLElement,
  labels: { busy: string; prompt: string },
  run: (popup: Window) => Promise<void>,
): Promise<void> {
  let popup: Window;
  try {
    popup = openAuthorizePopup();
  } catch (error) {
    status.textContent = (error as Error).message;
    return;
  }
  setBusy(button, true, labels.busy);
  status.textContent = labels.prompt;
  try {
    await run(popup);
  } finally {
    setBusy(button, false, labels.busy);
  }
}

/** Checks the tenant answers before the popup is sent to it (src/flows/tenantReachable.ts); if not, closes the popup. */
export async function checkTenantBeforePopup(discoveryUrl: string, popup?: Window): Promise<void> {
  try {
    await assertTenantReachable(discoveryUrl);
  } catch (error) {
    popup?.close();
    throw new AuthorizeError('tenant_unreachable', (error as Error).message);
  }
}

function responseFromPopup(popup: Window): URLSearchParams | undefined {
  try {
    if (popup.location.origin !== window.location.origin) return undefined;
    for (const part of [popup.location.search, popup.location.hash]) {
      const params = new URLSearchParams(part.slice(1));
      if (params.has('state')) return params;
    }
  } catch {
    // Cross-origin (still on the tenant's pages): reading its location throws until it comes back.
  }
  return undefined;
}

/**
 * Sends the popup to `authorizeUrl` and resolves with the authorization response parameters
 * (RFC 6749 §4.1.2: `code` and `state`, or §4.1.2.1: `error` and `error_description`).
 */
export function authorizeInPopup(popup: Window, authorizeUrl: string, timeoutMs = 5 * 60_000): Promise<URLSearchParams> {
  const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
  const channelName = libraryStateId(state);
  return new Promise((resolve, reject) => {
    const channel = channelName ? new BroadcastChannel(channelName) : undefined;
    const started = Date.now();
    let timer: ReturnType<typeof setInterval> | undefined;
    const finish = (result: URLSearchParams | AuthorizeError) => {
      clearInterval(timer);
      channel?.close();
      try {
        popup.close();
      } catch {}
      if (result instanceof AuthorizeError) return reject(result);
      // RFC 6749 §10.12: only accept the response to the request this page sent.
      if (result.get('state') !== state) {
        return reject(
          new AuthorizeError('state_mismatch', 'The response carries a state this page did not send; it was ignored (RFC 6749 §10.12).'),
        );
      }
      resolve(result);
    };
    channel?.addEventListener('message', (event: MessageEvent<{ payload?: string }>) => {
      if (typeof event.data?.payload === 'string') finish(new URLSearchParams(event.data.payload));
    });
    timer = setInterval(() => {
      const params = responseFromPopup(popup);
      if (params) return finish(params);
      if (popup.closed) {
        // The bridge closes the popup right after posting; give the message a moment to arrive.
        setTimeout(() => finish(new AuthorizeError('user_cancelled', 'The sign-in window was closed before the tenant sent a code.')), 300);
        clearInterval(timer);
        return;
      }
      if (Date.now() - started > timeoutMs) finish(new AuthorizeError('timed_out', 'No answer from the sign-in window in 5 minutes.'));
    }, 100);
    popup.location.href = authorizeUrl;
  });
}
