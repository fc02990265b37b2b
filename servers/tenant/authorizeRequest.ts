/**
 * Entra's /authorize behaviour that oidc-provider has no setting for, applied to the request
 * before oidc-provider sees it.
 *
 * PKCE `plain`: Entra accepts `code_challenge_method=plain` (and treats a challenge without a
 * method as plain); oidc-provider implements S256 only. A plain challenge is rewritten to
 * S256(challenge), which accepts exactly the verifier that equals the challenge: the same check.
 * RFC 9700 §2.1.1 says to use S256; the site flags `plain`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { maskParams } from '../events/index.ts';
import { markCombinedConsent } from './combinedConsent.ts';
import { requestFacts, type TenantContext } from './context.ts';
import { appById } from './directory.ts';
import { matchRedirectUri } from './redirectUri.ts';
import { normalizeScopes } from './scopes.ts';

/** RFC 7636 §4.1: 43 to 128 characters from the unreserved set. */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** Rewrites the authorize query in place and publishes the `authorize.request` event. */
export function prepareAuthorizeRequest(tenant: TenantContext, req: IncomingMessage, url: URL): void {
  const facts = requestFacts(req);
  const query = url.searchParams;
  const original = Object.fromEntries(query);
  const challenge = query.get('code_challenge');
  const method = query.get('code_challenge_method');
  if (challenge && (method === null || method === 'plain') && PKCE_VALUE.test(challenge)) {
    query.set('code_challenge', createHash('sha256').update(challenge).digest('base64url'));
    query.set('code_challenge_method', 'S256');
    facts.pkcePlain = true;
  }
  // Before .default is expanded below: a known client asking for the middle tier's .default (./combinedConsent.ts).
  markCombinedConsent(tenant.directory, query);
  const scope = query.get('scope');
  const client = appById(tenant.directory, query.get('client_id') ?? undefined);
  if (scope !== null) query.set('scope', normalizeScopes(tenant.directory, scope, { expandDefault: true, client }) ?? '');
  // Masking the parameters for an event nobody can receive is skipped, as on the token endpoint.
  if (!tenant.events.isHeard(facts.sessionId)) return;
  tenant.events.publish({
    name: 'authorize.request',
    leg: 'authorize',
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    summary: `${req.method} /oauth2/v2.0/authorize (${original.response_type ?? 'no response_type'}, PKCE ${challenge ? (facts.pkcePlain ? 'plain' : (method ?? 'S256')) : 'none'})`,
    http: { method: req.method ?? 'GET', path: url.pathname },
    detail: maskParams(original),
  });
}

/**
 * MSAL's logout request names neither the app nor the ID token; Entra still returns to a
 * registered `post_logout_redirect_uri`. oidc-provider needs the app, so name the first app
 * (the lab's SPA first) that has the address among its redirect URIs.
 */
export function prepareLogoutRequest(tenant: TenantContext, url: URL): void {
  const query = url.searchParams;
  const target = query.get('post_logout_redirect_uri');
  if (!target || query.has('client_id') || query.has('id_token_hint')) return;
  const app = tenant.directory.apps.find((candidate) => matchRedirectUri(target, candidate.redirectUris) !== undefined);
  if (app) query.set('client_id', app.clientId);
}
