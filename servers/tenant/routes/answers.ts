/**
 * How the tenant answers outside oidc-provider: JSON, its Entra-shaped errors (token-endpoint JSON,
 * readable by the SPA's origin; the error page where Entra must not redirect), and handing a
 * request to oidc-provider as if it were mounted at `/{tenant}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestFacts, type TenantContext } from '../context.ts';
import { spaApps } from '../directory.ts';
import { type EntraError, renderEntraError } from '../entraErrors.ts';
import { renderEntraErrorPage } from '../views/errorPage.ts';
import { PAGE_SECURITY_HEADERS } from '../views/layout.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export const renderFor = (tenant: TenantContext, req: IncomingMessage, error: EntraError) =>
  renderEntraError(tenant.catalog, error, { correlationId: requestFacts(req).correlationId, errorPageOrigin: tenant.config.tenantOrigin });

/** The origins of the SPAs' registered redirect URIs: the only ones that may read a token error (CORS). */
const spaOrigins = (tenant: TenantContext) =>
  new Set(spaApps(tenant.directory).flatMap((app) => app.redirectUris.map((uri) => new URL(uri).origin)));

/** Token-endpoint errors the tenant answers itself, readable by the SPA's origin (CORS). */
export function sendTokenError(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, error: EntraError): void {
  const rendered = renderFor(tenant, req, error);
  const origin = req.headers.origin;
  sendJson(
    res,
    rendered.status,
    rendered.body,
    origin && spaOrigins(tenant).has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {},
  );
  const facts = requestFacts(req);
  tenant.events.publish({
    name: 'token.error',
    leg: facts.params?.grant_type === 'refresh_token' ? 'refresh' : 'token',
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    ...(facts.flow ? { flow: facts.flow } : {}),
    summary: `${rendered.status} ${error.code} (${rendered.body.error})`,
    http: { method: req.method ?? 'POST', path: '/oauth2/v2.0/token', status: rendered.status },
    error: { code: error.code, error: rendered.body.error, description: rendered.summary },
  });
}

export function sendErrorPage(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, error: EntraError): void {
  const rendered = renderFor(tenant, req, error);
  res.writeHead(rendered.status, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(renderEntraErrorPage(tenant.tenantLabel, rendered));
}

/**
 * The policy of the pages oidc-provider renders itself (the `form_post` page that carries a code,
 * the logout auto-submit form): nothing loads, nothing frames them. `script-src 'self'` is there
 * for oidc-provider to add the hash of its one inline auto-submit script to; the tenant serves no
 * script file, so `'self'` allows nothing else.
 */
export const PROVIDER_PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
} as const;

/** Hands the request to oidc-provider as if it were mounted at `/{tenant}` (see the spike notes). */
export function forward(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, segment: string, inner: string): void {
  for (const [name, value] of Object.entries(PROVIDER_PAGE_HEADERS)) res.setHeader(name, value);
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = `/${segment}${inner}`;
  req.url = inner;
  tenant.providerCallback()(req, res);
}
