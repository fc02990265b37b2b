/**
 * The signed-in user's tasks, fetched by the web app's server: an access token for the Tasks API
 * from this session's server-side cache (`acquireTokenSilent`; MSAL renews it with the cached
 * refresh token when it has expired), then `GET /api/tasks` server-to-server. The browser gets the
 * tasks as HTML; the token never leaves this process (./tasksApiToken.ts gets it).
 * https://learn.microsoft.com/entra/identity-platform/scenario-web-app-call-api-acquire-token?tabs=nodejs
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { parseBearerChallenge } from '../../src/protocol/bearerChallenge.ts';
import { SESSION_HEADER } from '../events/index.ts';
import { publishWebAppEvent } from './events.ts';
import { apiCallLeg, recordLeg } from './serverLegs.ts';
import type { WebAppSession } from './sessions.ts';
import { tasksApiToken } from './tasksApiToken.ts';

export interface Task {
  id: string;
  title: string;
  done: boolean;
}

export type TasksResult =
  | { ok: true; tasks: Task[] }
  | { ok: false; reason: 'sign-in-again' | 'api-refused' | 'api-down' | 'no-credential'; message: string; code?: string };

// #region tasks
export async function fetchTasks(config: LabConfig, session: WebAppSession): Promise<TasksResult> {
  const token = await tasksApiToken(config, session);
  if (!token.ok) return token;
  const { accessToken, log } = token;
  const url = `${config.apiOrigin}/api/tasks`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        // The API tags its tracer events with the browser's lab session (servers/events/session.ts).
        ...(session.labSession ? { [SESSION_HEADER]: session.labSession } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    recordLeg(session.legs, apiCallLeg('GET', url, accessToken, undefined, undefined, log.length === 0));
    return {
      ok: false,
      reason: 'api-down',
      message: `The Tasks API did not answer at ${config.apiOrigin}. Is the lab running (npm start)?`,
    };
  }
  // #endregion tasks
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  recordLeg(session.legs, apiCallLeg('GET', url, accessToken, response.status, body, log.length === 0));
  if (!response.ok) {
    const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))?.params;
    return {
      ok: false,
      reason: 'api-refused',
      message: `The Tasks API answered ${response.status}${challenge?.error ? ` ${challenge.error}: ${challenge.error_description ?? ''}` : ''}.`,
    };
  }
  publishWebAppEvent(session, {
    name: 'webapp.page',
    leg: 'api',
    summary: `200 page with ${(body as { tasks?: unknown[] }).tasks?.length ?? 0} tasks as HTML (no token in it)`,
    http: { method: 'GET', path: '/', status: 200 },
  });
  return { ok: true, tasks: ((body as { tasks?: Task[] }).tasks ?? []).map(({ id, title, done }) => ({ id, title, done })) };
}
