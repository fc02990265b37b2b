/**
 * Workload identity federation in the presenter's step-through, one leg per key press: the CI job's
 * token from the workload issuer, then its exchange at the tenant with MSAL Node (the same
 * `clientAssertion` configuration as the daemon's federated run). The app-only token is handed to
 * `DaemonSteps`, so the third press is the daemon's ordinary API call.
 *
 * Tokens stay in this process, keyed by the browser session; the page gets them decoded, without
 * their signatures. The issuer, the tenant and the API publish their own events for each leg, tagged
 * with the session, so the tracer lights them.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { authorityEndpoints, type LabConfig, workloadIssuerEndpoints } from '../../src/config/lab.ts';
import { workloadIdentity } from '../../src/config/sandbox.ts';
import type { DaemonTokenLeg } from '../../src/flows/client-credentials/contract.ts';
import type { WorkloadTokenLeg } from '../../src/flows/workload-identity/contract.ts';
import { parseEntraErrorBody, parseMsalError } from '../../src/protocol/aadstsError.ts';
import type { RecordedExchange } from '../daemon/recordingNetwork.ts';
import { federatedMsalConfiguration, requestWorkloadToken } from '../daemon/workloadIdentityRun.ts';
import { maskParams, maskToken, SESSION_PARAM } from '../events/index.ts';
import type { DaemonSteps } from './daemonSteps.ts';
import { HeldPerSession } from './heldPerSession.ts';

export class WorkloadSteps {
  readonly #config: LabConfig;
  readonly #daemon: DaemonSteps;
  readonly #tokens = new HeldPerSession<string>();

  constructor(config: LabConfig, daemon: DaemonSteps) {
    this.#config = config;
    this.#daemon = daemon;
  }

  clear(): number {
    return this.#tokens.clear();
  }

  /** Leg 1: the job asks its platform's issuer for a token for api://AzureADTokenExchange. */
  async requestToken(sessionId: string): Promise<WorkloadTokenLeg> {
    const issuer = workloadIssuerEndpoints(this.#config);
    const url = `${issuer.tokenRequest}?audience=${encodeURIComponent(workloadIdentity.federatedCredential.audience)}`;
    if (this.#config.mode !== 'sandbox') {
      return {
        ok: false,
        request: { method: 'GET', url },
        note: 'The workload issuer runs in the sandbox only; a real tenant cannot reach it.',
      };
    }
    const issued = await requestWorkloadToken(issuer, { audience: workloadIdentity.federatedCredential.audience, sessionId });
    const leg: WorkloadTokenLeg = { ok: Boolean(issued.token), request: { method: 'GET', url } };
    if (issued.exchange.status !== undefined) leg.status = issued.exchange.status;
    if (issued.problem) leg.note = issued.problem;
    if (issued.token) {
      leg.workloadToken = maskToken(issued.token);
      this.#tokens.set(sessionId, issued.token);
    }
    return leg;
  }

  /** Leg 2: MSAL Node presents the job's token as the client assertion; Entra checks the federated credential. */
  async exchange(sessionId: string): Promise<DaemonTokenLeg> {
    const config = this.#config;
    const tokenUrl = authorityEndpoints(config).token;
    const assertion = this.#tokens.get(sessionId);
    if (!assertion)
      return {
        ok: false,
        request: { method: 'POST', url: tokenUrl },
        note: 'The job has no token from its issuer yet: run the previous step first.',
      };
    const log: RecordedExchange[] = [];
    const app = new ConfidentialClientApplication(federatedMsalConfiguration(config, async () => assertion, log));
    let accessToken: string | undefined;
    let msalError: unknown;
    try {
      const result = await app.acquireTokenByClientCredential({
        scopes: [config.defaultScope],
        skipCache: true,
        // The sandbox tags the tenant's events with the browser session that asked.
        ...{ extraQueryParameters: { [SESSION_PARAM]: sessionId } },
      });
      accessToken = result?.accessToken;
    } catch (error) {
      msalError = error;
    }
    const exchange = log.findLast((e) => e.method === 'POST' && e.url.split('?')[0] === tokenUrl);
    const form = exchange?.form ? maskParams(exchange.form) : undefined;
    const leg: DaemonTokenLeg = { ok: Boolean(accessToken), request: { method: 'POST', url: tokenUrl, ...(form ? { form } : {}) } };
    if (!exchange) {
      leg.error = parseMsalError(msalError);
      leg.note = `MSAL did not reach the tenant at ${tokenUrl}. Is the lab running (npm start)?`;
      return leg;
    }
    leg.response = { status: exchange.status, body: maskParams((exchange.body ?? {}) as Record<string, unknown>) };
    if (accessToken) {
      leg.accessToken = maskToken(accessToken);
      this.#daemon.hold(sessionId, accessToken, exchange.body);
    } else {
      leg.error = parseEntraErrorBody(exchange.body);
    }
    return leg;
  }
}
