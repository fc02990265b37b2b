/**
 * Workshop mode's HTTP surface, mounted on the site's own server under `/_lab/workshop/` (same
 * origin as the pages, so no CORS and nothing new in the Content-Security-Policy):
 *
 *   GET  /_lab/workshop/status           which sandbox generation is live, LAN mode or not
 *   POST /_lab/workshop/reset            {"confirm": "reset"}: sign everyone out, fresh keys, fresh data
 *                                         (the presenter's browser on this machine only)
 *   POST /_lab/workshop/daemon/token     the step-through daemon's token request (X-Lab-Session-Key)
 *   POST /_lab/workshop/daemon/call      {"endpoint": "GET /api/tasks"}: its API call with that token
 *   POST /_lab/workshop/workload/token   the step-through CI job's token from the workload issuer (X-Lab-Session)
 *   POST /_lab/workshop/workload/exchange  its exchange at the tenant; then /daemon/call calls the API with the result
 *   POST /_lab/workshop/exercises/check  {"exercise", "answers", "token"?}: verify from what the lab observed
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import type { LabConfig } from '../../src/config/lab.ts';
import { API_ENDPOINTS, isApiEndpoint } from '../../src/contracts/api.ts';
import { SESSION_KEY_HEADER, sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { type CheckAnswers, WORKSHOP_API } from '../../src/contracts/workshop.ts';
import { workshopCheckSchema } from '../../src/data/schemas.ts';
import { endpointPolicies } from '../api/permissions.ts';
import { type EventBus, isSessionId, protocolEvents } from '../events/index.ts';
import { DaemonSteps } from './daemonSteps.ts';
import { checkExercise, type ExplainVerdict } from './exerciseChecks.ts';
import { registeredResetters, registerSandboxReset, resetSandbox, sandboxGeneration } from './sandboxReset.ts';
import { WorkloadSteps } from './workloadSteps.ts';

const MAX_BODY_BYTES = 16 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
const invalidRequest = (description: string) => json(400, { error: 'invalid_request', error_description: description });

/** This machine's own addresses: loopback, and in LAN mode the address the presenter's browser also uses. */
function localAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address)
      .filter((a): a is string => Boolean(a)),
  );
}

/** Whether a peer is the machine the lab runs on (the presenter), not an attendee on the network. */
export function isThisMachine(address: string | undefined, own: Set<string> = localAddresses()): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.') || own.has(plain);
}

async function readJson(c: Context): Promise<Record<string, unknown> | Response> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return invalidRequest('Send the body as application/json.');
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES)
    return json(413, { error: 'invalid_request', error_description: `The body is larger than ${MAX_BODY_BYTES} bytes.` });
  try {
    const value = JSON.parse(text || '{}') as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  return invalidRequest('The body is not a JSON object.');
}

export interface WorkshopRouteOptions {
  bus?: EventBus;
  daemon?: DaemonSteps;
  workload?: WorkloadSteps;
  /** How to ask the API for its verdict on a pasted token (tests may replace it). */
  explain?: (token: string) => Promise<ExplainVerdict | undefined>;
}

export function createWorkshopApp(config: LabConfig, options: WorkshopRouteOptions = {}): Hono {
  const bus = options.bus ?? protocolEvents;
  const daemon = options.daemon ?? new DaemonSteps(config, bus);
  const workload = options.workload ?? new WorkloadSteps(config, daemon);
  const explain =
    options.explain ??
    (async (token: string) => {
      const response = await fetch(`${config.apiOrigin}/api/explain`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token, endpoint: 'GET /api/tasks' }),
        signal: AbortSignal.timeout(10_000),
      });
      return response.ok ? ((await response.json()) as ExplainVerdict) : undefined;
    });
  const app = new Hono().basePath(WORKSHOP_API);

  // Every state-changing call must come from the lab's own pages: a page on another origin cannot
  // reset the sandbox or spend someone's session (browsers always send Origin on a cross-origin POST).
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST' && c.req.header('origin') !== config.siteOrigin) {
      return json(403, {
        error: 'access_denied',
        error_description: `Workshop actions are accepted from the lab's own pages (${config.siteOrigin}) only.`,
      });
    }
    await next();
  });

  // Acting as a session (its daemon token, what the lab observed of it) takes the session's key; the
  // id it derives is what tags the legs.
  const sessionOf = (c: Context): string | Response => {
    const key = c.req.header(SESSION_KEY_HEADER);
    return isSessionId(key)
      ? sessionIdOfKey(key)
      : invalidRequest(
          `Send the browser session's key in the ${SESSION_KEY_HEADER} header (8 to 128 characters from A-Z, a-z, 0-9, "-", "_").`,
        );
  };

  app.get('/status', (c) =>
    c.json(
      {
        generation: sandboxGeneration(),
        mode: config.mode,
        lan: config.network.lan,
        siteOrigin: config.siteOrigin,
        resets: registeredResetters(),
      },
      200,
      { 'Cache-Control': 'no-store' },
    ),
  );

  app.post('/reset', async (c) => {
    const peer = getConnInfo(c).remote.address;
    // Attendees reach the same server in LAN mode; only the presenter's own machine may reset.
    if (!isThisMachine(peer)) {
      return json(403, {
        error: 'access_denied',
        error_description: `Only the presenter's browser on the machine that runs the lab can reset the sandbox; this request came from ${peer ?? 'an unknown address'}.`,
      });
    }
    const body = await readJson(c);
    if (body instanceof Response) return body;
    if (body.confirm !== 'reset') return invalidRequest('Confirm with {"confirm": "reset"}: a reset signs everyone out.');
    if (config.mode !== 'sandbox')
      return json(409, { error: 'invalid_request', error_description: 'A real Entra tenant cannot be reset from the lab.' });
    return json(200, await resetSandbox());
  });

  app.post('/daemon/token', async (c) => {
    const session = sessionOf(c);
    if (session instanceof Response) return session;
    return json(200, await daemon.requestToken(session));
  });

  app.post('/daemon/call', async (c) => {
    const session = sessionOf(c);
    if (session instanceof Response) return session;
    const body = await readJson(c);
    if (body instanceof Response) return body;
    const endpoint = body.endpoint ?? 'GET /api/tasks';
    if (!isApiEndpoint(endpoint)) return invalidRequest(`"endpoint" must be one of: ${API_ENDPOINTS.join(', ')}.`);
    return json(200, await daemon.callApi(session, endpoint));
  });

  app.post('/workload/token', async (c) => {
    const session = sessionOf(c);
    if (session instanceof Response) return session;
    return json(200, await workload.requestToken(session));
  });

  app.post('/workload/exchange', async (c) => {
    const session = sessionOf(c);
    if (session instanceof Response) return session;
    return json(200, await workload.exchange(session));
  });

  app.post('/exercises/check', async (c) => {
    const session = sessionOf(c);
    if (session instanceof Response) return session;
    const body = await readJson(c);
    if (body instanceof Response) return body;
    const exercise = workshopCheckSchema.safeParse(body.exercise);
    if (!exercise.success) return invalidRequest(`"exercise" must be one of: ${workshopCheckSchema.options.join(', ')}.`);
    const raw = (body.answers ?? {}) as Record<string, unknown>;
    const answers: CheckAnswers = {};
    if (typeof raw.permission === 'string') answers.permission = raw.permission.slice(0, 200);
    if (raw.tokenKind === 'user' || raw.tokenKind === 'app') answers.tokenKind = raw.tokenKind;
    if (typeof raw.claim === 'string') answers.claim = raw.claim.slice(0, 100);
    let explained: ExplainVerdict | undefined;
    if (typeof body.token === 'string' && body.token.trim()) {
      explained = await explain(body.token.trim()).catch(() => undefined);
    }
    const result = checkExercise(exercise.data, {
      events: bus.recent(session),
      answers,
      apiClientId: config.ids.apiClientId,
      policies: endpointPolicies,
      ...(explained ? { explained } : {}),
    });
    return json(200, result);
  });

  app.notFound((c) => json(404, { error: 'not_found', error_description: `No workshop route ${c.req.method} ${c.req.path}.` }));
  app.onError(() =>
    json(500, { error: 'server_error', error_description: 'The workshop route failed unexpectedly; see the lab console.' }),
  );
  return app;
}

export interface WorkshopHandler {
  /** Answers requests under `/_lab/workshop/`; returns false for every other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
}

/** For the site server: the routes, plus the daemon's part of the workshop reset. */
export function createWorkshopHandler(config: LabConfig): WorkshopHandler {
  const daemon = new DaemonSteps(config);
  const workload = new WorkloadSteps(config, daemon);
  const listener = getRequestListener(createWorkshopApp(config, { daemon, workload }).fetch);
  const unregister = registerSandboxReset({
    name: 'daemon',
    order: 30,
    reset: async () => [
      `Forgot ${daemon.clear()} app-only token(s) the step-through daemon held.`,
      `Forgot ${workload.clear()} CI job token(s) of the workload identity step-through.`,
    ],
  });
  return {
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path !== WORKSHOP_API && !path.startsWith(`${WORKSHOP_API}/`)) return false;
      void listener(req, res);
      return true;
    },
    close: unregister,
  };
}
