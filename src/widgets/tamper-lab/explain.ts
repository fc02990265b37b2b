/**
 * Asks the sample API why it would accept or refuse a token: `POST /api/explain` runs every
 * validation step and reports each (see servers/api/verify/pipeline.ts). The token goes in the
 * JSON body, to the lab's own API only.
 */
import type { ApiEndpoint } from '../../contracts/api.ts';
import type { Explanation } from '../../contracts/tokenValidation.ts';
import { withLabSession } from '../../flows/labSession.ts';

export type { Explanation, StepReport } from '../../contracts/tokenValidation.ts';

export class ApiUnreachableError extends Error {
  constructor(origin: string, cause: unknown) {
    super(
      `The sample API at ${origin} did not answer. Is the lab running (npm start)? ${cause instanceof Error ? cause.message : ''}`.trim(),
    );
    this.name = 'ApiUnreachableError';
  }
}

export async function explainToken(apiOrigin: string, token: string, endpoint?: ApiEndpoint): Promise<Explanation> {
  let response: Response;
  try {
    response = await fetch(withLabSession(`${apiOrigin}/api/explain`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(endpoint ? { token, endpoint } : { token }),
    });
  } catch (error) {
    throw new ApiUnreachableError(apiOrigin, error);
  }
  const body = (await response.json().catch(() => undefined)) as (Explanation & { error?: string; error_description?: string }) | undefined;
  if (!response.ok || !body || !Array.isArray(body.steps)) {
    throw new Error(`/api/explain answered HTTP ${response.status}${body?.error ? `: ${body.error} ${body.error_description ?? ''}` : ''}`);
  }
  return body;
}

/** The IDX/IDW codes of every failed step, in pipeline order. */
export function failedCodes(explanation: Explanation): string[] {
  return explanation.steps.flatMap((step) => (step.status === 'fail' && step.problem?.code ? [step.problem.code] : []));
}
