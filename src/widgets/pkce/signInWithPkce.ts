/**
 * The whole Authorization Code + PKCE flow in one call, for widgets that need a real delegated
 * token to work on (the tamper lab, the side-by-side run) without loading MSAL.js: the same steps
 * the step-through shows one by one. Tokens are returned to the caller and kept nowhere else.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { completeAuthorization, FLOW, redeemAuthorizationCode, startAuthorization } from '../../flows/auth-code-pkce/legs.ts';
import { announceLeg } from '../../flows/browserLegs.ts';
import { computeCodeChallenge, createCodeVerifier } from '../../protocol/pkce.ts';
import { AuthorizeError, authorizeInPopup, checkTenantBeforePopup } from './authorizeInPopup.ts';

export interface DelegatedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  scope?: string;
  expiresIn?: number;
}

/** The tenant refused (authorize or token): carries its own error, code and description. */
export class FlowError extends Error {
  readonly error: string;
  readonly code?: string;
  constructor(error: string, description: string, code?: string) {
    super(`${error}${code ? ` (${code})` : ''}: ${description}`);
    this.name = 'FlowError';
    this.error = error;
    this.code = code;
  }
}

/** `popup` must have been opened in the click handler (`openAuthorizePopup`). */
export async function signInWithPkce(config: PublicLabConfig, popup: Window): Promise<DelegatedTokens> {
  try {
    await checkTenantBeforePopup(config.tenant.discovery, popup);
  } catch (error) {
    throw new FlowError('tenant_unreachable', (error as Error).message);
  }
  announceLeg({ flow: FLOW, event: 'sign-in-click', request: { line: 'The user selects Sign in' } });
  const codeVerifier = createCodeVerifier();
  const { url, redirectUri } = startAuthorization(config, { codeChallenge: await computeCodeChallenge(codeVerifier) });
  let params: URLSearchParams;
  try {
    params = await authorizeInPopup(popup, url);
  } catch (error) {
    if (error instanceof AuthorizeError) throw new FlowError(error.code, error.message);
    throw error;
  }
  const authorization = completeAuthorization(params, redirectUri);
  if (!authorization.ok) throw new FlowError(authorization.error, authorization.description, authorization.code);
  const { answer, accessToken, error } = await redeemAuthorizationCode(config, { code: authorization.code, redirectUri, codeVerifier });
  if (!accessToken) {
    throw new FlowError(error?.error ?? `HTTP ${answer.status}`, error?.description ?? 'The token endpoint refused the code.', error?.code);
  }
  const body = answer.body;
  return {
    accessToken,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
  };
}
