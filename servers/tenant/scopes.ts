/**
 * Scope strings as Entra reads them. A resource scope can name its API by App ID URI
 * (`api://…/Tasks.Read`) or by client ID (`d3f3…/Tasks.Read`); the tenant rewrites the second form
 * to the first before oidc-provider sees it, so consent and `scp` come out the same.
 */
import { type Directory, OIDC_SCOPES } from './directory.ts';

export const isOidcScope = (scope: string): boolean => (OIDC_SCOPES as readonly string[]).includes(scope);

/** `api://…/Tasks.Read` → `api://…`: Entra names the resource inside the scope. */
export function resourceOfScope(scope: string): string | undefined {
  if (isOidcScope(scope)) return undefined;
  const slash = scope.lastIndexOf('/');
  return slash > 0 ? scope.slice(0, slash) : undefined;
}

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

export interface NormalizeOptions {
  /**
   * Delegated `.default` means "every permission the app registration lists" (Entra's static
   * consent); at /authorize it expands to the API's delegated scopes.
   */
  expandDefault?: boolean;
  /** Drop `offline_access` (a refresh request re-sends it; the grant never holds it). */
  dropOfflineAccess?: boolean;
}

export function normalizeScopes(directory: Directory, scope: string | undefined, options: NormalizeOptions = {}): string | undefined {
  if (scope === undefined) return undefined;
  const api = directory.api;
  const out = new Set<string>();
  for (const raw of splitScopes(scope)) {
    let value = raw;
    if (value.toLowerCase().startsWith(`${api.clientId}/`)) value = `${api.appIdUri}${value.slice(api.clientId.length)}`;
    else if (value.toLowerCase().startsWith(`${api.appIdUri.toLowerCase()}/`)) value = `${api.appIdUri}${value.slice(api.appIdUri.length)}`;
    if (options.dropOfflineAccess && value === 'offline_access') continue;
    if (options.expandDefault && value === `${api.appIdUri}/.default`) {
      for (const delegated of api.scopes) out.add(delegated.fullName);
      continue;
    }
    out.add(value);
  }
  return [...out].join(' ');
}
