/**
 * Which redirect URIs Entra lets an app register, per platform: what the app registration portal
 * (and Microsoft Graph) refuse, so a sandbox directory file cannot hold a URI a real tenant would
 * never accept. Source: "Redirect URI (reply URL) best practices and limitations",
 * https://learn.microsoft.com/entra/identity-platform/reply-url
 *
 * - https is required, except `http://localhost` and `http://127.0.0.1` (Localhost exceptions);
 *   mobile and desktop apps may also use a custom scheme (`msal{client id}://auth`, `myapp://callback`);
 * - at most 256 characters;
 * - none of the special characters `! $ ' ( ) , ;`;
 * - no wildcard: Entra accepts `*` only for web apps that sign in work or school accounts, through
 *   the manifest, and recommends against it; the sandbox matches exactly and takes none;
 * - no fragment (RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component").
 */
import type { Platform } from './directory.ts';

export const MAX_REDIRECT_URI_LENGTH = 256;
export const MAX_REDIRECT_URIS = 256;

const HTTP_LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);
const SPECIAL_CHARACTERS = /[!$'(),;]/;
/** RFC 3986 §3.1 scheme. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Schemes no app may receive a code on. */
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about']);

const PLATFORM_NAMES: Record<Platform, string> = {
  spa: 'single-page application',
  web: 'web',
  publicClient: 'mobile and desktop',
  daemon: 'daemon',
};

/**
 * Why Entra would refuse `uri` as a redirect URI of a `platform` app, with how to fix it;
 * `undefined` when it is acceptable.
 */
export function redirectUriProblem(uri: string, platform: Exclude<Platform, 'daemon'>): string | undefined {
  const kind = PLATFORM_NAMES[platform];
  if (!uri.trim()) return 'is empty. Write the full address the app receives the sign-in response on, e.g. http://localhost:3000/';
  if (uri !== uri.trim() || /\s/.test(uri)) return 'contains spaces. Remove them: Entra compares redirect URIs character for character.';
  if (uri.length > MAX_REDIRECT_URI_LENGTH)
    return `is ${uri.length} characters long; Entra accepts at most ${MAX_REDIRECT_URI_LENGTH}. Shorten the path.`;
  if (uri.includes('*'))
    return `contains a wildcard (*). Entra takes no wildcard in ${kind} redirect URIs (only web apps for work or school accounts may add one through the manifest, and Microsoft advises against it); the sandbox matches exactly. List each address instead.`;
  if (uri.includes('#')) return 'contains a fragment (#…). A redirect URI must not have one (RFC 6749 §3.1.2); remove it.';
  if (SPECIAL_CHARACTERS.test(uri))
    return "contains a character Entra refuses in redirect URIs (! $ ' ( ) , ;). Remove or percent-encode it.";
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return 'is not an absolute URI. Start it with https:// (or http://localhost for local development).';
  if (scheme === 'https' || scheme === 'http') {
    const url = URL.parse(uri);
    if (!url?.hostname) return 'is not a valid URL. Check the host name and port.';
    if (scheme === 'http' && !HTTP_LOOPBACK_HOSTS.has(url.hostname))
      return `uses http:// on ${url.hostname}. Entra accepts http:// only for localhost and 127.0.0.1; use https:// for any other host.`;
    if (platform === 'publicClient' && scheme === 'https' && HTTP_LOOPBACK_HOSTS.has(url.hostname))
      return 'uses https:// on a loopback address. A mobile or desktop app listens on http://localhost (or http://127.0.0.1); use http:// there.';
    return undefined;
  }
  if (platform !== 'publicClient')
    return `uses the custom scheme ${scheme}://. Only mobile and desktop (publicClient) apps may; a ${kind} app needs https:// (or http://localhost).`;
  if (FORBIDDEN_SCHEMES.has(scheme))
    return `uses the ${scheme}: scheme, which cannot receive a sign-in response. Use msal{client id}://auth or your app's own scheme.`;
  return undefined;
}
