/**
 * `POST /{tenant}/oauth2/v2.0/token`: Entra's request rules first (./../tokenRequest.ts), then
 * oidc-provider, or for client credentials the tenant's own grant (../grants/clientCredentials.ts).
 * Only form bodies are read, as Entra does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskParams } from '../../events/index.ts';
import { requestFacts, type TenantContext } from '../context.ts';
import { entraError } from '../entraErrors.ts';
import { isFederatedAssertion } from '../federatedAssertion.ts';
import { readForm } from '../form.ts';
import { issueAppOnlyToken } from '../grants/clientCredentials.ts';
import { precheckTokenRequest } from '../tokenRequest.ts';
import { forward, sendTokenError } from './answers.ts';

export async function handleToken(
  tenant: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  segment: string,
  rest: string,
): Promise<void> {
  if (req.method === 'OPTIONS') return forward(tenant, req, res, segment, rest + url.search);
  if (req.method !== 'POST')
    return sendTokenError(tenant, req, res, entraError('AADSTS900561', { allowed_methods: 'POST', method: req.method }));
  const form = await readForm(req);
  if (!form.ok) {
    if (form.problem === 'too-large') return sendTokenError(tenant, req, res, entraError('AADSTS9002313', {}, { status: 413 }));
    // Entra reads only form bodies: a JSON body has no grant_type as far as it is concerned.
    if (form.problem === 'not-form') return sendTokenError(tenant, req, res, entraError('AADSTS900144', { param: 'grant_type' }));
    return sendTokenError(tenant, req, res, entraError('AADSTS9002313'));
  }
  const facts = requestFacts(req);
  facts.params = form.params;
  // A token from another issuer as client_assertion: workload identity federation, though the grant is client_credentials.
  if (form.params.client_assertion && form.params.client_id && isFederatedAssertion(form.params.client_assertion, form.params.client_id))
    facts.flow = 'workload-identity';
  const check = await precheckTokenRequest(tenant, req, url, form.params);
  // The parameters are masked (and a client assertion decoded) only for an event someone receives.
  if (tenant.events.isHeard(facts.sessionId))
    tenant.events.publish({
      name: 'token.request',
      leg: form.params.grant_type === 'refresh_token' ? 'refresh' : 'token',
      sessionId: facts.sessionId,
      correlationId: facts.correlationId,
      ...(facts.flow ? { flow: facts.flow } : {}),
      summary: `POST /oauth2/v2.0/token (${form.params.grant_type ?? 'no grant_type'})`,
      http: { method: 'POST', path: url.pathname },
      detail: { ...maskParams(form.params), origin: req.headers.origin ?? '(none)' },
    });
  if (!check.ok) return sendTokenError(tenant, req, res, check.error);
  if (check.appOnly) return issueAppOnlyToken(tenant, req, res, check.appOnly);
  (req as IncomingMessage & { body?: unknown }).body = check.forward;
  delete req.headers.authorization;
  forward(tenant, req, res, segment, rest + url.search);
}
