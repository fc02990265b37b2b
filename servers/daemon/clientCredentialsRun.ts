/**
 * One client-credentials run, as the daemon does it: MSAL Node's `acquireTokenByClientCredential`
 * with a secret or a certificate, then the sample API called with the token. Every step is recorded
 * for the widget: the token request exactly as MSAL sent it (secret masked), the token response,
 * and each API call with its status and WWW-Authenticate challenge.
 *
 * The "break it" variants change one thing and let the tenant answer for real: a wrong secret
 * (AADSTS7000215), a scope without /.default (AADSTS1002012), an expired certificate.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import type { BreakIt, CredentialKind, HttpExchangeView, RunResult, RunStep } from '../../src/flows/client-credentials/contract.ts';
import { parseEntraErrorBody, parseMsalError } from '../../src/protocol/aadstsError.ts';
import { maskSecret, shortenToken } from '../../src/protocol/redact.ts';
import { maskToken, SESSION_PARAM } from '../events/index.ts';
import { type DaemonCertificate, DaemonCredentialError, daemonCredentials } from './credentials.ts';
import { type ExpiredCertificateSource, sandboxExpiredCertificate } from './expiredCertificate.ts';
import { type RecordedExchange, recordingNetwork } from './recordingNetwork.ts';

export interface RunOptions {
  credential: CredentialKind;
  /** The browser session that started the run (`lab_session`), so the live tracer sees its legs. */
  sessionId?: string;
  breakIt?: BreakIt;
  expiredCertificate?: ExpiredCertificateSource;
}

/**
 * The token request as the page shows it. Both credentials are masked: a client assertion is a
 * credential too (replayed at the token endpoint until it expires, it gets fresh tokens).
 */
function maskForm(form: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!form) return undefined;
  const shown = { ...form };
  if (shown.client_secret) shown.client_secret = maskSecret(shown.client_secret);
  if (shown.client_assertion) shown.client_assertion = shortenToken(shown.client_assertion);
  return shown;
}

function maskTokenResponse(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const shown = { ...(body as Record<string, unknown>) };
  if (typeof shown.access_token === 'string') shown.access_token = shortenToken(shown.access_token);
  return shown;
}

/** What to check when the token endpoint does not answer: the sandbox tenant, or the network to Entra. */
export function unreachableTenant(config: LabConfig, tokenEndpoint: string): string {
  return config.mode === 'sandbox'
    ? `The sandbox tenant did not answer at ${tokenEndpoint}. Is it running? npm start starts it.`
    : `Microsoft Entra did not answer at ${tokenEndpoint}. Check this computer's connection to ${new URL(tokenEndpoint).host} (a proxy or firewall in the way?) and ENTRA_AUTHORITY_HOST in .env.`;
}

/** MSAL Node's configuration for the daemon; shared with the workshop step-through. */
export function msalNodeConfiguration(
  config: LabConfig,
  credential: { secret?: string; certificate?: DaemonCertificate },
  log: RecordedExchange[],
): Configuration {
  return {
    auth: {
      clientId: config.ids.daemonClientId,
      // As a daemon next to Entra is configured: the https authority, its metadata discovered over TLS
      // (the lab's CA is trusted, ../tls/trust.ts). `knownAuthorities` turns off instance discovery,
      // which would ask login.microsoftonline.com about a host it does not know.
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      ...(credential.secret !== undefined ? { clientSecret: credential.secret } : {}),
      ...(credential.certificate
        ? {
            clientCertificate: {
              thumbprintSha256: credential.certificate.thumbprintSha256,
              privateKey: credential.certificate.privateKey,
              x5c: credential.certificate.x5c,
            },
          }
        : {}),
    },
    system: {
      networkClient: recordingNetwork(log),
      // MSAL's own log stays off: at Verbose it would print request details.
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  };
}

export async function callApi(
  config: LabConfig,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  sessionId?: string,
): Promise<RunStep> {
  const url = `${config.apiOrigin}${path}`;
  // The API tags its tracer events with this session; the page shows the URL without it.
  const requestUrl = sessionId ? `${url}?${SESSION_PARAM}=${sessionId}` : url;
  const body = method === 'POST' ? { title: 'Written by the daemon' } : undefined;
  const started = performance.now();
  const exchange: HttpExchangeView = {
    method,
    url,
    headers: { Authorization: `Bearer ${shortenToken(token)}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  };
  const id = method === 'GET' ? 'api-call' : 'api-call-write';
  const title = `${method} ${path}`;
  try {
    const response = await fetch(requestUrl, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    exchange.status = response.status;
    exchange.durationMs = performance.now() - started;
    const challenge = response.headers.get('www-authenticate');
    if (challenge) exchange.wwwAuthenticate = challenge;
    try {
      exchange.responseBody = JSON.parse(text);
    } catch {
      exchange.responseBody = text;
    }
    return { id, title, status: response.ok ? 'ok' : 'failed', exchange };
  } catch (error) {
    return {
      id,
      title,
      status: 'failed',
      exchange,
      note: `The sample API did not answer at ${config.apiOrigin} (${error instanceof Error ? error.message : String(error)}). Is it running? npm start starts it.`,
    };
  }
}

export async function runClientCredentials(config: LabConfig, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const result: RunResult = { credential: options.credential, steps: [] };
  if (options.breakIt) result.breakIt = options.breakIt;

  let credential: { secret?: string; certificate?: DaemonCertificate };
  try {
    if (options.breakIt === 'expired-certificate') {
      const source = options.expiredCertificate ?? sandboxExpiredCertificate;
      credential = { certificate: await source(config) };
    } else if (options.breakIt === 'wrong-secret') {
      // A plausible secret Value that was never issued to this app.
      credential = { secret: `Wr0ng~${crypto.randomUUID()}` };
    } else {
      credential = await daemonCredentials(config, options.credential);
    }
  } catch (error) {
    const message =
      error instanceof DaemonCredentialError ? error.message : `The daemon's credential could not be loaded: ${String(error)}`;
    result.steps.push({ id: 'token-request', title: 'Token request', status: 'failed', note: message });
    return result;
  }
  if (credential.certificate) {
    result.credential = 'certificate';
    result.certificate = { thumbprintSha256: credential.certificate.thumbprintSha256, notAfter: credential.certificate.notAfter };
  } else {
    result.credential = 'secret';
  }

  const log: RecordedExchange[] = [];
  const app = new ConfidentialClientApplication(msalNodeConfiguration(config, credential, log));
  // The one scope a daemon may ask for is {App ID URI}/.default: all app roles granted to it.
  const scopes = options.breakIt === 'scope-without-default' ? [config.delegatedScopes[0] as string] : [config.defaultScope];

  let accessToken: string | undefined;
  let msalError: unknown;
  try {
    const token = await app.acquireTokenByClientCredential({
      scopes,
      skipCache: true,
      // The sandbox tags the tenant's events with the browser session that asked; Entra never sees it.
      ...(options.sessionId && config.mode === 'sandbox' ? { extraQueryParameters: { [SESSION_PARAM]: options.sessionId } } : {}),
    });
    accessToken = token?.accessToken;
  } catch (error) {
    msalError = error;
  }
  result.tokenMs = performance.now() - started;

  // MSAL adds query parameters (client-request-id…) to the token endpoint; match on the endpoint itself.
  const tokenEndpoint = authorityEndpoints(config).token;
  const tokenCall = log.findLast((exchange) => exchange.method === 'POST' && exchange.url.split('?')[0] === tokenEndpoint);
  if (tokenCall) {
    const form = maskForm(tokenCall.form);
    // Decoded header and claims only, as the event stream shows it: without its signature it cannot be replayed.
    if (tokenCall.form?.client_assertion) result.clientAssertion = maskToken(tokenCall.form.client_assertion);
    result.steps.push({
      id: 'token-request',
      title: 'Token request',
      status: 'ok',
      exchange: {
        method: 'POST',
        url: tokenCall.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        ...(form ? { form } : {}),
      },
    });
    const error = tokenCall.status >= 400 ? parseEntraErrorBody(tokenCall.body) : undefined;
    result.steps.push({
      id: 'token-response',
      title: 'Token response',
      status: error ? 'failed' : 'ok',
      exchange: {
        method: 'POST',
        url: tokenCall.url,
        status: tokenCall.status,
        responseBody: maskTokenResponse(tokenCall.body),
        durationMs: tokenCall.durationMs,
      },
      ...(error ? { error } : {}),
    });
  } else {
    // MSAL refused before sending anything, or the tenant was unreachable.
    const error = parseMsalError(msalError);
    result.steps.push({
      id: 'token-request',
      title: 'Token request',
      status: 'failed',
      error,
      note:
        error.error === 'network_error' || /fetch failed|ECONNREFUSED|endpoints_resolution_error/i.test(error.description ?? '')
          ? unreachableTenant(config, tokenEndpoint)
          : 'MSAL did not send a token request.',
    });
  }

  if (!accessToken) {
    result.steps.push({ id: 'api-call', title: `GET /api/tasks`, status: 'skipped', note: 'No access token, so no API call.' });
    return result;
  }
  result.accessToken = accessToken;
  result.steps.push(await callApi(config, 'GET', '/api/tasks', accessToken, options.sessionId));
  // Tasks.Read.All lets the daemon read; writing needs a permission it was never granted, so a correct API answers 403.
  result.steps.push(await callApi(config, 'POST', '/api/tasks', accessToken, options.sessionId));
  return result;
}
