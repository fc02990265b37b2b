/**
 * How a widget starts a server-side daemon run (`POST /daemon/run`, `/daemon/run-federated`): the
 * confidential client runs next to the API, never in the browser, so the page sends only what to do
 * and gets the recorded steps back. A lab that does not answer, or refuses the request, becomes an
 * error card that says what to do; the run's own failures are in its steps.
 */
import { withLabSession } from '../../flows/labSession.ts';
import { part } from './dom.ts';
import { renderError } from './errorCard.ts';

/** The run's result, or `undefined` when there is none (the card already says why). */
export async function startDaemonRun<Result extends { steps: unknown[] }>(
  widget: HTMLElement,
  url: string,
  request: unknown,
): Promise<Result | undefined> {
  let response: Response;
  try {
    // lab_session scopes the tracer's events to this browser (servers/events/session.ts).
    response = await fetch(withLabSession(url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      credentials: 'omit',
    });
  } catch {
    renderError(part(widget, 'error'), {
      title: 'The daemon is not reachable',
      cause: `Nothing answered at ${url} (the daemon runs next to the sample API).`,
      fix: 'Start the lab with npm start, then press Run again.',
      known: false,
    });
    return undefined;
  }
  const body = (await response.json().catch(() => ({}))) as Result | { error?: string; error_description?: string };
  if ('steps' in body) return body;
  renderError(part(widget, 'error'), {
    title: `The run was refused (${response.status})`,
    detail: body.error_description ?? '',
    known: false,
  });
  return undefined;
}
