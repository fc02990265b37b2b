/**
 * Shortens a token or secret for display: enough to recognise it, not enough to use it.
 * Requests shown on the page go through these, so a screenshot never leaks a working token.
 */

/** `eyJ0eXAiOi…Qssw5c (1,342 chars)`: the start says it is a JWT, the end tells two tokens apart. */
export function shortenToken(token: string): string {
  if (token.length <= 24) return `${token.slice(0, 4)}…`;
  return `${token.slice(0, 10)}…${token.slice(-6)} (${token.length.toLocaleString('en')} chars)`;
}

/** `Sbx8Q~…` plus a count: a secret is never shown, only that one was sent. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 3)}${'•'.repeat(8)} (${secret.length} chars, masked)`;
}
