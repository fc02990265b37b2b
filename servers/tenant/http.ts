/**
 * The tenant's HTTP front: Entra's URL layout (`/{tenant}/…`) mapped onto oidc-provider, plus the
 * documents and pages the tenant serves itself.
 *
 *   /{tenant}/v2.0/.well-known/openid-configuration   discovery (Entra's field set)
 *   /{tenant}/discovery/v2.0/keys                     JWKS (Entra's shape)
 *   /{tenant}/oauth2/v2.0/authorize                   oidc-provider, after ./authorizeRequest.ts
 *   /{tenant}/oauth2/v2.0/token                       oidc-provider, after ./tokenRequest.ts
 *   /{tenant}/oauth2/v2.0/logout                      oidc-provider
 *   /{tenant}/interaction/{uid}                       sign-in and consent pages
 *   /_lab/events                                      protocol events (Server-Sent Events)
 *   /_sandbox/…                                       loopback-only administration
 *   /error?code=N                                     what an AADSTS code means (Entra's error_uri)
 *
 * `{tenant}` is the tenant ID or its domain; any other value is Entra's AADSTS90002.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENTS_PATH, handleEventStream, maskParams } from '../events/index.ts';
import { ADMIN_PREFIX, type AdminActions, handleAdmin } from './admin.ts';
import { prepareAuthorizeRequest, prepareLogoutRequest } from './authorizeRequest.ts';
import { requestFacts, type TenantContext } from './context.ts';
import { appById } from './directory.ts';
import { discoveryDocument, jwksDocument, METADATA_HEADERS } from './discovery.ts';
import { type EntraError, entraError, renderEntraError } from './entraErrors.ts';
import { readForm } from './form.ts';
import { handleInteraction } from './interactions.ts';
import { precheckTokenRequest } from './tokenRequest.ts';
import { renderEntraErrorPage } from './views/errorPage.ts';
import { html } from './views/html.ts';
import { PAGE_SECURITY_HEADERS, renderPage } from './views/layout.ts';

/** Entra's multi-tenant endpoint aliases, which the sandbox's single-tenant apps cannot use. */
const MULTI_TENANT_ALIASES = new Set(['common', 'organizations']);

type Endpoint = 'discovery' | 'jwks' | 'authorize' | 'token' | 'logout' | 'provider' | 'interaction' | 'not-in-sandbox';

/** Which endpoint a path below `/{tenant}` names. */
function classify(rest: string): Endpoint | undefined {
  if (rest === '/v2.0/.well-known/openid-configuration') return 'discovery';
  if (rest === '/discovery/v2.0/keys') return 'jwks';
  if (rest === '/oauth2/v2.0/authorize') return 'authorize';
  if (rest === '/oauth2/v2.0/token') return 'token';
  if (rest === '/oauth2/v2.0/logout') return 'logout';
  // oidc-provider's own follow-up routes: resuming an authorization, confirming a logout.
  if (/^\/oauth2\/v2\.0\/authorize\/[\w-]+$/.test(rest) || /^\/oauth2\/v2\.0\/logout\/(confirm|success)$/.test(rest)) return 'provider';
  if (/^\/interaction\/[\w-]+(\/(login|consent))?$/.test(rest)) return 'interaction';
  // Entra endpoints the sandbox does not implement: v1, device code, Kerberos.
  if (
    /^\/(oauth2\/(authorize|token|logout|v2\.0\/devicecode|devicecode)|\.well-known\/openid-configuration|discovery\/keys|kerberos)$/.test(
      rest,
    )
  ) {
    return 'not-in-sandbox';
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function createTenantHandler(
  tenant: TenantContext,
  admin: AdminActions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, directory } = tenant;
  const tenantAliases = new Set([directory.tenantId, directory.tenantDomain.toLowerCase()]);
  const spaOrigins = new Set(directory.spa.redirectUris.map((uri) => new URL(uri).origin));

  const render = (req: IncomingMessage, error: EntraError) =>
    renderEntraError(tenant.catalog, error, { correlationId: requestFacts(req).correlationId, errorPageOrigin: config.tenantOrigin });

  /** Token-endpoint errors the tenant answers itself, readable by the SPA's origin (CORS). */
  function sendTokenError(req: IncomingMessage, res: ServerResponse, error: EntraError): void {
    const rendered = render(req, error);
    const origin = req.headers.origin;
    sendJson(
      res,
      rendered.status,
      rendered.body,
      origin && spaOrigins.has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {},
    );
    const facts = requestFacts(req);
    tenant.events.publish({
      name: 'token.error',
      leg: facts.params?.grant_type === 'refresh_token' ? 'refresh' : 'token',
      sessionId: facts.sessionId,
      correlationId: facts.correlationId,
      summary: `${rendered.status} ${error.code} (${rendered.body.error})`,
      http: { method: req.method ?? 'POST', path: '/oauth2/v2.0/token', status: rendered.status },
      error: { code: error.code, error: rendered.body.error, description: rendered.summary },
    });
  }

  function sendErrorPage(req: IncomingMessage, res: ServerResponse, error: EntraError): void {
    const rendered = render(req, error);
    res.writeHead(rendered.status, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(renderEntraErrorPage(tenant.tenantLabel, rendered));
  }

  /** Hands the request to oidc-provider as if it were mounted at `/{tenant}` (see the spike notes). */
  function forward(req: IncomingMessage, res: ServerResponse, segment: string, inner: string): void {
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `/${segment}${inner}`;
    req.url = inner;
    tenant.providerCallback()(req, res);
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse, url: URL, segment: string, rest: string): Promise<void> {
    if (req.method === 'OPTIONS') return forward(req, res, segment, rest + url.search);
    if (req.method !== 'POST') return sendTokenError(req, res, entraError('AADSTS900561', { allowed_methods: 'POST', method: req.method }));
    const form = await readForm(req);
    if (!form.ok) {
      if (form.problem === 'too-large') return sendTokenError(req, res, entraError('AADSTS9002313', {}, { status: 413 }));
      // Entra reads only form bodies: a JSON body has no grant_type as far as it is concerned.
      if (form.problem === 'not-form') return sendTokenError(req, res, entraError('AADSTS900144', { param: 'grant_type' }));
      return sendTokenError(req, res, entraError('AADSTS9002313'));
    }
    const facts = requestFacts(req);
    facts.params = form.params;
    const check = await precheckTokenRequest(tenant, req, url, form.params);
    tenant.events.publish({
      name: 'token.request',
      leg: form.params.grant_type === 'refresh_token' ? 'refresh' : 'token',
      sessionId: facts.sessionId,
      correlationId: facts.correlationId,
      summary: `POST /oauth2/v2.0/token (${form.params.grant_type ?? 'no grant_type'})`,
      http: { method: 'POST', path: url.pathname },
      detail: { ...maskParams(form.params), origin: req.headers.origin ?? '(none)' },
    });
    if (!check.ok) return sendTokenError(req, res, check.error);
    (req as IncomingMessage & { body?: unknown }).body = check.forward;
    delete req.headers.authorization;
    forward(req, res, segment, rest + url.search);
  }

  function sendMetadata(req: IncomingMessage, res: ServerResponse, url: URL, kind: 'discovery' | 'jwks'): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'Only GET is supported here.' }, { Allow: 'GET, HEAD' });
      return;
    }
    const body = kind === 'discovery' ? discoveryDocument(config) : jwksDocument(config, tenant.keys);
    res.writeHead(200, METADATA_HEADERS);
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    const facts = requestFacts(req);
    tenant.events.publish({
      name: kind === 'discovery' ? 'discovery.fetch' : 'jwks.fetch',
      leg: kind === 'discovery' ? 'config' : 'jwks',
      sessionId: facts.sessionId,
      summary: `GET ${url.pathname}`,
      http: { method: req.method, path: url.pathname, status: 200 },
      detail: kind === 'jwks' ? { kids: (body as { keys: { kid: string }[] }).keys.map((k) => k.kid) } : undefined,
    });
  }

  function sendHome(res: ServerResponse): void {
    res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      renderPage({
        title: 'Sandbox tenant',
        tenantLabel: tenant.tenantLabel,
        body: html`<h1>Sandbox tenant</h1>
<p>An OpenID Connect server shaped like Microsoft Entra ID v2, for the lab. Apps reach it through these endpoints:</p>
<dl class="details">
<dt>Authority</dt><dd><code>${config.tenant.authority}</code></dd>
<dt>Discovery</dt><dd><a href="${config.tenant.discovery}"><code>${config.tenant.discovery}</code></a></dd>
<dt>Keys</dt><dd><a href="${config.tenant.jwks}"><code>${config.tenant.jwks}</code></a></dd>
</dl>`,
      }),
    );
  }

  function sendErrorCodePage(res: ServerResponse, url: URL): void {
    const code = url.searchParams.get('code') ?? '';
    const entry = /^\d{4,7}$/.test(code) ? tenant.catalog.find(`AADSTS${code}`) : undefined;
    if (!entry) {
      sendJson(res, 404, { error: 'not_found', error_description: `AADSTS${code} is not in the lab's error catalog.` });
      return;
    }
    res.writeHead(200, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      renderPage({
        title: entry.id,
        tenantLabel: tenant.tenantLabel,
        body: html`<h1>${entry.id}: ${entry.title}</h1>
<p><code>${entry.error}</code> · ${entry.message}</p>
<p><strong>Why:</strong> ${entry.cause}</p>
<p><strong>Fix:</strong> ${entry.fix}</p>`,
      }),
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', config.tenantOrigin);
    } catch {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'The request target is not a valid URL path.' });
      return;
    }
    const facts = requestFacts(req);
    facts.sessionId = tenant.events.sessionOf(req, url);
    const requestId = url.searchParams.get('client-request-id') ?? req.headers['client-request-id'];
    facts.correlationId = typeof requestId === 'string' ? requestId : undefined;

    const path = url.pathname;
    if (path === EVENTS_PATH) return handleEventStream(req, res, url, { allowedOrigins: [config.siteOrigin], bus: tenant.events.bus });
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(tenant, admin, req, res, url);
    if (path === '/') return sendHome(res);
    if (path === '/error') return sendErrorCodePage(res, url);

    const match = /^\/([^/]+)(\/.*)?$/.exec(path);
    const rawSegment = match?.[1] ?? '';
    const rest = match?.[2] ?? '/';
    const endpoint = classify(rest);
    if (!endpoint) {
      sendJson(res, 404, {
        error: 'not_found',
        error_description: `${path} is not an endpoint of the sandbox tenant. Start from ${config.tenant.discovery}.`,
      });
      return;
    }
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      segment = rawSegment;
    }
    if (!tenantAliases.has(segment.toLowerCase())) {
      // Every sandbox app is single-tenant, so Entra would refuse them on the multi-tenant aliases.
      const multiTenant = MULTI_TENANT_ALIASES.has(segment.toLowerCase()) && (endpoint === 'authorize' || endpoint === 'token');
      const form = multiTenant && endpoint === 'token' && req.method === 'POST' ? await readForm(req) : undefined;
      const clientId = (form?.ok ? form.params.client_id : url.searchParams.get('client_id')) ?? undefined;
      const error = multiTenant
        ? entraError('AADSTS50194', { client_id: clientId, app_name: appById(directory, clientId)?.displayName, cutoff: '10/15/2018' })
        : entraError('AADSTS90002', { tenant: segment });
      if (endpoint === 'authorize' || endpoint === 'logout' || endpoint === 'interaction') return sendErrorPage(req, res, error);
      if (endpoint === 'token') return sendTokenError(req, res, error);
      const rendered = render(req, error);
      sendJson(res, rendered.status, rendered.body, { 'Access-Control-Allow-Origin': '*' });
      return;
    }
    switch (endpoint) {
      case 'discovery':
      case 'jwks':
        return sendMetadata(req, res, url, endpoint);
      case 'token':
        return handleToken(req, res, url, rawSegment, rest);
      case 'authorize':
        if (req.method === 'GET') prepareAuthorizeRequest(tenant, req, url);
        return forward(req, res, rawSegment, rest + url.search);
      case 'logout':
        prepareLogoutRequest(tenant, url);
        return forward(req, res, rawSegment, rest + url.search);
      case 'provider':
        return forward(req, res, rawSegment, rest + url.search);
      case 'interaction': {
        const [, , uid, action] = rest.split('/');
        return handleInteraction(tenant, req, res, uid as string, action);
      }
      case 'not-in-sandbox':
        sendJson(res, 404, {
          error: 'not_found',
          error_description: `Entra serves ${rest}, but the sandbox tenant implements only the v2 endpoints its discovery document lists for these flows (authorize, token, logout, keys).`,
        });
    }
  }

  return async (req, res) => {
    try {
      await route(req, res);
    } catch (error) {
      // A bug, not bad input: say so plainly, and keep the process up for the other users.
      console.error('sandbox tenant: unexpected error while handling', req.method, req.url?.split('?')[0], error);
      if (!res.headersSent)
        sendJson(res, 500, { error: 'server_error', error_description: 'The sandbox tenant hit an unexpected error. See its console.' });
      else res.destroy();
    }
  };
}
