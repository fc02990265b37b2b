/**
 * One app-only token request through MSAL Node, as a daemon run shows it: the request MSAL sent and
 * Entra's answer, both masked (a secret or client assertion is a credential, an access token a
 * bearer artefact), or why nothing was sent. Shared by the client-credentials run (secret or
 * certificate) and the workload-identity run (federated assertion): the grant is the same.
 */
import type { ConfidentialClientApplication } from '@azure/msal-node';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import type { RunStep } from '../../src/flows/client-credentials/contract.ts';
import { parseEntraErrorBody, parseMsalError } from '../../src/protocol/aadstsError.ts';
import { maskValue } from '../../src/protocol/redact.ts';
import { SESSION_PARAM } from '../events/index.ts';
import type { RecordedExchange } from './recordingNetwork.ts';

export type TokenCallStep = Omit<RunStep, 'id'> & { id: 'token-request' | 'token-response' };

export interface TokenCall {
  accessToken?: string;
  /** `token-request` and `token-response`, or one failed `token-request` when MSAL sent nothing. */
  steps: TokenCallStep[];
}

/** Form fields and JSON members as the page shows them (../../src/protocol/redact.ts). */
function masked<T>(fields: T): T {
  if (!fields || typeof fields !== 'object') return fields;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, maskValue(name, value)])) as T;
}

/** What to check when the token endpoint does not answer: the sandbox tenant, or the network to Entra. */
export function unreachableTenant(config: LabConfig, tokenEndpoint: string): string {
  return config.mode === 'sandbox'
    ? `The sandbox tenant did not answer at ${tokenEndpoint}. Is it running? npm start starts it.`
    : `Microsoft Entra did not answer at ${tokenEndpoint}. Check this computer's connection to ${new URL(tokenEndpoint).host} (a proxy or firewall in the way?) and ENTRA_AUTHORITY_HOST in .env.`;
}

export async function requestAppOnlyToken(
  config: LabConfig,
  app: ConfidentialClientApplication,
  /** The exchanges MSAL's network client recorded for `app` (./recordingNetwork.ts). */
  log: RecordedExchange[],
  request: { scopes: string[]; sessionId?: string; requestTitle?: string },
): Promise<TokenCall> {
  let accessToken: string | undefined;
  let msalError: unknown;
  try {
    const token = await app.acquireTokenByClientCredential({
      scopes: request.scopes,
      skipCache: true,
      // The sandbox tags the tenant's events with the browser session that asked; Entra never sees it.
      ...(request.sessionId && config.mode === 'sandbox' ? { extraQueryParameters: { [SESSION_PARAM]: request.sessionId } } : {}),
    });
    accessToken = token?.accessToken;
  } catch (error) {
    msalError = error;
  }

  // MSAL adds query parameters (client-request-id…) to the token endpoint; match on the endpoint itself.
  const tokenEndpoint = authorityEndpoints(config).token;
  const tokenCall = log.findLast((exchange) => exchange.method === 'POST' && exchange.url.split('?')[0] === tokenEndpoint);
  if (!tokenCall) {
    // MSAL refused before sending anything, or the tenant was unreachable.
    const error = parseMsalError(msalError);
    const unreachable =
      error.error === 'network_error' || /fetch failed|ECONNREFUSED|endpoints_resolution_error/i.test(error.description ?? '');
    return {
      steps: [
        {
          id: 'token-request',
          title: 'Token request',
          status: 'failed',
          error,
          note: unreachable ? unreachableTenant(config, tokenEndpoint) : 'MSAL did not send a token request.',
        },
      ],
    };
  }
  const form = masked(tokenCall.form);
  const error = tokenCall.status >= 400 ? parseEntraErrorBody(tokenCall.body) : undefined;
  return {
    ...(accessToken ? { accessToken } : {}),
    steps: [
      {
        id: 'token-request',
        title: request.requestTitle ?? 'Token request',
        status: 'ok',
        exchange: {
          method: 'POST',
          url: tokenCall.url,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          ...(form ? { form } : {}),
        },
      },
      {
        id: 'token-response',
        title: 'Token response',
        status: error ? 'failed' : 'ok',
        exchange: {
          method: 'POST',
          url: tokenCall.url,
          status: tokenCall.status,
          responseBody: masked(tokenCall.body),
          durationMs: tokenCall.durationMs,
        },
        ...(error ? { error } : {}),
      },
    ],
  };
}
