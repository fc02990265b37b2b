/**
 * The Client Credentials flow's wire contract: what the lab's daemon (servers/daemon/, MSAL Node)
 * and the presenter's daemon steps (servers/workshop/daemonSteps.ts) answer, and what the widgets
 * and the step-through read. The daemon is a confidential client, so its legs run on the server;
 * the page gets the record of each leg, with every credential masked.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import type { ApiEndpoint } from '../../contracts/api.ts';
import type { MaskedToken } from '../../contracts/protocolEvents.ts';
import type { EntraError } from '../../protocol/aadstsError.ts';

// #region daemon run (POST /daemon/run: the client-credentials widget and the side-by-side page)
export const CREDENTIAL_KINDS = ['secret', 'certificate'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];
export const BREAK_IT = ['wrong-secret', 'scope-without-default', 'expired-certificate'] as const;
export type BreakIt = (typeof BREAK_IT)[number];

export interface HttpExchangeView {
  method: string;
  url: string;
  /** Request headers as shown: the Authorization header's token shortened. */
  headers?: Record<string, string>;
  /** Form fields as shown: `client_secret` masked; `client_assertion` kept so the page can decode it. */
  form?: Record<string, string>;
  body?: unknown;
  status?: number;
  wwwAuthenticate?: string;
  responseBody?: unknown;
  durationMs?: number;
}

export interface RunStep {
  /** Step ids match `content/flows/client-credentials.yaml`, so the tracer and the widget agree. */
  id: 'token-request' | 'token-response' | 'api-call' | 'api-call-write';
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  exchange?: HttpExchangeView;
  error?: EntraError;
  note?: string;
}

export interface RunResult {
  credential: CredentialKind;
  breakIt?: BreakIt;
  steps: RunStep[];
  /** The app-only access token, for the decoder. The credential itself is never in a result. */
  accessToken?: string;
  /**
   * The RFC 7523 client assertion MSAL built (certificate runs), decoded, without its signature: it
   * is a credential (replayed, it gets tokens until it expires), so the page never gets it whole.
   */
  clientAssertion?: MaskedToken;
  /** What the certificate run used, by thumbprint only. */
  certificate?: { thumbprintSha256: string; notAfter: string };
  /** Milliseconds from the start of the run to the token response. */
  tokenMs?: number;
}
// #endregion

// #region presenter's daemon steps (POST /_lab/workshop/daemon/token and /daemon/call)
/** The calls a daemon may make in the step-through and the exercises. */

export interface DaemonTokenLeg {
  ok: boolean;
  request: { method: 'POST'; url: string; form?: Record<string, unknown> };
  response?: { status: number; body: Record<string, unknown> };
  /** The access token, decoded and without its signature. */
  accessToken?: MaskedToken;
  error?: EntraError;
  /** What went wrong before any request was sent (credential missing, tenant unreachable). */
  note?: string;
}

export interface DaemonApiLeg {
  ok: boolean;
  endpoint: ApiEndpoint;
  request: { method: string; url: string; authorization?: string };
  status?: number;
  wwwAuthenticate?: string;
  body?: unknown;
  note?: string;
}
// #endregion
