/**
 * Consent the users have given, per user and app: Entra's delegated permission grants
 * (`oauth2PermissionGrants`). Entra remembers consent in the directory, so a user who accepted
 * once is not asked again in a new browser session; oidc-provider alone would only remember it
 * for the session, so the tenant keeps this record and rebuilds the grant from it.
 */
export interface RememberedConsent {
  /** OpenID Connect scopes (`openid profile`). */
  oidcScopes: Set<string>;
  /** Resource scopes by resource indicator (`api://…` → `api://…/Tasks.Read`). */
  resourceScopes: Map<string, Set<string>>;
}

export class ConsentStore {
  readonly #byUserAndApp = new Map<string, RememberedConsent>();

  #key(oid: string, clientId: string): string {
    return `${oid}|${clientId}`;
  }

  get(oid: string, clientId: string): RememberedConsent | undefined {
    return this.#byUserAndApp.get(this.#key(oid, clientId));
  }

  /** Adds scopes to what the user has consented to for this app (consent only grows, as in Entra). */
  remember(oid: string, clientId: string, oidcScopes: Iterable<string>, resourceScopes: Record<string, Iterable<string>>): void {
    const key = this.#key(oid, clientId);
    const current = this.#byUserAndApp.get(key) ?? { oidcScopes: new Set<string>(), resourceScopes: new Map<string, Set<string>>() };
    for (const scope of oidcScopes) current.oidcScopes.add(scope);
    for (const [resource, scopes] of Object.entries(resourceScopes)) {
      const set = current.resourceScopes.get(resource) ?? new Set<string>();
      for (const scope of scopes) set.add(scope);
      current.resourceScopes.set(resource, set);
    }
    this.#byUserAndApp.set(key, current);
  }

  /** Revokes every consent (the workshop reset). */
  clear(): void {
    this.#byUserAndApp.clear();
  }
}
