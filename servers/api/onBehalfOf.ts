/**
 * The Tasks API as a client: on-behalf-of with MSAL Node. It never forwards the token it received
 * (that token's `aud` is the Tasks API; the Profile API must refuse it). It trades it at the tenant
 * for a token whose `aud` is the Profile API, `azp` the Tasks API, and the same user, then calls the
 * Profile API with that.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 *
 * Caching: one ConfidentialClientApplication for the whole API. MSAL Node keys each on-behalf-of
 * access token by a hash of the incoming token (`user_assertion_hash`) plus client ID and scopes, so
 * a user who calls again with the same token gets the cached Profile API token, and one user's token
 * can never be served to another. A new incoming token (after the client renewed it) is a new key.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import type { OnBehalfOfLeg, OnBehalfOfRun } from '../../src/flows/on-behalf-of/contract.ts';
import { parseEntraErrorBody } from '../../src/protocol/aadstsError.ts';
import { maskSecret, shortenToken } from '../../src/protocol/redact.ts';
import { type ExchangeLog, recordingNetwork } from '../daemon/recordingNetwork.ts';
import { maskToken, SESSION_HEADER, SESSION_PARAM } from '../events/index.ts';

/** What one on-behalf-of call needs from the incoming request. */
export interface OnBehalfOfRequest {
  /** The access token the Tasks API received: the assertion. */
  assertion: string;
  /** The browser session (`lab_session`), so the tenant's and the Profile API's tracer events reach it. */
  sessionId?: string;
}

/** The exchanges of the request being served, recorded by the network module below. */
const current = new AsyncLocalStorage<{ sessionId?: string; legs: OnBehalfOfLeg[] }>();

const PROFILE_READ = `${sandboxApps.profileApi.appIdUri}/${sandboxApps.profileApi.scopes[0]}`;

/** A form with its credential masked and its JWTs shortened and decoded: safe to show on a page. */
function showForm(form: Record<string, string>): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...form };
  if (form.client_secret) shown.client_secret = maskSecret(form.client_secret);
  if (form.assertion) shown.assertion = maskToken(form.assertion);
  return shown;
}

function showTokenResponse(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const shown: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (typeof shown.access_token === 'string') shown.access_token = maskToken(shown.access_token);
  if (typeof shown.refresh_token === 'string') shown.refresh_token = shortenToken(shown.refresh_token);
  return shown;
}

/**
 * What the page shows of the token exchange: the request with its credential masked and the
 * tenant's answer, filed under the request being served (MSAL calls the network module inside it).
 */
const fileUnderCurrentRequest: ExchangeLog = {
  push(exchange) {
    const run = current.getStore();
    if (!run || exchange.method !== 'POST') return;
    run.legs.push({
      id: 'obo-request',
      title: 'Token request (on-behalf-of)',
      method: exchange.method,
      url: exchange.url.split('?')[0] as string,
      form: showForm(exchange.form ?? {}),
    });
    run.legs.push({ id: 'obo-response', title: 'Token response', status: exchange.status, body: showTokenResponse(exchange.body) });
  },
};

/**
 * In sandbox mode, the browser session in a header (MSAL's on-behalf-of request has no
 * extraQueryParameters), so the tenant's events reach its tracer; a real Entra tenant never receives it.
 */
const sessionHeader = (config: LabConfig) => (): Record<string, string> => {
  const sessionId = current.getStore()?.sessionId;
  return sessionId && config.mode === 'sandbox' ? { [SESSION_HEADER]: sessionId } : {};
};

/** The Tasks API's MSAL Node client, built once: its token cache is the per-user cache described above. */
export function createOnBehalfOfClient(config: LabConfig): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.ids.apiClientId,
      // As an API next to Entra is configured: the https authority, its metadata discovered over TLS
      // (the lab's CA is trusted, ../tls/trust.ts), as the daemon does (../daemon/clientCredentialsRun.ts).
      // `knownAuthorities` turns off instance discovery, which would ask login.microsoftonline.com.
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      // The sandbox-only secret; a real API reads its credential from a vault, never from code.
      clientSecret: sandboxApps.api.sandboxSecret,
    },
    system: {
      networkClient: recordingNetwork(fileUnderCurrentRequest, sessionHeader(config)),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  });
}

// #region on-behalf-of
/** Trades the caller's token for a Profile API token (cached per user), then calls the Profile API with it. */
export async function callProfileOnBehalfOf(
  config: LabConfig,
  client: ConfidentialClientApplication,
  request: OnBehalfOfRequest,
): Promise<OnBehalfOfRun> {
  const run = { sessionId: request.sessionId, legs: [] as OnBehalfOfLeg[] };
  return current.run(run, async () => {
    let accessToken: string;
    let fromCache: boolean;
    try {
      // Never forward request.assertion itself: its aud is the Tasks API, not the Profile API.
      const result = await client.acquireTokenOnBehalfOf({ oboAssertion: request.assertion, scopes: [PROFILE_READ] });
      if (!result) throw new Error('MSAL returned no token');
      ({ accessToken, fromCache } = result);
    } catch (error) {
      const answer = run.legs.find((leg) => leg.id === 'obo-response');
      const entra = answer ? parseEntraErrorBody(answer.body) : undefined;
      return { ok: false, step: 'obo', legs: run.legs, error: entra?.code ? entra : { error: 'obo_failed', description: String(error) } };
    }
    if (fromCache)
      run.legs.push({
        id: 'obo-cache',
        title: 'Token from MSAL Node’s cache (same user, same incoming token)',
        body: { access_token: maskToken(accessToken) },
      });
    const url = `${config.profileApiOrigin}/api/profile`;
    run.legs.push({
      id: 'downstream-call',
      title: 'Call the Profile API',
      method: 'GET',
      url,
      headers: { Authorization: `Bearer ${shortenToken(accessToken)}` },
    });
    let response: Response;
    try {
      response = await fetch(request.sessionId ? `${url}?${SESSION_PARAM}=${request.sessionId}` : url, {
        headers: { Authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      const description = `The Profile API did not answer at ${config.profileApiOrigin}. Is it running? npm start starts it.`;
      return { ok: false, step: 'downstream', legs: run.legs, error: { error: 'temporarily_unavailable', description } };
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    run.legs.push({ id: 'downstream-response', title: 'Profile API answer', status: response.status, body });
    if (!response.ok)
      return {
        ok: false,
        step: 'downstream',
        legs: run.legs,
        error: { error: String(body.error ?? response.status), description: String(body.error_description ?? '') },
      };
    return { ok: true, fromCache, profile: body.profile, legs: run.legs };
  });
}
// #endregion on-behalf-of

/** A failed run as the Tasks API answers its caller (RFC 6750 where the caller can act on it). */
export function onBehalfOfFailure(
  config: LabConfig,
  run: Extract<OnBehalfOfRun, { ok: false }>,
): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const { error } = run;
  const base = { legs: run.legs, code: error.code, error_description: error.description ?? '' };
  const challenge = (params: string) => ({ 'WWW-Authenticate': `Bearer realm="${config.ids.apiAppIdUri}", ${params}` });
  if (run.step === 'obo' && error.code === 'AADSTS65001') {
    // The middle tier cannot show a consent page: the client must, asking for the middle tier's /.default.
    const scope = `${config.ids.apiAppIdUri}/.default`;
    return {
      status: 403,
      headers: challenge(`error="insufficient_scope", scope="${scope}"`),
      body: {
        ...base,
        error: 'consent_required',
        scope: [scope],
        fix: `The user has not consented to the Tasks API calling the Profile API for them. Sign in again asking for ${scope}: the consent page then also asks for what the Tasks API needs downstream (combined consent, knownClientApplications).`,
      },
    };
  }
  if (run.step === 'obo' && error.code === 'AADSTS500133') {
    return {
      status: 401,
      headers: challenge('error="invalid_token", error_description="The access token expired"'),
      body: {
        ...base,
        error: 'invalid_token',
        fix: 'Get a fresh access token for the Tasks API (MSAL acquireTokenSilent) and call again.',
      },
    };
  }
  // The tenant refused the middle tier itself, or the Profile API did: nothing the caller can fix.
  return {
    status: 502,
    headers: {},
    body: {
      ...base,
      error: run.step === 'obo' ? 'obo_failed' : 'downstream_failed',
      fix: 'See the legs: the Tasks API’s own request failed; its configuration needs fixing, not the caller.',
    },
  };
}
