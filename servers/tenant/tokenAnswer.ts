/**
 * A successful token answer in Entra's shape, and the `token.issued` event the flow tracer shows
 * for it: one home for both, whether oidc-provider produced the tokens (./providerHooks.ts) or the
 * tenant minted them itself (./grants/clientCredentials.ts).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskParams } from '../events/index.ts';
import { requestFacts, type TenantContext } from './context.ts';
import { sendJson } from './routes/answers.ts';

export interface TokenAnswer {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  id_token?: string;
  client_info?: string;
  [other: string]: unknown;
}

const TOKEN_PATH = '/oauth2/v2.0/token';

/** Publishes `token.issued` for this request; the tokens are masked, and nothing is built when nobody listens. */
export function publishTokensIssued(tenant: TenantContext, req: IncomingMessage, answer: TokenAnswer): void {
  const facts = requestFacts(req);
  if (!tenant.events.isHeard(facts.sessionId)) return;
  const grantType = facts.params?.grant_type;
  tenant.events.publish({
    name: 'token.issued',
    leg: grantType === 'refresh_token' ? 'refresh' : 'token',
    sessionId: facts.sessionId,
    correlationId: facts.correlationId,
    ...(facts.flow ? { flow: facts.flow } : {}),
    summary: `200 ${grantType}: ${['access_token', 'id_token', 'refresh_token'].filter((t) => t in answer).join(', ')}`,
    http: { method: 'POST', path: TOKEN_PATH, status: 200 },
    detail: maskParams({ ...answer }),
  });
}

/** Sends tokens the tenant minted itself (never cached: RFC 6749 §5.1), and says so on the event stream. */
export function sendTokens(tenant: TenantContext, req: IncomingMessage, res: ServerResponse, answer: TokenAnswer): void {
  sendJson(res, 200, answer);
  publishTokensIssued(tenant, req, answer);
}
