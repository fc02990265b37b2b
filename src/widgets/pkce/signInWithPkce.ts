/**
 * The whole Authorization Code + PKCE flow in one call, for widgets that need a real delegated
 * token to work on (the tamper lab, the side-by-side run) without loading MSAL.js: the same steps
 * the step-through shows one by one. Tokens are returned to the caller and kept nowhere else.
 */
import { bridgeRedirectUri } from '../../config/authorityMetadata.ts';
import type { PublicLabConfig } from '../../config/lab.ts';
import { parseEntraErrorBody } from '../../protocol/aadstsError.ts';
import { computeCodeChallenge, createCodeVerifier } from '../../protocol/pkce.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { announceLeg } from '../flow-tracer/browserLegs.ts';
import { tenantUrlWithSession } from '../flow-tracer/labSession.ts';
import { AuthorizeError, authorizeInPopup, checkTenantBeforePopup } from './authorizeInPopup.ts';
import { buildAuthorizeUrl, popupLibraryState } from './authorizeRequest.ts';
import { redeemCode } from './redeemCode.ts';

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

const FLOW = 'auth-code-pkce';

export function delegatedScope(config: PublicLabConfig): string {
  return ['openid', 'profile', 'offline_access', ...config.delegatedScopes].join(' ');
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
  const codeChallenge = await computeCodeChallenge(codeVerifier);
  const redirectUri = bridgeRedirectUri(config);
  const url = buildAuthorizeUrl({
    authorizationEndpoint: tenantUrlWithSession(config.tenant.authorization, config.mode),
    clientId: config.ids.spaClientId,
    redirectUri,
    scope: delegatedScope(config),
    state: popupLibraryState(crypto.randomUUID()),
    nonce: crypto.randomUUID(),
    codeChallenge,
    codeChallengeMethod: 'S256',
  });
  announceLeg({
    flow: FLOW,
    event: 'authorize.request',
    request: { line: `GET ${config.tenant.authorization}`, fields: { code_challenge: codeChallenge, code_challenge_method: 'S256' } },
  });
  let params: URLSearchParams;
  try {
    params = await authorizeInPopup(popup, url);
  } catch (error) {
    if (error instanceof AuthorizeError) throw new FlowError(error.code, error.message);
    throw error;
  }
  const code = params.get('code');
  if (!code) {
    const error = params.get('error') ?? 'invalid_response';
    const description = params.get('error_description') ?? 'The redirect carried neither a code nor an error.';
    announceLeg({ flow: FLOW, event: 'code.issued', error, response: { line: `redirect with error=${error}` } });
    throw new FlowError(error, description, parseEntraErrorBody({ error_description: description }).code);
  }
  announceLeg({ flow: FLOW, event: 'code.issued', response: { line: `302 to ${redirectUri}`, fields: { code: shortenToken(code) } } });
  announceLeg({
    flow: FLOW,
    event: 'token.request',
    request: { line: `POST ${config.tenant.token}`, fields: { grant_type: 'authorization_code' } },
  });
  const answer = await redeemCode({
    tokenEndpoint: tenantUrlWithSession(config.tenant.token, config.mode),
    clientId: config.ids.spaClientId,
    code,
    redirectUri,
    codeVerifier,
    scope: delegatedScope(config),
  });
  if (answer.status !== 200 || typeof answer.body.access_token !== 'string') {
    const error = parseEntraErrorBody(answer.body);
    announceLeg({
      flow: FLOW,
      event: 'token.issued',
      error: error.error ?? String(answer.status),
      response: { line: `${answer.status} ${error.error ?? ''}` },
    });
    throw new FlowError(error.error ?? `HTTP ${answer.status}`, error.description ?? 'The token endpoint refused the code.', error.code);
  }
  const body = answer.body;
  announceLeg({
    flow: FLOW,
    event: 'token.issued',
    response: { line: '200 OK', fields: { access_token: shortenToken(body.access_token as string), scope: String(body.scope ?? '') } },
  });
  return {
    accessToken: body.access_token as string,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
  };
}
