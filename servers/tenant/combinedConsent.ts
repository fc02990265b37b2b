/**
 * Combined consent, Entra's answer to "the middle tier has no page to ask the user on": a middle-tier
 * API lists the client in `knownClientApplications`, the client asks for the middle tier's `/.default`
 * at /authorize, and the one consent page also asks for the delegated permissions the middle tier's
 * registration lists (its API permissions). Accepting records consent for both apps, and
 * on-behalf-of works. Any API in the directory can be a middle tier: the Tasks API is the built-in one.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 *
 * The authorization request is marked (`sandbox_combined_consent`, set only here, never taken from
 * the browser) before oidc-provider keeps its parameters, so the consent prompt and page see it.
 */
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { TenantContext } from './context.ts';
import { adminConsentedScopes, type Directory, type DirectoryResource, resolveResource, resources } from './directory.ts';
import { canonicalScope, isOidcScope, splitScopes } from './scopes.ts';

/** Kept with the authorization request (oidc-provider `extraParams`): the middle tiers (client IDs) whose permissions join the consent. */
export const COMBINED_CONSENT_PARAM = 'sandbox_combined_consent';

/** Marks an authorization request whose scope asks for the `/.default` of middle tiers that list the client as known. */
export function markCombinedConsent(directory: Directory, query: URLSearchParams): void {
  query.delete(COMBINED_CONSENT_PARAM);
  const clientId = (query.get('client_id') ?? '').toLowerCase();
  const asked = new Set(splitScopes(query.get('scope') ?? '').map((scope) => canonicalScope(directory, scope)));
  const middleTiers = resources(directory).filter(
    (api) => api.knownClientApplications?.some((known) => known.toLowerCase() === clientId) && asked.has(`${api.appIdUri}/.default`),
  );
  if (middleTiers.length) query.set(COMBINED_CONSENT_PARAM, middleTiers.map((api) => api.clientId).join(' '));
}

export interface MiddleTierConsent {
  clientId: string;
  displayName: string;
  /** Downstream resource → the full scope names still to consent to. */
  resourceScopes: Record<string, string[]>;
}

/** The delegated permissions a middle tier's registration lists, by downstream API, as full scope names. */
function listedDelegatedScopes(directory: Directory, middleTier: DirectoryResource): Map<string, string[]> {
  const listed = new Map<string, string[]>();
  for (const permission of middleTier.permissions) {
    const api = resolveResource(directory, permission.resource);
    if (!api) continue;
    const exposed = new Set(api.scopes.map((scope) => scope.value));
    const scopes = permission.delegated
      .filter((value) => !isOidcScope(value) && exposed.has(value))
      .map((value) => `${api.appIdUri}/${value}`);
    if (scopes.length) listed.set(api.appIdUri, [...(listed.get(api.appIdUri) ?? []), ...scopes]);
  }
  return listed;
}

/** What the marked middle tiers still need the user's consent for (empty: nothing). */
export function missingMiddleTierConsent(
  tenant: TenantContext,
  params: Record<string, unknown> | undefined,
  accountId: string | undefined,
): MiddleTierConsent[] {
  const marked = params?.[COMBINED_CONSENT_PARAM];
  if (!accountId || typeof marked !== 'string') return [];
  const { directory } = tenant;
  const missing: MiddleTierConsent[] = [];
  for (const clientId of marked.split(' ')) {
    const middleTier = resources(directory).find((api) => api.clientId === clientId);
    if (!middleTier) continue;
    const given = tenant.consents.get(accountId, middleTier.clientId);
    const admin = adminConsentedScopes(directory, middleTier).resourceScopes;
    const resourceScopes: Record<string, string[]> = {};
    for (const [resource, scopes] of listedDelegatedScopes(directory, middleTier)) {
      const still = scopes.filter((scope) => !given?.resourceScopes.get(resource)?.has(scope) && !admin.get(resource)?.has(scope));
      if (still.length) resourceScopes[resource] = still;
    }
    if (Object.keys(resourceScopes).length)
      missing.push({ clientId: middleTier.clientId, displayName: middleTier.displayName, resourceScopes });
  }
  return missing;
}

/** A check of oidc-provider's consent prompt: a known client's sign-in asks for the middle tier's consent too. */
export function middleTierConsentCheck(tenant: TenantContext): InstanceType<typeof interactionPolicy.Check> {
  return new interactionPolicy.Check('middle_tier_consent_missing', 'the middle tier has no consent for its downstream API', (ctx) => {
    const { oidc } = ctx as KoaContextWithOIDC;
    if (oidc.result?.consent) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return missingMiddleTierConsent(tenant, oidc.params as Record<string, unknown>, oidc.session?.accountId).length
      ? interactionPolicy.Check.REQUEST_PROMPT
      : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  });
}
