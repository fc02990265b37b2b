/**
 * How the lab shows a credential, everywhere it shows one (pages, captures, the tracer's events,
 * widget panels): enough to recognise it, never enough to use it. A screenshot, a capture file or
 * an event stream never carries a working token, code or secret.
 */
import { base64urlEncode } from './base64url.ts';

/** `eyJ0eXAiOi…Qssw5c (1,342 chars)`: the start says it is a JWT, the end tells two tokens apart. */
export function shortenToken(token: string): string {
  if (token.length <= 24) return `${token.slice(0, 4)}…`;
  return `${token.slice(0, 10)}…${token.slice(-6)} (${token.length.toLocaleString('en')} chars)`;
}

/** `Sbx•••••••• (27 chars, masked)`: a secret is never shown, only that one was sent; short ones get no hint. */
export function maskSecret(secret: string): string {
  return `${secret.length > 8 ? secret.slice(0, 3) : ''}${'•'.repeat(8)} (${secret.length} chars, masked)`;
}

/** Parameters whose value is a secret the client holds: masked whole. */
export const SECRET_PARAMS: ReadonlySet<string> = new Set(['client_secret', 'password']);

/** Parameters whose value is a bearer artefact (a token, a one-time code, a verifier): shortened. */
export const BEARER_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'id_token',
  'refresh_token',
  'client_assertion',
  'assertion',
  'id_token_hint',
  'logout_token',
  'code',
  'code_verifier',
  'device_code',
  'session_state',
  'client_info',
]);

/** A form field, JSON member or query parameter as shown. Values already shortened (`…`, `•`) pass through. */
export function maskValue(name: string, value: unknown): unknown {
  if (typeof value !== 'string' || /[…•]/.test(value)) return value;
  if (SECRET_PARAMS.has(name)) return maskSecret(value);
  if (BEARER_PARAMS.has(name)) return shortenToken(value);
  return value;
}

/** A URL with the credentials in its query and fragment masked (a redirect carrying `code=`); relative URLs stay relative. */
export function maskUrl(url: string): string {
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(url);
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return shortenToken(url);
  }
  const masked = (params: URLSearchParams) => {
    for (const [name, value] of [...params]) params.set(name, String(maskValue(name, value)));
    return params.toString();
  };
  if (parsed.search) parsed.search = masked(parsed.searchParams);
  if (parsed.hash.length > 1) parsed.hash = masked(new URLSearchParams(parsed.hash.slice(1)));
  return relative ? parsed.href.slice(parsed.origin.length) : parsed.href;
}

/**
 * A token the lab showed decoded, turned back into the compact form a decoder reads, with an empty
 * signature (`header.claims.`): the content is there, the credential is not.
 */
export function unsignedJwt(token: { header?: Record<string, unknown>; claims?: Record<string, unknown> }): string {
  const encode = (value: unknown) => base64urlEncode(new TextEncoder().encode(JSON.stringify(value ?? {})));
  return `${encode(token.header)}.${encode(token.claims)}.`;
}
