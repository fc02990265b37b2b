/**
 * The daemon run as a CI job with a federated credential (workload identity federation): no secret
 * and no certificate. The job asks its platform for an OIDC token, as a GitHub Actions step does
 * from `ACTIONS_ID_TOKEN_REQUEST_URL`, and MSAL Node's `ConfidentialClientApplication` presents it
 * as the client assertion (`clientAssertion`, a callback: the real API). Entra checks it against the
 * app's federated identity credential and returns an app-only token; the daemon calls the API.
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation
 *
 * The "break it" variants change one thing in the job's token, and the tenant answers for real.
 */
import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { type LabConfig, type WorkloadIssuerEndpoints, workloadIssuerEndpoints } from '../../src/config/lab.ts';
import { workloadIdentity } from '../../src/config/sandbox.ts';
import type { HttpExchangeView } from '../../src/flows/client-credentials/contract.ts';
import type { WorkloadBreakIt, WorkloadPretend, WorkloadRunResult, WorkloadRunStep } from '../../src/flows/workload-identity/contract.ts';
import { maskSecret, shortenToken } from '../../src/protocol/redact.ts';
import { SESSION_PARAM } from '../events/index.ts';
import { maskToken } from '../events/mask.ts';
import { callApi } from './clientCredentialsRun.ts';
import { type RecordedExchange, recordingNetwork } from './recordingNetwork.ts';
import { requestAppOnlyToken } from './tokenCall.ts';

export interface WorkloadRunOptions {
  breakIt?: WorkloadBreakIt;
  /** A subject or audience of your choosing, minted by the workload issuer ("pretend to be the CI job"). */
  pretend?: WorkloadPretend;
  /** The browser session that started the run (`lab_session`), so the live tracer sees its legs. */
  sessionId?: string;
}

/** What the job asks its issuer for, when one thing is wrong: the "pretend to be the CI job" request. */
export function pretendRequest(breakIt: WorkloadBreakIt, issuer: string): Record<string, unknown> | undefined {
  const { repository, ref } = workloadIdentity;
  switch (breakIt) {
    case 'wrong-issuer':
      // The classic: the credential was saved with a trailing slash, or the token carries one.
      return { issuer: `${issuer}/` };
    case 'wrong-subject':
      // The job ran on main without its environment: GitHub's subject is then the branch's.
      return { subject: `repo:${repository}:ref:${ref}` };
    case 'subject-case':
      return { subject: workloadIdentity.federatedCredential.subject.replace('repo:contoso/', 'repo:Contoso/') };
    case 'expired':
      return { expired: true };
    default:
      return undefined;
  }
}

// #region job-token
/**
 * A GitHub Actions step does the same with `ACTIONS_ID_TOKEN_REQUEST_URL` and
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (both set only when the workflow has `permissions: id-token: write`):
 *   GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange   Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN
 * and reads the token from the JSON answer's `value`.
 */
export async function requestWorkloadToken(
  issuer: WorkloadIssuerEndpoints,
  request: { audience?: string; pretend?: Record<string, unknown>; sessionId?: string },
): Promise<{ token?: string; exchange: HttpExchangeView; problem?: string }> {
  const url = new URL(request.pretend ? issuer.pretend : issuer.tokenRequest);
  if (request.audience) url.searchParams.set('audience', request.audience);
  const shownUrl = url.href;
  if (request.sessionId) url.searchParams.set(SESSION_PARAM, request.sessionId);
  const headers: Record<string, string> = { Authorization: `Bearer ${workloadIdentity.sandboxRequestToken}` };
  if (request.pretend) headers['Content-Type'] = 'application/json';
  const exchange: HttpExchangeView = {
    method: request.pretend ? 'POST' : 'GET',
    url: shownUrl,
    headers: { ...headers, Authorization: `Bearer ${maskSecret(workloadIdentity.sandboxRequestToken)}` },
    ...(request.pretend ? { body: request.pretend } : {}),
  };
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: exchange.method,
      headers,
      ...(request.pretend ? { body: JSON.stringify(request.pretend) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
    exchange.status = response.status;
    exchange.durationMs = performance.now() - started;
    const token = typeof body?.value === 'string' ? body.value : undefined;
    exchange.responseBody = token ? { value: shortenToken(token) } : body;
    return token ? { token, exchange } : { exchange, problem: `The workload issuer answered ${response.status} without a token.` };
  } catch (error) {
    return {
      exchange,
      problem: `The workload issuer did not answer at ${issuer.base} (${error instanceof Error ? error.message : String(error)}). Is the sandbox tenant running? npm start starts it.`,
    };
  }
}
// #endregion

/** A token with the job's claims, signed by someone who is not the issuer (a key it never published). */
export async function forgeToken(genuine: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' }).sign(privateKey);
}

// #region msal
/**
 * MSAL Node with a federated credential: `clientAssertion` is a callback MSAL calls for each token
 * request, so a job can hand over a fresh platform token every time (GitHub's and Kubernetes' are
 * short-lived). No secret, no certificate.
 */
export function federatedMsalConfiguration(config: LabConfig, getAssertion: () => Promise<string>, log: RecordedExchange[]): Configuration {
  return {
    auth: {
      clientId: config.ids.daemonClientId,
      // As a daemon next to Entra is configured: the https authority, its metadata discovered over TLS
      // (the lab's CA is trusted, ../tls/trust.ts); `knownAuthorities` turns off instance discovery.
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      clientAssertion: async () => getAssertion(),
    },
    system: {
      networkClient: recordingNetwork(log),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  };
}
// #endregion

export async function runWorkloadIdentity(config: LabConfig, options: WorkloadRunOptions = {}): Promise<WorkloadRunResult> {
  const started = performance.now();
  const issuer = workloadIssuerEndpoints(config);
  const result: WorkloadRunResult = {
    federatedCredential: {
      issuer: issuer.issuer,
      subject: workloadIdentity.federatedCredential.subject,
      audience: workloadIdentity.federatedCredential.audience,
    },
    steps: [],
  };
  if (options.breakIt) result.breakIt = options.breakIt;
  if (options.pretend) result.pretend = options.pretend;
  if (config.mode !== 'sandbox') {
    result.steps.push({
      id: 'workload-token',
      title: 'Workload token',
      status: 'failed',
      note: 'The federated credential run needs the sandbox: Entra fetches the issuer’s keys from its public HTTPS URL, and the lab’s workload issuer runs on this machine. With a real tenant, run the GitHub Actions workflow on the guide page instead.',
    });
    return result;
  }

  // 1. The job asks its platform for a token for Entra's token-exchange audience.
  const pretend = options.pretend
    ? { audience: workloadIdentity.federatedCredential.audience, ...options.pretend }
    : options.breakIt
      ? pretendRequest(options.breakIt, issuer.issuer)
      : undefined;
  const audience = options.breakIt === 'wrong-audience' || pretend ? undefined : workloadIdentity.federatedCredential.audience;
  const issued = await requestWorkloadToken(issuer, { audience, pretend, sessionId: options.sessionId });
  const workloadStep: WorkloadRunStep = {
    id: 'workload-token',
    title: 'Workload token from the issuer',
    status: issued.token ? 'ok' : 'failed',
    exchange: issued.exchange,
  };
  if (issued.problem) workloadStep.note = issued.problem;
  result.steps.push(workloadStep);
  if (!issued.token) return result;
  const assertion = options.breakIt === 'forged-signature' ? await forgeToken(issued.token) : issued.token;
  result.workloadToken = maskToken(assertion);

  // 2. MSAL presents it as the client assertion; Entra checks it against the federated credential.
  const log: RecordedExchange[] = [];
  const app = new ConfidentialClientApplication(federatedMsalConfiguration(config, async () => assertion, log));
  const tokenCall = await requestAppOnlyToken(config, app, log, {
    scopes: [config.defaultScope],
    sessionId: options.sessionId,
    requestTitle: 'Token request with the federated assertion',
  });
  result.tokenMs = performance.now() - started;
  result.steps.push(...tokenCall.steps);
  const accessToken = tokenCall.accessToken;

  if (!accessToken) {
    result.steps.push({ id: 'api-call', title: 'GET /api/tasks', status: 'skipped', note: 'No access token, so no API call.' });
    return result;
  }
  result.accessToken = maskToken(accessToken);
  // 3. The job calls the API with the app-only token, as any daemon does.
  const call = await callApi(config, 'GET', '/api/tasks', accessToken, options.sessionId);
  result.steps.push({ ...call, id: 'api-call' });
  return result;
}
