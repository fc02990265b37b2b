/**
 * Does the tenant answer? Asked before a widget sends the browser (a popup, a redirect) or a
 * request to it: "the tenant did not answer, start the lab" tells the reader much more than a
 * popup showing the browser's "connection refused" page. The discovery document is public and
 * served with CORS for everyone, as Entra's is.
 */

/** The tenant did not answer: the lab is not running, or its tenant is down. */
export class TenantUnreachableError extends Error {
  /** MSAL's code for the same condition, so the sign-in widget explains both alike (explainSignInError). */
  readonly errorCode = 'no_network_connectivity';
  readonly errorMessage: string;
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`The tenant at ${new URL(url).origin} did not answer (${reason}). Is the lab running? Start it with npm start, then try again.`);
    this.name = 'TenantUnreachableError';
    this.errorMessage = this.message;
  }
}

export async function assertTenantReachable(discoveryUrl: string): Promise<void> {
  try {
    const response = await fetch(discoveryUrl, { credentials: 'omit', signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new TenantUnreachableError(discoveryUrl, error);
  }
}
