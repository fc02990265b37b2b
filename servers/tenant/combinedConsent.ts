/**
 * Combined consent, Entra's answer to "the middle tier has no page to ask the user on": a middle-tier
 * API lists the client in `knownClientApplications`, the client asks for the middle tier's `/.default`
 * at /authorize, and the one consent page also asks for the permissions the middle tier needs
 * downstream. Accepting records consent for both apps, and on-behalf-of works.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 *
 * The authorization request is marked (`sandbox_combined_consent`, set only here, never taken from
 * the browser) before oidc-provider keeps its parameters, so the consent prompt and page see it.
 */
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { TenantContext } from './context.ts';
import type { Directory } from './directory.ts';
import { canonicalScope, splitScopes } from './scopes.ts';

/** Kept with the authorization request (oidc-provider `extraParams`): the middle tier whose permissions join the consent. */
export const COMBINED_CONSENT_PARAM = 'sandbox_combined_consent';

/** Marks an authorization request whose scope asks for a middle tier's `/.default` by one of its known clients. */
export function markCombinedConsent(directory: Directory, query: URLSearchParams): void {
  query.delete(COMBINED_CONSENT_PARAM);
  const clientId = query.get('client_id') ?? '';
  const middleTier = directory.api;
  if (!middleTier.knownClientApplications.includes(clientId)) return;
  const asksDefault = splitScopes(query.get('scope') ?? '').some(
    (scope) => canonicalScope(directory, scope) === `${middleTier.appIdUri}/.default`,
  );
  if (asksDefault) query.set(COMBINED_CONSENT_PARAM, middleTier.clientId);
}

export interface MiddleTierConsent {
  clientId: string;
  displayName: string;
  /** Downstream resource → the full scope names still to consent to. */
  resourceScopes: Record<string, string[]>;
}

/** What the marked middle tier still needs the user's consent for (undefined: nothing). */
export function missingMiddleTierConsent(
  tenant: TenantContext,
  params: Record<string, unknown> | undefined,
  accountId: string | undefined,
): MiddleTierConsent | undefined {
  const middleTier = tenant.directory.api;
  if (!accountId || params?.[COMBINED_CONSENT_PARAM] !== middleTier.clientId) return undefined;
  const given = tenant.consents.get(accountId, middleTier.clientId);
  const resourceScopes: Record<string, string[]> = {};
  for (const [resource, scopes] of middleTier.requiredPermissions) {
    const missing = scopes.filter((scope) => !given?.resourceScopes.get(resource)?.has(scope));
    if (missing.length) resourceScopes[resource] = missing;
  }
  if (Object.keys(resourceScopes).length === 0) return undefined;
  return { clientId: middleTier.clientId, displayName: middleTier.displayName, resourceScopes };
}

/** A check of oidc-provider's consent prompt: a known client's sign-in asks for the middle tier's consent too. */
export function middleTierConsentCheck(tenant: TenantContext): InstanceType<typeof interactionPolicy.Check> {
  return new interactionPolicy.Check('middle_tier_consent_missing', 'the middle tier has no consent for its downstream API', (ctx) => {
    const { oidc } = ctx as KoaContextWithOIDC;
    if (oidc.result?.consent) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return missingMiddleTierConsent(tenant, oidc.params as Record<string, unknown>, oidc.session?.accountId)
      ? interactionPolicy.Check.REQUEST_PROMPT
      : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  });
}
