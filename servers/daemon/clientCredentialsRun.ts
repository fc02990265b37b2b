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
import type { LabConfig } from '../../src/config/lab.ts';
import type { BreakIt, CredentialKind, HttpExchangeView, RunResult, RunStep } from '../../src/flows/client-credentials/contract.ts';
import { shortenToken } from '../../src/protocol/redact.ts';
import { maskToken, SESSION_PARAM } from '../events/index.ts';
import { type DaemonCertificate, DaemonCredentialError, daemonCredentials } from './credentials.ts';
import { type ExpiredCertificateSource, sandboxExpiredCertificate } from './expiredCertificate.ts';
import { type RecordedExchange, recordingNetwork } from './recordingNetwork.ts';
import { requestAppOnlyToken } from './tokenCall.ts';

export interface RunOptions {
  credential: CredentialKind;
  /** The browser session that started the run (`lab_session`), so the live tracer sees its legs. */
  sessionId?: string;
  breakIt?: BreakIt;
  expiredCertificate?: ExpiredCertificateSource;
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

  const tokenCall = await requestAppOnlyToken(config, app, log, { scopes, sessionId: options.sessionId });
  result.tokenMs = performance.now() - started;
  result.steps.push(...tokenCall.steps);
  // Decoded header and claims only, as the event stream shows it: without its signature it cannot be replayed.
  const assertion = log.findLast((exchange) => exchange.form?.client_assertion)?.form?.client_assertion;
  if (assertion) result.clientAssertion = maskToken(assertion);
  const accessToken = tokenCall.accessToken;

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
