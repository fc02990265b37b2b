/**
 * The browser-side legs of Authorization Code + PKCE, written once for every surface that runs
 * them by hand (the PKCE step-through, the one-call sign-in the tamper lab and the side-by-side page
 * use, the presenter's step-through): build the authorization request, read what came back to the
 * redirect URI, redeem the code. Each leg is announced to the live tracer as it happens. How the
 * browser gets to the tenant (a popup, a redirect) and what the page shows stay with each surface.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import { bridgeRedirectUri } from '../../config/authorityMetadata.ts';
import type { PublicLabConfig } from '../../config/lab.ts';
import { type EntraError, parseEntraErrorBody } from '../../protocol/aadstsError.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { announceLeg } from '../browserLegs.ts';
import { tenantUrlWithSession } from '../labSession.ts';
import { buildAuthorizeUrl, popupLibraryState } from './authorizeRequest.ts';
import { redeemCode, type TokenEndpointAnswer } from './redeemCode.ts';
import { delegatedScope } from './scopes.ts';

export const FLOW = 'auth-code-pkce';

export interface AuthorizationStart {
  codeChallenge: string;
  codeChallengeMethod?: 'S256' | 'plain';
  /** The registered bridge page unless a surface sends another one on purpose (the exercises do). */
  redirectUri?: string;
  loginHint?: string;
  /** Another scope than the sign-in's usual one (on-behalf-of's step-through asks for the Tasks API's /.default). */
  scope?: string;
}

/** Leg 1: the authorization request (RFC 6749 §4.1.1 with RFC 7636's challenge), as a URL to send the browser to. */
export function startAuthorization(config: PublicLabConfig, start: AuthorizationStart): { url: string; redirectUri: string } {
  const redirectUri = start.redirectUri ?? bridgeRedirectUri(config);
  const codeChallengeMethod = start.codeChallengeMethod ?? 'S256';
  const url = buildAuthorizeUrl({
    authorizationEndpoint: tenantUrlWithSession(config.tenant.authorization, config.mode),
    clientId: config.ids.spaClientId,
    redirectUri,
    scope: start.scope ?? delegatedScope(config),
    state: popupLibraryState(crypto.randomUUID()),
    nonce: crypto.randomUUID(),
    codeChallenge: start.codeChallenge,
    codeChallengeMethod,
    ...(start.loginHint ? { loginHint: start.loginHint } : {}),
  });
  announceLeg({
    flow: FLOW,
    event: 'authorize.request',
    request: {
      line: `GET ${config.tenant.authorization}`,
      fields: { code_challenge: start.codeChallenge, code_challenge_method: codeChallengeMethod },
    },
  });
  return { url, redirectUri };
}

export type AuthorizationResult =
  | { ok: true; code: string }
  | { ok: false; error: string; description: string /** The AADSTS code in the description, if any. */; code?: string };

/** Leg 2: what the tenant sent back to the redirect URI (RFC 6749 §4.1.2): a one-time code, or its error. */
export function completeAuthorization(params: URLSearchParams, redirectUri: string): AuthorizationResult {
  const code = params.get('code');
  if (code) {
    announceLeg({ flow: FLOW, event: 'code.issued', response: { line: `302 to ${redirectUri}`, fields: { code: shortenToken(code) } } });
    return { ok: true, code };
  }
  const error = params.get('error') ?? 'invalid_response';
  const description = params.get('error_description') ?? 'The redirect carried neither a code nor an error.';
  announceLeg({ flow: FLOW, event: 'code.issued', error, response: { line: `302 to ${redirectUri} with error=${error}` } });
  const entra = parseEntraErrorBody({ error, error_description: description });
  return { ok: false, error, description, ...(entra.code ? { code: entra.code } : {}) };
}

export interface Redemption {
  code: string;
  redirectUri: string;
  /** Omitted on purpose by the step-through's "no verifier" choice. */
  codeVerifier?: string;
}

export interface RedemptionResult {
  answer: TokenEndpointAnswer;
  /** Set when the tenant issued an access token. */
  accessToken?: string;
  /** Set when it refused: its error, as parsed from the body. */
  error?: EntraError & { error: string };
}

/** Leg 3: the code redeemed at the token endpoint with the verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export async function redeemAuthorizationCode(config: PublicLabConfig, redemption: Redemption): Promise<RedemptionResult> {
  announceLeg({
    flow: FLOW,
    event: 'token.request',
    request: { line: `POST ${config.tenant.token}`, fields: { grant_type: 'authorization_code', code: shortenToken(redemption.code) } },
  });
  const answer = await redeemCode({
    tokenEndpoint: tenantUrlWithSession(config.tenant.token, config.mode),
    clientId: config.ids.spaClientId,
    code: redemption.code,
    redirectUri: redemption.redirectUri,
    ...(redemption.codeVerifier !== undefined ? { codeVerifier: redemption.codeVerifier } : {}),
    scope: delegatedScope(config),
  });
  const accessToken = answer.body.access_token;
  if (answer.status === 200 && typeof accessToken === 'string') {
    announceLeg({
      flow: FLOW,
      event: 'token.issued',
      response: { line: '200 OK', fields: { access_token: shortenToken(accessToken), scope: String(answer.body.scope ?? '') } },
    });
    return { answer, accessToken };
  }
  const parsed = parseEntraErrorBody(answer.body);
  const error = { ...parsed, error: parsed.error ?? `HTTP ${answer.status}` };
  announceLeg({ flow: FLOW, event: 'token.issued', error: error.error, response: { line: `${answer.status} ${error.error}` } });
  return { answer, error };
}
