/**
 * Workload identity federation's wire contract: what the lab's daemon answers when it runs as a CI
 * job with a federated credential (POST /daemon/run-federated, servers/daemon/workloadIdentityRun.ts)
 * and what the workload-identity widget reads. The job trades its platform's token (here the sandbox's
 * stand-in for GitHub Actions' OIDC token) for an Entra app-only token: no secret anywhere.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 *
 * No token travels whole in a result: the external token and the access token are shown decoded,
 * without their signatures (src/contracts/protocolEvents.ts `MaskedToken`).
 */
import type { MaskedToken } from '../../contracts/protocolEvents.ts';
import type { EntraError } from '../../protocol/aadstsError.ts';
import type { HttpExchangeView } from '../client-credentials/contract.ts';

// #region federated run (POST /daemon/run-federated)
export const RUN_FEDERATED_PATH = '/daemon/run-federated';

/** One thing changed on purpose, so Entra answers with the error a real job would meet. */
export const WORKLOAD_BREAK_IT = [
  'wrong-issuer',
  'wrong-subject',
  'subject-case',
  'wrong-audience',
  'expired',
  'forged-signature',
] as const;
export type WorkloadBreakIt = (typeof WORKLOAD_BREAK_IT)[number];

/**
 * "Pretend to be the CI job": the job's token for a subject or audience you choose, minted by the
 * workload issuer, to see whether Entra trusts it. Each at most 600 characters, Entra's limit for a
 * federated credential's fields.
 */
export interface WorkloadPretend {
  subject?: string;
  audience?: string;
}

/** The request body: nothing (the job as it is), one thing broken, or your own subject and audience. */
export interface WorkloadRunRequest {
  breakIt?: WorkloadBreakIt;
  pretend?: WorkloadPretend;
}

export const MAX_PRETEND_LENGTH = 600;

export interface WorkloadRunStep {
  /** Step ids match `content/flows/workload-identity.yaml`, so the tracer and the widget agree. */
  id: 'workload-token' | 'token-request' | 'token-response' | 'api-call';
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  exchange?: HttpExchangeView;
  error?: EntraError;
  note?: string;
}

export interface WorkloadRunResult {
  breakIt?: WorkloadBreakIt;
  pretend?: WorkloadPretend;
  /** What the daemon's app registration trusts: its federated identity credential. */
  federatedCredential: { issuer: string; subject: string; audience: string };
  steps: WorkloadRunStep[];
  /** The CI job's token from the workload issuer, decoded, without its signature. */
  workloadToken?: MaskedToken;
  /** The app-only access token Entra issued for it, decoded, without its signature. */
  accessToken?: MaskedToken;
  /** Milliseconds from the start of the run to Entra's token response. */
  tokenMs?: number;
}
// #endregion

// #region presenter's steps (POST /_lab/workshop/workload/token, then /workload/exchange)
/** The step-through's first leg: the job's token from the workload issuer, held on the server for the session. */
export interface WorkloadTokenLeg {
  ok: boolean;
  request: { method: 'GET'; url: string };
  status?: number;
  /** The job's token, decoded, without its signature. */
  workloadToken?: MaskedToken;
  note?: string;
}
// #endregion
