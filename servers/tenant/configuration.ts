/**
 * The oidc-provider configuration that makes it behave like Microsoft Entra ID v2 for the lab's
 * apps. Everything here is configuration of oidc-provider; Entra's request rules that oidc-provider
 * has no setting for live in front of it (`./tokenRequest.ts`, `./authorizeRequest.ts`) and its
 * response shapes after it (`./providerHooks.ts`).
 */
import Provider, { type ClientMetadata, type Configuration, errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { SESSION_PARAM } from '../events/index.ts';
import { JWT_BEARER_GRANT } from './clientAuthentication.ts';
import { COMBINED_CONSENT_PARAM, middleTierConsentCheck } from './combinedConsent.ts';
import type { TenantContext } from './context.ts';
import { requestFacts } from './context.ts';
import { adminConsentedScopes, appById, type DirectoryApp, OIDC_SCOPES, resolveResource, spaApps, userByOid } from './directory.ts';
import { entraError, renderEntraError } from './entraErrors.ts';
import { mapPageError } from './errorMapping.ts';
import { registerOnBehalfOfGrant } from './grants/onBehalfOf.ts';
import { issueEntraIdTokens } from './idTokens.ts';
import { installProviderHooks } from './providerHooks.ts';
import { matchRedirectUri } from './redirectUri.ts';
import { resourceOfScope, resourcesOfScopes, splitScopes } from './scopes.ts';
import {
  accessTokenLifetime,
  ID_TOKEN_LIFETIME_SECONDS,
  pairwiseSubject,
  SPA_REFRESH_TOKEN_LIFETIME_SECONDS,
  shapeAccessToken,
} from './tokenShapes.ts';
import { renderEntraErrorPage } from './views/errorPage.ts';
import { PAGE_SECURITY_HEADERS } from './views/layout.ts';
import { renderSignedOut, renderSignOutConfirm } from './views/signOut.ts';

/** Entra v2 paths, relative to `/{tenant}`. */
export const ENTRA_ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
} as const;

/** Interaction pages (sign-in, consent) live under `/{tenant}/interaction/{uid}`. */
export function interactionPath(tenantId: string, uid: string): string {
  return `/${tenantId}/interaction/${uid}`;
}

/** Throws an oidc-provider error whose description is already Entra's (`AADSTS…: …`). */
function entraProviderError(
  tenant: TenantContext,
  ctx: KoaContextWithOIDC,
  error: ReturnType<typeof entraError>,
  oauthError: string,
): never {
  const { summary } = renderEntraError(tenant.catalog, error, { errorPageOrigin: tenant.config.tenantOrigin });
  switch (oauthError) {
    case 'invalid_scope':
      throw new errors.InvalidScope(summary, String(ctx.oidc.params?.scope ?? ''));
    default:
      throw new errors.CustomOIDCProviderError(oauthError, summary);
  }
}

/** A host no request ever reaches (RFC 2606 §2): oidc-provider wants a sector identifier URI it will not fetch. */
const UNFETCHED_SECTOR = 'https://sector.sandbox.invalid/';

/**
 * An app registration as oidc-provider's client: public clients (SPA, mobile and desktop) use no
 * credential; confidential ones (web, daemon, and an API with a credential of its own, a middle tier
 * such as the Tasks API) present `providerSecret` once the tenant has checked their real credential
 * (`./clientAuthentication.ts`). Any confidential client may use on-behalf-of (`./onBehalfOf.ts`
 * checks the assertion is for it). APIs without a platform or a credential are no clients.
 */
function providerClient(app: DirectoryApp): ClientMetadata | undefined {
  const hasCredential = app.secrets.length > 0 || app.certificates.length > 0 || (app.federatedCredentials?.length ?? 0) > 0;
  if (!app.platform && !hasCredential) return undefined;
  const redirectUris = [...app.redirectUris];
  const hosts = new Set(redirectUris.map((uri) => URL.parse(uri)?.host));
  const base = { client_id: app.clientId, client_name: app.displayName };
  if (app.platform === 'daemon' || !app.platform) {
    return {
      ...base,
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: app.providerSecret,
      // On-behalf-of hands out a refresh token when offline_access is asked for.
      grant_types: ['client_credentials', JWT_BEARER_GRANT, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    };
  }
  const confidential = app.platform === 'web';
  return {
    ...base,
    // oidc-provider's `native` allows a mobile app's custom scheme (`msal{client id}://auth`).
    application_type: redirectUris.every((uri) => /^https?:/.test(uri)) ? 'web' : 'native',
    ...(confidential
      ? { token_endpoint_auth_method: 'client_secret_post', client_secret: app.providerSecret }
      : { token_endpoint_auth_method: 'none' }),
    grant_types: confidential
      ? ['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER_GRANT]
      : ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris.filter((uri) => /^https?:/.test(uri)),
    subject_type: 'pairwise',
    ...(hosts.size > 1 ? { sector_identifier_uri: UNFETCHED_SECTOR } : {}),
  };
}

export function createProvider(tenant: TenantContext, cookieKeys: string[]): Provider {
  const { config, directory, keys, consents, store } = tenant;
  const spaOrigins = new Map(spaApps(directory).map((app) => [app.clientId, new Set(app.redirectUris.map((uri) => new URL(uri).origin))]));

  const configuration: Configuration = {
    adapter: (model: string) => store.adapterFor(model),
    clients: directory.apps.map(providerClient).filter((client) => client !== undefined),
    jwks: keys.providerJwks() as Configuration['jwks'],
    cookies: {
      keys: cookieKeys,
      names: { session: 'sandbox_session', interaction: 'sandbox_interaction', resume: 'sandbox_interaction_resume' },
    },
    routes: ENTRA_ROUTES,
    // Kept with the authorization request, so the sign-in pages and the redirect after them know
    // which browser session's tracer to tell (see servers/events/session.ts).
    extraParams: [SESSION_PARAM, COMBINED_CONSENT_PARAM],
    responseTypes: ['code'],
    scopes: [...OIDC_SCOPES],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'oid'], email: ['email'] },
    // Entra's ID tokens carry the profile claims directly, not only at a userinfo endpoint.
    conformIdTokenClaims: false,
    subjectTypes: ['public', 'pairwise'],
    // The sector of a pairwise `sub` is the app itself (pairwiseSubject below), so the
    // sector_identifier_uri an app with redirect URIs on several hosts needs is never fetched.
    sectorIdentifierUriValidate: () => false,
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSubject(directory.tenantId, client.clientId, accountId),
    findAccount: (_ctx, id) => {
      const user = userByOid(directory, id);
      if (!user) return undefined;
      return {
        accountId: user.oid,
        claims: () => ({ sub: user.oid, name: user.name, preferred_username: user.preferredUsername, oid: user.oid }),
      };
    },
    // Entra requires PKCE from SPAs when the code is redeemed (AADSTS9002325), not at /authorize;
    // `./tokenRequest.ts` checks it there.
    pkce: { required: () => false },
    // Entra requires redirect_uri when a code is redeemed.
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      userinfo: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.set(PAGE_SECURITY_HEADERS);
          ctx.body = renderSignOutConfirm(tenant.tenantLabel, form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.set(PAGE_SECURITY_HEADERS);
          ctx.body = renderSignedOut(tenant.tenantLabel);
        },
      },
      resourceIndicators: {
        enabled: true,
        // /authorize takes the scopes of several resources (up-front consent); /token issues a token
        // for one of them, named by the token request's scope (./tokenRequest.ts refuses two).
        defaultResource: (ctx, _client, oneOf) => {
          const named = resourcesOfScopes(directory, splitScopes(String(ctx.oidc.params?.scope ?? '')));
          if (oneOf) return named.find((resource) => oneOf.includes(resource)) ?? (oneOf[0] as string);
          return named.length > 1 ? named : (named[0] as string);
        },
        getResourceServerInfo: (ctx, indicator) => {
          const api = resolveResource(directory, indicator);
          if (!api) {
            entraProviderError(
              tenant,
              ctx,
              entraError('AADSTS500011', { resource: indicator, tenant: directory.tenantDomain }),
              'invalid_resource',
            );
          }
          if (ctx.oidc.route === 'authorization') {
            const known = new Set([...api.scopes.map((s) => s.fullName), `${api.appIdUri}/.default`]);
            const unknown = splitScopes(String(ctx.oidc.params?.scope ?? '')).find(
              (scope) => resourceOfScope(directory, scope) === indicator && !known.has(scope),
            );
            if (unknown) {
              const params = { app_name: ctx.oidc.client?.clientName, scope: unknown.slice(indicator.length + 1), resource: api.clientId };
              entraProviderError(tenant, ctx, entraError('AADSTS650053', params), 'invalid_client');
            }
          }
          return {
            scope: [...api.scopes.map((s) => s.fullName), `${api.appIdUri}/.default`].join(' '),
            audience: api.clientId,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
        // The code and refresh-token grants reuse the resource the user consented to.
        useGrantedResource: () => true,
      },
    },
    formats: {
      customizers: {
        jwt: (ctx, token, jwt) => {
          shapeAccessToken(
            directory,
            {
              kind: token.kind,
              clientId: token.clientId as string,
              accountId: (token as { accountId?: string }).accountId,
              azpacr: requestFacts(ctx.req).azpacr ?? '0',
            },
            jwt as { header?: Record<string, unknown>; payload: Record<string, unknown> },
          );
        },
      },
    },
    ttl: {
      AccessToken: () => accessTokenLifetime(),
      ClientCredentials: () => accessTokenLifetime(),
      // Entra's codes live about ten minutes.
      AuthorizationCode: 10 * 60,
      IdToken: ID_TOKEN_LIFETIME_SECONDS,
      Interaction: 60 * 60,
      Session: 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      RefreshToken: (ctx, _token, client) => {
        if (appById(directory, client.clientId)?.platform !== 'spa') return 90 * 24 * 60 * 60;
        // A SPA's refresh token lives 24 hours from sign-in; redeeming it does not extend that.
        return ctx?.oidc.entities.RotatedRefreshToken?.remainingTTL ?? SPA_REFRESH_TOKEN_LIFETIME_SECONDS;
      },
    },
    // Entra answers every refresh with a new refresh token; the used one stays valid (./adapter.ts).
    rotateRefreshToken: true,
    // Entra tokens outlive the browser session that produced them.
    expiresWithSession: () => false,
    // Entra issues refresh tokens when MSAL asks with `offline_access`; oidc-provider would drop
    // `offline_access` without `prompt=consent` (OpenID Connect Core §11), which MSAL never sends.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, origin, client) => spaOrigins.get(client.clientId)?.has(origin) === true,
    interactions: {
      url: (_ctx, interaction) => interactionPath(directory.tenantId, interaction.uid),
      policy: (() => {
        const policy = interactionPolicy.base();
        // MSAL often sends prompt=select_account; the sign-in page stands in for Entra's account picker.
        policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
        // Combined consent: the SPA's consent page also asks for what the Tasks API needs on-behalf-of.
        policy.get('consent')?.checks.add(middleTierConsentCheck(tenant));
        return policy;
      })(),
    },
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client?.clientId as string;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (grantId) {
        const grant = await Grant.find(grantId);
        if (grant) return grant;
      }
      // Consent given in an earlier session is remembered per user and app, as Entra does; an
      // administrator's consent ("Grant admin consent") counts for every user.
      const accountId = ctx.oidc.session?.accountId;
      const remembered = accountId ? consents.get(accountId, clientId) : undefined;
      const admin = adminConsentedScopes(directory, appById(directory, clientId));
      if (!accountId || (!remembered && !admin.oidcScopes.size && !admin.resourceScopes.size)) return undefined;
      const grant = new Grant({ accountId, clientId });
      for (const granted of [admin, remembered]) {
        if (!granted) continue;
        if (granted.oidcScopes.size) grant.addOIDCScope([...granted.oidcScopes].join(' '));
        for (const [resource, scopes] of granted.resourceScopes) grant.addResourceScope(resource, [...scopes].join(' '));
      }
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      const facts = requestFacts(ctx.req);
      const error = mapPageError(tenant, out.error, out.error_description, ctx.oidc?.params as Record<string, unknown> | undefined);
      const rendered = renderEntraError(tenant.catalog, error, {
        correlationId: facts.correlationId,
        errorPageOrigin: config.tenantOrigin,
      });
      ctx.type = 'html';
      ctx.set(PAGE_SECURITY_HEADERS);
      ctx.body = renderEntraErrorPage(tenant.tenantLabel, rendered);
      tenant.events.publish({
        name: 'authorize.error',
        leg: 'authorize',
        sessionId: facts.sessionId,
        correlationId: facts.correlationId,
        summary: `Error page: ${rendered.summary.split(':')[0]} (no redirect)`,
        http: { method: ctx.method, path: ctx.path, status: ctx.status },
        error: { code: error.code, error: rendered.body.error, description: rendered.summary },
      });
    },
  };

  const provider = new Provider(config.tenant.issuer, configuration);
  // Entra ignores the port of a loopback redirect URI (./redirectUri.ts); oidc-provider does that
  // for native apps only, and the lab's SPA is a web app to it. Sign-out URIs match the same way.
  const clientModel = provider.Client.prototype;
  clientModel.redirectUriAllowed = function (value: string) {
    return matchRedirectUri(value, this.redirectUris ?? []) !== undefined;
  };
  clientModel.postLogoutRedirectUriAllowed = function (value: string) {
    return matchRedirectUri(value, this.postLogoutRedirectUris ?? []) !== undefined;
  };
  // oidc-provider has no jwt-bearer grant: Entra's on-behalf-of is registered as a custom grant.
  registerOnBehalfOfGrant(provider);
  issueEntraIdTokens(provider, tenant);
  installProviderHooks(provider, tenant);
  return provider;
}
