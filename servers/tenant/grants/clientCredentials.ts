/**
 * The client-credentials grant: an app-only access token for the daemon (or any confidential app)
 * that passed Entra's rules in ../tokenRequest.ts: who the client is (secret, certificate or
 * federated assertion, ../clientAuthentication.ts) and a single `{resource}/.default` scope of an
 * API the directory knows.
 *
 * Every Entra rule of this grant is the tenant's own code, so the tenant mints the token itself
 * rather than handing the request to oidc-provider, which would only check the same things again
 * (its client authentication and resource resolution were most of the grant's CPU in the profile,
 * see bench/tenant.bench.ts). The token is shaped by ../tokenShapes.ts like every other access
 * token, and signed with the key oidc-provider signs with (../tokenSigner.ts).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#successful-response
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantContext } from '../context.ts';
import type { DirectoryApp, DirectoryResource } from '../directory.ts';
import { sendTokens, type TokenAnswer } from '../tokenAnswer.ts';
import { accessTokenLifetime, type ClientAuthenticationLevel, shapeAccessToken } from '../tokenShapes.ts';
import { signToken } from '../tokenSigner.ts';

export interface AppOnlyTokenRequest {
  client: DirectoryApp;
  /** The API named by the `{resource}/.default` scope. */
  resource: DirectoryResource;
  azpacr: ClientAuthenticationLevel;
}

export async function issueAppOnlyToken(
  tenant: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: AppOnlyTokenRequest,
): Promise<void> {
  const iat = Math.floor(Date.now() / 1000);
  const expiresIn = accessTokenLifetime();
  const jwt = {
    payload: { aud: request.resource.clientId, iss: tenant.config.tenant.issuer, iat, exp: iat + expiresIn } as Record<string, unknown>,
  };
  shapeAccessToken(tenant.directory, { kind: 'ClientCredentials', clientId: request.client.clientId, azpacr: request.azpacr }, jwt);
  // Entra's answer to this grant: no `scope`, no refresh token, no ID token.
  const answer: TokenAnswer = {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: await signToken(tenant.keys.active, jwt.payload),
  };
  sendTokens(tenant, req, res, answer);
}
