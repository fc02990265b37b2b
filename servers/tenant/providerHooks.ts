/**
 * What the tenant does after oidc-provider answered: token responses and authorize redirects in
 * Entra's shape, errors with Entra's AADSTS codes and JSON, and a protocol event for each leg.
 * Installed as oidc-provider "post middleware" (`provider.use`) plus its error events.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { maskUrl } from '../events/index.ts';
import { requestFacts, sessionFromParams, type TenantContext } from './context.ts';
import { appById } from './directory.ts';
import { renderEntraError } from './entraErrors.ts';
import { mapAuthorizeError, mapTokenError } from './errorMapping.ts';
import { matchRedirectUri } from './redirectUri.ts';
import { publishTokensIssued, type TokenAnswer } from './tokenAnswer.ts';
import { clientInfo } from './tokenShapes.ts';

interface ProviderError {
  error?: string;
  message?: string;
  error_description?: string;
  error_detail?: string;
}

/** The error oidc-provider handled for this request, kept by the error-event listeners. */
const handledErrors = new WeakMap<object, ProviderError>();

function rememberError(ctx: KoaContextWithOIDC, err: ProviderError): void {
  handledErrors.set(ctx, err);
}

async function shapeTokenResponse(ctx: KoaContextWithOIDC, tenant: TenantContext): Promise<void> {
  const facts = requestFacts(ctx.req);
  const params = facts.params ?? {};
  const grantType = params.grant_type;
  const spa = appById(tenant.directory, ctx.oidc.client?.clientId)?.platform === 'spa';
  const body = ctx.body as Record<string, unknown> | undefined;
  const base = {
    leg: grantType === 'refresh_token' ? ('refresh' as const) : ('token' as const),
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    ...(facts.flow ? { flow: facts.flow } : {}),
  };

  if (ctx.status === 200 && body && typeof body.access_token === 'string') {
    const expiresIn = Number(body.expires_in);
    const shaped: TokenAnswer = {
      token_type: 'Bearer',
      // Entra's client-credentials answer has no `scope`; the others list the granted resource scopes.
      ...(grantType === 'client_credentials' || body.scope === undefined ? {} : { scope: String(body.scope) }),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: body.access_token,
    };
    if (typeof body.refresh_token === 'string') {
      shaped.refresh_token = body.refresh_token;
      const refreshToken = spa ? await ctx.oidc.provider.RefreshToken.find(body.refresh_token) : undefined;
      if (refreshToken?.exp) shaped.refresh_token_expires_in = refreshToken.exp - Math.floor(Date.now() / 1000);
    }
    // Issued in Entra's shape already (./idTokens.ts).
    if (typeof body.id_token === 'string') shaped.id_token = body.id_token;
    const accountId =
      ctx.oidc.entities.Grant?.accountId ??
      ctx.oidc.entities.AuthorizationCode?.accountId ??
      ctx.oidc.entities.RefreshToken?.accountId ??
      ctx.oidc.entities.AccessToken?.accountId;
    // MSAL sends client_info=1 and builds the account's home id (oid.tid) from the answer.
    if (params.client_info === '1' && accountId) shaped.client_info = clientInfo(accountId, tenant.directory.tenantId);
    ctx.body = shaped;
    tenant.events.linkGrant(ctx.oidc.entities.Grant?.jti, facts.sessionId);
    publishTokensIssued(tenant, ctx.req, shaped);
    return;
  }

  if (ctx.status >= 400) {
    const err = handledErrors.get(ctx) ?? (body as ProviderError | undefined) ?? {};
    const oauthError = err.error ?? err.message ?? 'invalid_request';
    const mapped = mapTokenError(oauthError, err.error_description, err.error_detail, {
      grantType,
      params,
      spa,
      codeRedirectUri: facts.codeRedirectUri,
      refreshTokenIssuedAt: facts.refreshTokenIssuedAt,
    });
    if (mapped.code === 'AADSTS70000') mapped.params = { ...mapped.params, redirect_uri: params.redirect_uri };
    const rendered = renderEntraError(tenant.catalog, mapped, {
      correlationId: facts.correlationId,
      errorPageOrigin: tenant.config.tenantOrigin,
    });
    ctx.status = rendered.status;
    ctx.type = 'application/json';
    ctx.body = rendered.body;
    tenant.events.publish({
      ...base,
      name: 'token.error',
      summary: `${rendered.status} ${rendered.summary.split(':')[0]} (${rendered.body.error})`,
      http: { method: ctx.method, path: ctx.path, status: rendered.status },
      error: { code: mapped.code, error: rendered.body.error, description: rendered.summary },
    });
  }
}

/** The part of a redirect that carries the response: the query, or the fragment (`response_mode=fragment`). */
function responsePart(url: URL): 'search' | 'hash' {
  const fragment = new URLSearchParams(url.hash.slice(1));
  return fragment.has('code') || fragment.has('error') || fragment.has('state') ? 'hash' : 'search';
}

function shapeAuthorizeRedirect(ctx: KoaContextWithOIDC, tenant: TenantContext): void {
  if (ctx.status !== 302 && ctx.status !== 303) return;
  const location = ctx.response.get('Location');
  const client = ctx.oidc.client;
  if (!location || !client) return;
  const url = URL.parse(location);
  if (!url || matchRedirectUri(`${url.origin}${url.pathname}`, client.redirectUris ?? []) === undefined) return;
  const facts = requestFacts(ctx.req);
  facts.sessionId ??= sessionFromParams(ctx.oidc.params);
  const part = responsePart(url);
  const params = new URLSearchParams(url[part].slice(1));
  // Entra does not send RFC 9207's `iss` on the redirect.
  params.delete('iss');
  const base = {
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    http: { method: ctx.method, path: ctx.path, status: ctx.status },
  };
  if (params.has('code')) {
    tenant.events.linkGrant(ctx.oidc.entities.Grant?.jti, facts.sessionId);
    if (tenant.events.isHeard(facts.sessionId))
      tenant.events.publish({
        ...base,
        name: 'code.issued',
        leg: 'authorize',
        summary: `${ctx.status} to ${url.origin}${url.pathname} with a one-time code`,
        detail: {
          redirect: maskUrl(`${url.origin}${url.pathname}?${params}`),
          pkce: facts.pkcePlain ? 'plain' : 'S256',
          client_id: client.clientId,
        },
      });
  } else if (params.has('error')) {
    const requestParams = (ctx.oidc.params ?? {}) as Record<string, unknown>;
    const mapped = mapAuthorizeError(params.get('error') as string, params.get('error_description'), requestParams);
    const rendered = renderEntraError(tenant.catalog, mapped, {
      correlationId: facts.correlationId,
      errorPageOrigin: tenant.config.tenantOrigin,
    });
    params.set('error', rendered.body.error);
    params.set('error_description', rendered.body.error_description);
    params.set('error_uri', rendered.body.error_uri);
    tenant.events.publish({
      ...base,
      name: 'authorize.error',
      leg: 'authorize',
      summary: `${ctx.status} to ${url.origin}${url.pathname} with error=${rendered.body.error}`,
      error: { code: mapped.code, error: rendered.body.error, description: rendered.summary },
    });
  } else {
    return;
  }
  url[part] = params.toString();
  ctx.set('Location', url.href);
}

export function installProviderHooks(provider: Provider, tenant: TenantContext): void {
  provider.on('grant.error', rememberError);
  provider.on('authorization.error', rememberError);
  provider.on('end_session.error', rememberError);
  provider.on('server_error', (ctx, err) => {
    rememberError(ctx, { error: 'server_error', error_description: err.message });
    console.error('sandbox tenant: oidc-provider server_error', ctx.method, ctx.path, err);
  });
  provider.use(async (ctx, next) => {
    await next();
    const route = (ctx as KoaContextWithOIDC).oidc?.route;
    if (route === 'token') await shapeTokenResponse(ctx as KoaContextWithOIDC, tenant);
    else if (route === 'authorization' || route === 'resume') shapeAuthorizeRedirect(ctx as KoaContextWithOIDC, tenant);
    else if (route === 'end_session_success' || (route === 'end_session_confirm' && ctx.status < 400)) {
      const facts = requestFacts(ctx.req);
      tenant.events.publish({
        name: 'sign-out',
        leg: 'sign-in',
        sessionId: facts.sessionId,
        correlationId: facts.correlationId,
        summary: 'Signed out of the sandbox tenant',
        http: { method: ctx.method, path: ctx.path, status: ctx.status },
      });
    }
  });
}
