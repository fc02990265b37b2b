/**
 * Redirect URI matching as Entra does it: an exact, case-sensitive string match against the
 * registered list (scheme, host, path, case and trailing slash all count), except that the port of
 * a loopback URI (`localhost`, `127.0.0.1`) is ignored.
 *
 * Source: https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
 * ("the port component … is ignored for the purposes of matching a redirect URI": `http://localhost/MyApp`
 * and `http://localhost:5000/MyApp` are equivalent). The IPv6 loopback `[::1]` is "not currently
 * supported" there, so it gets no exception here either.
 */

/** Hosts whose port Entra ignores when it matches a redirect URI. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/**
 * The URI as written, without the port of its authority when the host is a loopback host;
 * `undefined` for anything else. The rest stays byte for byte, so case and trailing slashes still count.
 */
export function withoutLoopbackPort(uri: string): string | undefined {
  const match = /^(https?):\/\/([^/?#:@]+)(?::(\d*))?([/?#].*)?$/.exec(uri);
  if (!match) return undefined;
  const [, scheme, host = '', , rest = ''] = match;
  if (!LOOPBACK_HOSTS.has(host)) return undefined;
  return `${scheme}://${host}${rest}`;
}

/**
 * A URI with no path segment gets the path `/`: Entra returns such a registered URI "with a trailing
 * slash" (`http://localhost:7071` → `http://localhost:7071/`, same page, first section), so MSAL's
 * desktop loopback `http://localhost:{port}/` matches a registered `http://localhost`.
 */
function withRootPath(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*$/i.test(uri) ? `${uri}/` : uri;
}

/** The registered URI the request's `redirect_uri` matches, or `undefined` (AADSTS50011). */
export function matchRedirectUri(requested: string, registered: readonly string[]): string | undefined {
  if (registered.includes(requested)) return requested;
  const wanted = withRootPath(requested);
  const exact = registered.find((uri) => withRootPath(uri) === wanted);
  if (exact !== undefined) return exact;
  const loopback = withoutLoopbackPort(wanted);
  if (loopback === undefined) return undefined;
  return registered.find((uri) => withoutLoopbackPort(withRootPath(uri)) === loopback);
}
