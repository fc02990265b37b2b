/**
 * Turns whatever a sign-in step threw into something a reader can act on: the AADSTS entry from the
 * error catalog when Entra (or the sandbox) answered with one, else MSAL.js's own error code
 * (`user_cancelled`, `interaction_required`…) explained here, since those are the library's, not Entra's.
 */
import { parseMsalError } from '../../protocol/aadstsError.ts';
import { type CatalogEntry, type ExplainedError, explainError } from '../shared/errorCatalog.ts';

/** MSAL.js error codes a reader meets in this widget, with what happened and what to do. */
const MSAL_ERRORS: Record<string, { title: string; cause: string; fix: string }> = {
  user_cancelled: {
    title: 'Sign-in cancelled',
    cause: 'The popup was closed before the tenant sent the user back to the app.',
    fix: 'Press Sign in again and finish in the popup, or use the redirect sign-in.',
  },
  popup_window_error: {
    title: 'Popup blocked',
    cause: 'The browser did not let the page open the sign-in popup.',
    fix: 'Allow popups for this site, or use the redirect sign-in.',
  },
  interaction_in_progress: {
    title: 'Another sign-in is still running',
    cause: 'MSAL allows one interactive request at a time per tab; an earlier one has not finished.',
    fix: 'Finish or close the other sign-in (popup or tab), then try again.',
  },
  interaction_required: {
    title: 'The user must sign in again',
    cause: 'MSAL could not get a token silently: the tenant needs the user to interact (sign in, or consent).',
    fix: 'Call an interactive method (loginPopup, acquireTokenRedirect…); this widget falls back to one automatically.',
  },
  consent_required: {
    title: 'Consent needed',
    cause: 'The user (or an admin) has not consented to the permissions the app asks for.',
    fix: 'Sign in interactively and accept the permissions on the consent page.',
  },
  login_required: {
    title: 'No session at the tenant',
    cause: 'A silent request found no signed-in session at the tenant.',
    fix: 'Sign in interactively.',
  },
  no_account_error: {
    title: 'Nobody is signed in',
    cause: 'A token was requested before any account was in MSAL’s cache.',
    fix: 'Press Sign in first.',
  },
  no_tokens_found: {
    title: 'No refresh token in the cache',
    cause: 'MSAL had nothing to refresh with.',
    fix: 'Sign in again to get a new refresh token.',
  },
  endpoints_resolution_error: {
    title: 'The tenant is not reachable',
    cause:
      'MSAL could not reach the authority to read its metadata. The sandbox tenant may not be running, or the configuration names the wrong authority.',
    fix: 'Start the lab with npm start (it starts the sandbox tenant), then reload this page.',
  },
  no_network_connectivity: {
    title: 'The tenant is not reachable',
    cause: 'The request to the tenant failed: it is not running, or the network is down.',
    fix: 'Start the lab with npm start (it starts the sandbox tenant), then try again.',
  },
  authority_uri_insecure: {
    title: 'The authority is not https',
    cause: 'MSAL.js refuses an http authority, even on localhost.',
    fix: 'Name the authority with https and pin its metadata (see src/config/authorityMetadata.ts).',
  },
  timed_out: {
    title: 'The tenant took too long',
    cause: 'The popup or hidden frame did not come back in time.',
    fix: 'Check that the tenant is running and try again.',
  },
};

export function explainSignInError(catalog: CatalogEntry[], error: unknown): ExplainedError {
  const parsed = parseMsalError(error);
  const detail = [parsed.error, parsed.description].filter(Boolean).join(': ');
  if (parsed.code) return explainError(catalog, parsed.code, `Entra error ${parsed.code}`, detail);
  const known = parsed.error ? MSAL_ERRORS[parsed.error] : undefined;
  if (known) return { ...known, known: true, detail };
  if (/failed to fetch|networkerror|load failed/i.test(parsed.description ?? '')) {
    return { ...(MSAL_ERRORS.no_network_connectivity as { title: string; cause: string; fix: string }), known: true, detail };
  }
  return { title: 'Sign-in failed', known: false, detail: detail || 'Unknown error.' };
}
