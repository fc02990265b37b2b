/**
 * Starts one client-credentials run on the lab's daemon route (servers/daemon/routes.ts): the
 * daemon is a confidential client, so it runs in Node and only its result comes back, credential
 * masked. The app-only access token in it is for this page to compare, nothing else.
 */
import type { RunResult } from '../../flows/client-credentials/contract.ts';
import { withLabSession } from '../../flows/labSession.ts';

export type { RunResult } from '../../flows/client-credentials/contract.ts';

/** Where servers/daemon/routes.ts is mounted: the sample API's server, under `/daemon`. */
export const DAEMON_RUN_PATH = '/daemon/run';

export class DaemonUnreachableError extends Error {
  constructor(origin: string, cause: unknown) {
    super(
      `The lab's daemon at ${origin} did not answer. Is the lab running (npm start)? ${cause instanceof Error ? cause.message : ''}`.trim(),
    );
    this.name = 'DaemonUnreachableError';
  }
}

export async function runDaemon(apiOrigin: string, credential: 'secret' | 'certificate' = 'secret'): Promise<RunResult> {
  let response: Response;
  try {
    response = await fetch(withLabSession(`${apiOrigin}${DAEMON_RUN_PATH}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential }),
    });
  } catch (error) {
    throw new DaemonUnreachableError(apiOrigin, error);
  }
  const body = (await response.json().catch(() => undefined)) as (RunResult & { error?: string; error_description?: string }) | undefined;
  if (!response.ok || !body || !Array.isArray(body.steps)) {
    throw new Error(
      `The daemon route answered HTTP ${response.status}${body?.error ? `: ${body.error} ${body.error_description ?? ''}` : ''}`,
    );
  }
  return body;
}

/** Whether the token endpoint's answer to the daemon held a refresh token (it must not: RFC 6749 §4.4.3). */
export function daemonGotRefreshToken(result: RunResult): boolean {
  const body = result.steps.find((step) => step.id === 'token-response')?.exchange?.responseBody;
  return Boolean(body && typeof body === 'object' && 'refresh_token' in body);
}
