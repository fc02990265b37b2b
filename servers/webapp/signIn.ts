/**
 * Sign-in, as the web app's server runs it (Authorization Code + PKCE, confidential client):
 *
 * 1. `startSignIn`: a fresh `state`, `nonce` and PKCE `code_verifier`, kept in the server session;
 *    the browser is redirected to /authorize with `state`, `nonce` and the `code_challenge` only.
 * 2. `completeSignIn`: the browser comes back to the redirect URI with `code` and `state`. The
 *    server checks `state`, then redeems the code at /token with the `code_verifier` and **its own
 *    credential** (secret, or a client assertion signed with its certificate). MSAL checks the ID
 *    token's `nonce`; the tokens land in this session's server-side cache. The browser gets a new
 *    session cookie and nothing else.
 *
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import { randomBytes } from 'node:crypto';
import { CryptoProvider } from '@azure/msal-node';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { type EntraError, parseEntraErrorBody, parseMsalError } from '../../src/protocol/aadstsError.ts';
import type { RecordedExchange } from '../daemon/recordingNetwork.ts';
import { maskParams, SESSION_PARAM } from '../events/index.ts';
import { type WebAppCredential, WebAppCredentialError, webappCredential } from './credentials.ts';
import { publishWebAppEvent } from './events.ts';
import { webAppClient } from './msalClient.ts';
import { authorizeRedirectLeg, codeRedemptionLeg, recordLeg, tokenResponseLeg } from './serverLegs.ts';
import type { WebAppCredentialKind, WebAppSession } from './sessions.ts';

/**
 * What the web app asks for. At sign-in: a refresh token for its cache and the Tasks API's
 * `/.default` (the delegated permissions its registration lists: `Tasks.Read`). `/.default`, not a
 * named scope: the Tasks API lists the web app in `knownClientApplications`, so this one consent also
 * covers what the Tasks API calls on the user's behalf (the Profile API), and the profile panel works
 * (./profile.ts). Then, for tokens: `Tasks.Read` by name, the scope the cached token carries, so
 * `acquireTokenSilent` finds it in the cache.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 */
export function webAppScopes(config: LabConfig): { signIn: string[]; api: string[] } {
  return {
    signIn: ['openid', 'profile', 'offline_access', `${config.ids.apiAppIdUri}/.default`],
    api: [`${config.ids.apiAppIdUri}/Tasks.Read`],
  };
}

/** Why a sign-in could not go on, for the error page: the Entra/RFC code, the words, the next step. */
export interface SignInProblem {
  status: number;
  title: string;
  /** `AADSTS65004`, `invalid_state`… */
  code?: string;
  error?: string;
  description: string;
  fix: string;
}

const cryptoProvider = new CryptoProvider();

const tenantDown = (config: LabConfig, where: string): SignInProblem => ({
  status: 502,
  title: 'The tenant did not answer',
  error: 'temporarily_unavailable',
  description: `The web app could not reach the tenant at ${where}.`,
  fix:
    config.mode === 'sandbox'
      ? 'Start the lab with npm start (it runs the sandbox tenant), then sign in again.'
      : 'Check the network connection and ENTRA_AUTHORITY_HOST, then sign in again.',
});

const noCredential = (error: unknown): SignInProblem => ({
  status: 500,
  title: 'The web app has no credential to redeem the code with',
  error: 'invalid_client',
  description: error instanceof WebAppCredentialError ? error.message : String(error),
  fix: 'Configure the credential as the message says, or choose the other credential.',
});

/**
 * The /authorize URL MSAL built, on the endpoint the browser opens. MSAL Node discovered the https
 * authority's endpoints (the server trusts the lab's CA); the browser does not trust that CA, so in
 * the sandbox it goes to the same tenant's plain-http transport (`config.tenant.authorization`),
 * with the same query. For Entra both are the same URL.
 */
export function browserAuthorizeUrl(config: LabConfig, msalUrl: string): string {
  const url = new URL(config.tenant.authorization);
  url.search = new URL(msalUrl).search;
  return url.href;
}

/** The sandbox's event tag on tenant requests; Entra never sees it. */
const labSessionParams = (config: LabConfig, session: WebAppSession) =>
  config.mode === 'sandbox' && session.labSession ? { [SESSION_PARAM]: session.labSession } : undefined;

// #region start
export async function startSignIn(
  config: LabConfig,
  session: WebAppSession,
  credential: WebAppCredentialKind,
): Promise<{ redirect: string } | SignInProblem> {
  // Only the redirect leaves for the browser: the verifier, the state and the nonce stay here.
  const { verifier, challenge } = await cryptoProvider.generatePkceCodes();
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  // Fail here, not on a dead tenant page: is the tenant up? (Its https discovery, as MSAL reads it.)
  const { discovery } = authorityEndpoints(config);
  try {
    await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
  } catch {
    return tenantDown(config, discovery);
  }
  let secretOrCertificate: WebAppCredential;
  try {
    secretOrCertificate = await webappCredential(config, credential);
  } catch (error) {
    return noCredential(error);
  }
  const extraQueryParameters = labSessionParams(config, session);
  const msalUrl = await webAppClient(config, secretOrCertificate, session).getAuthCodeUrl({
    scopes: webAppScopes(config).signIn,
    redirectUri: config.webapp.redirectUri,
    responseMode: 'query', // a SameSite=Lax cookie comes back with a top-level GET, not with form_post
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state,
    nonce,
    ...(extraQueryParameters ? { extraQueryParameters } : {}),
  });
  const url = browserAuthorizeUrl(config, msalUrl);
  session.pending = { state, nonce, codeVerifier: verifier, credential };
  // #endregion start
  recordLeg(session.legs, authorizeRedirectLeg(url, credential));
  publishWebAppEvent(session, {
    name: 'webapp.sign-in',
    leg: 'authorize',
    summary: `GET /auth/sign-in: state, nonce and PKCE kept on the server; 302 to /authorize (${credential})`,
    http: { method: 'GET', path: '/auth/sign-in', status: 302 },
    detail: { client_id: config.ids.webappClientId, redirect: maskParams(Object.fromEntries(new URL(url).searchParams)) },
  });
  return { redirect: url };
}

function problemFromEntra(error: EntraError, fallbackTitle: string, status = 400): SignInProblem {
  return {
    status,
    title: fallbackTitle,
    ...(error.code ? { code: error.code } : {}),
    ...(error.error ? { error: error.error } : {}),
    description: error.description ?? 'The tenant refused.',
    fix: 'Go back to the web app and sign in again.',
  };
}

export interface RedirectQuery {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

// #region redeem
export async function completeSignIn(
  config: LabConfig,
  session: WebAppSession,
  query: RedirectQuery,
): Promise<{ ok: true } | SignInProblem> {
  const pending = session.pending;
  // RFC 6749 §10.12: a response whose state this session did not send is refused before anything else.
  if (!pending || !query.state || query.state !== pending.state) {
    publishWebAppEvent(session, {
      name: 'webapp.redirect',
      leg: 'authorize',
      summary: 'GET /auth/redirect: state does not match this session (refused)',
      error: { error: 'invalid_state', description: 'The state parameter does not match a sign-in this session started.' },
    });
    return {
      status: 400,
      title: 'This sign-in response does not belong to a sign-in started here',
      error: 'invalid_state',
      description: pending
        ? 'The state parameter in the response is not the one this session sent to /authorize.'
        : 'This browser session has no sign-in in progress (it expired, the server restarted, or the link was opened in another browser).',
      fix: 'Start the sign-in again from the web app’s home page. A response that arrives without its state is refused: that check is what stops cross-site request forgery (RFC 6749 §10.12).',
    };
  }
  session.pending = undefined; // a state is good for one response only
  if (query.error) {
    const error = parseEntraErrorBody({ error: query.error, error_description: query.error_description });
    publishWebAppEvent(session, {
      name: 'webapp.redirect',
      leg: 'authorize',
      summary: `GET /auth/redirect with error=${query.error}`,
      error: { error: query.error, ...(error.code ? { code: error.code } : {}), description: query.error_description ?? '' },
    });
    return problemFromEntra(error, query.error === 'access_denied' ? 'The sign-in was cancelled' : 'The tenant refused the sign-in');
  }
  if (!query.code)
    return problemFromEntra({ error: 'invalid_request', description: 'The redirect carries neither code nor error.' }, 'No code');
  publishWebAppEvent(session, {
    name: 'webapp.redirect',
    leg: 'authorize',
    summary: 'GET /auth/redirect: state matches; redeeming the code on the server',
    http: { method: 'GET', path: '/auth/redirect' },
    detail: { client_id: config.ids.webappClientId, state: 'matches' },
  });

  let credential: WebAppCredential;
  try {
    credential = await webappCredential(config, pending.credential);
  } catch (error) {
    return noCredential(error);
  }
  const log: RecordedExchange[] = [];
  const client = webAppClient(config, credential, session, log);
  let result: Awaited<ReturnType<typeof client.acquireTokenByCode>> | undefined;
  let failure: unknown;
  try {
    const extraQueryParameters = labSessionParams(config, session);
    result = await client.acquireTokenByCode(
      {
        code: query.code,
        scopes: webAppScopes(config).api,
        redirectUri: config.webapp.redirectUri,
        codeVerifier: pending.codeVerifier, // PKCE: only this server can redeem the code
        state: pending.state,
        nonce: pending.nonce, // MSAL refuses an ID token whose nonce is not this one
        ...(extraQueryParameters ? { extraQueryParameters } : {}),
      },
      { code: query.code, state: query.state },
    );
  } catch (error) {
    failure = error;
  }
  // #endregion redeem
  // MSAL adds query parameters (client-request-id…) to the token endpoint it discovered; match on the endpoint itself.
  const tokenEndpoint = authorityEndpoints(config).token;
  const exchange = log.findLast((e) => e.method === 'POST' && e.url.split('?')[0] === tokenEndpoint);
  if (exchange) {
    recordLeg(session.legs, codeRedemptionLeg(exchange));
    recordLeg(session.legs, tokenResponseLeg(exchange));
  }
  if (!result?.account) {
    const error = exchange && exchange.status >= 400 ? parseEntraErrorBody(exchange.body) : parseMsalError(failure);
    if (!exchange && /fetch failed|ECONNREFUSED|network/i.test(error.description ?? '')) return tenantDown(config, tokenEndpoint);
    if (error.error === 'nonce_mismatch') {
      return {
        status: 400,
        title: 'The ID token was not issued for this sign-in',
        error: 'nonce_mismatch',
        description:
          'The nonce in the ID token is not the one this session sent to /authorize, so the token may be replayed from another sign-in.',
        fix: 'Sign in again. OpenID Connect Core §3.1.3.7 requires the client to check the nonce.',
      };
    }
    return problemFromEntra(error, 'The code could not be redeemed', exchange?.status ?? 400);
  }
  const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
  // MSAL already compared it; the web app says so on its own page too.
  if (claims.nonce !== pending.nonce)
    return {
      status: 400,
      title: 'Nonce mismatch',
      error: 'nonce_mismatch',
      description: 'The ID token nonce differs.',
      fix: 'Sign in again.',
    };
  session.credential = pending.credential;
  session.user = {
    homeAccountId: result.account.homeAccountId,
    name: String(claims.name ?? result.account.name ?? ''),
    username: String(claims.preferred_username ?? result.account.username),
    oid: String(claims.oid ?? ''),
    tid: String(claims.tid ?? ''),
    idTokenClaims: Object.fromEntries(
      ['aud', 'iss', 'name', 'preferred_username', 'oid', 'tid', 'sub', 'nonce', 'ver'].map((name) => [name, claims[name]]),
    ),
  };
  return { ok: true };
}
