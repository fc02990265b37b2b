/**
 * Scope strings as Entra reads them. A resource scope can name its API by App ID URI
 * (`api://…/Tasks.Read`) or by client ID (`d3f3…/Tasks.Read`); the tenant rewrites the second form
 * to the first before oidc-provider sees it, so consent and `scp` come out the same. A bare name
 * names Microsoft Graph.
 */
import { type Directory, type DirectoryApp, defaultDelegatedScopes, OIDC_SCOPES, resources } from './directory.ts';

export const isOidcScope = (scope: string): boolean => (OIDC_SCOPES as readonly string[]).includes(scope);

/**
 * `api://…/Tasks.Read` → `api://…`: Entra names the resource inside the scope. A scope that starts
 * with a resource of the tenant belongs to it, so `api://…/Tasks.Read,api://…/Tasks.ReadWrite`
 * (commas instead of spaces) is one unknown scope of the Tasks API; otherwise the resource is
 * everything before the last slash.
 */
export function resourceOfScope(directory: Directory, scope: string): string | undefined {
  if (isOidcScope(scope)) return undefined;
  const known = resources(directory).find((api) => scope.startsWith(`${api.appIdUri}/`));
  if (known) return known.appIdUri;
  const slash = scope.lastIndexOf('/');
  return slash > 0 ? scope.slice(0, slash) : undefined;
}

/** RFC 6749 §3.3 scope-token characters; anything else is left as sent, for AADSTS70011. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

export interface NormalizeOptions {
  /**
   * Delegated `.default` means "every permission the app registration lists" (Entra's static
   * consent); at /authorize it expands to the delegated scopes the client's registration lists.
   */
  expandDefault?: boolean;
  /** The app asking, whose "API permissions" a delegated `.default` stands for. */
  client?: DirectoryApp;
  /** Drop `offline_access` (a refresh request re-sends it; the grant never holds it). */
  dropOfflineAccess?: boolean;
}

/**
 * One scope in its canonical form: `{App ID URI}/{name}`. The client-ID form is rewritten to the
 * App ID URI, and a bare name (`User.Read`) means Microsoft Graph, as in Entra ("if the resource
 * identifier is omitted in the scope parameter, the resource is assumed to be Microsoft Graph":
 * https://learn.microsoft.com/entra/identity-platform/permissions-consent-overview).
 */
export function canonicalScope(directory: Directory, raw: string): string {
  if (isOidcScope(raw) || !SCOPE_TOKEN.test(raw)) return raw;
  if (!raw.includes('/')) return `${directory.graph.appIdUri}/${raw}`;
  const lower = raw.toLowerCase();
  for (const api of resources(directory)) {
    for (const prefix of [api.clientId, api.appIdUri.toLowerCase()]) {
      if (lower.startsWith(`${prefix}/`)) return `${api.appIdUri}${raw.slice(prefix.length)}`;
    }
  }
  return raw;
}

/** The distinct resources a scope string names (`api://…`, `https://graph.microsoft.com`), in order. */
export function resourcesOfScopes(directory: Directory, scopes: string[]): string[] {
  return [...new Set(scopes.map((scope) => resourceOfScope(directory, scope)).filter((r): r is string => r !== undefined))];
}

export function normalizeScopes(directory: Directory, scope: string | undefined, options: NormalizeOptions = {}): string | undefined {
  if (scope === undefined) return undefined;
  const out = new Set<string>();
  for (const raw of splitScopes(scope)) {
    const value = canonicalScope(directory, raw);
    if (options.dropOfflineAccess && value === 'offline_access') continue;
    const api = options.expandDefault ? resources(directory).find((r) => value === `${r.appIdUri}/.default`) : undefined;
    if (api) {
      for (const delegated of defaultDelegatedScopes(options.client, api)) out.add(delegated.fullName);
      continue;
    }
    out.add(value);
  }
  return [...out].join(' ');
}
