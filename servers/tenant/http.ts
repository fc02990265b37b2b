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
 *   /workload-issuer/github/…                         not Entra: the stand-in for GitHub Actions' OIDC issuer (../workload-issuer/)
 *
 * `{tenant}` is the tenant ID or its domain; any other value is Entra's AADSTS90002. This file
 * routes; the answers live in ./routes/ (token endpoint, metadata, the tenant's own pages, errors).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { workloadIdentity } from '../../src/config/sandbox.ts';
import { EVENTS_PATH, handleEventStream } from '../events/index.ts';
import { expectedHosts, refuseForeignHost } from '../requestGuard.ts';
import { handleWorkloadIssuer } from '../workload-issuer/routes.ts';
import { ADMIN_PREFIX, type AdminActions, handleAdmin } from './admin.ts';
import { prepareAuthorizeRequest, prepareLogoutRequest } from './authorizeRequest.ts';
import { requestFacts, type TenantContext } from './context.ts';
import { appById } from './directory.ts';
import { entraError } from './entraErrors.ts';
import { readForm } from './form.ts';
import { handleInteraction } from './interactions.ts';
import { forward, renderFor, sendErrorPage, sendJson, sendTokenError } from './routes/answers.ts';
import { sendMetadata } from './routes/metadata.ts';
import { sendErrorCodePage, sendHome } from './routes/pages.ts';
import { handleToken } from './routes/token.ts';

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

export function createTenantHandler(
  tenant: TenantContext,
  admin: AdminActions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, directory } = tenant;
  const tenantAliases = new Set([directory.tenantId, directory.tenantDomain.toLowerCase()]);

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
    if (path === '/') return sendHome(tenant, res);
    if (path === '/error') return sendErrorCodePage(tenant, res, url);
    if (path.startsWith(`${workloadIdentity.issuerPath}/`))
      return handleWorkloadIssuer(tenant.workloadIssuer, tenant.events.bus, req, res, url);

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
      if (endpoint === 'authorize' || endpoint === 'logout' || endpoint === 'interaction') return sendErrorPage(tenant, req, res, error);
      if (endpoint === 'token') return sendTokenError(tenant, req, res, error);
      const rendered = renderFor(tenant, req, error);
      sendJson(res, rendered.status, rendered.body, { 'Access-Control-Allow-Origin': '*' });
      return;
    }
    switch (endpoint) {
      case 'discovery':
      case 'jwks':
        return sendMetadata(tenant, req, res, url, endpoint);
      case 'token':
        return handleToken(tenant, req, res, url, rawSegment, rest);
      case 'authorize':
        if (req.method === 'GET') prepareAuthorizeRequest(tenant, req, url);
        return forward(tenant, req, res, rawSegment, rest + url.search);
      case 'logout':
        prepareLogoutRequest(tenant, url);
        return forward(tenant, req, res, rawSegment, rest + url.search);
      case 'provider':
        return forward(tenant, req, res, rawSegment, rest + url.search);
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

  const hosts = expectedHosts(config.tenantOrigin);
  return async (req, res) => {
    if (refuseForeignHost(req, res, hosts)) return;
    // JSON and pages alike: never sniffed into something else.
    res.setHeader('X-Content-Type-Options', 'nosniff');
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
