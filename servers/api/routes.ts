/**
 * The sample API's HTTP surface (Hono): the tasks resource, `/api/me`, `/api/me/profile` (on-behalf-of:
 * the API calls the Profile API as the user, ./onBehalfOf.ts), `/api/explain` and a health route,
 * behind CORS for the site's origin only and request-size limits. Every protected route
 * goes through `requireAccessToken(policy)`, which runs the validation pipeline and answers
 * refusals the RFC 6750 way.
 */

import type { ConfidentialClientApplication } from '@azure/msal-node';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LabConfig } from '../../src/config/lab.ts';
import { isApiEndpoint } from '../../src/contracts/api.ts';
import type { StepReport } from '../../src/contracts/tokenValidation.ts';
import { type EventBus, protocolEvents, SESSION_HEADER, SESSION_PARAM, sessionIdFrom } from '../events/index.ts';
import { bearerErrorResponse } from './bearerErrors.ts';
import { callProfileOnBehalfOf, createOnBehalfOfClient, onBehalfOfFailure } from './onBehalfOf.ts';
import { endpointPolicies } from './permissions.ts';
import { type ApiEnv, accessTokenGuard } from './requireAccessToken.ts';
import { corsForSite } from './siteCors.ts';
import { TASK_LIMITS, TaskLimitError, type TaskStore } from './tasks.ts';
import { extractBearerToken } from './verify/extract.ts';
import { explainAccessToken } from './verify/pipeline.ts';
import type { Verifier } from './verify/policy.ts';

export type { ApiEnv } from './requireAccessToken.ts';

type Env = ApiEnv;

export interface ApiOptions {
  config: LabConfig;
  verifier: Verifier;
  tasks: TaskStore;
  /** One line per refused or failed request (never the token). Omit to stay quiet. */
  log?: (line: string) => void;
  /** Where the flow tracer's `api.*` events go (default: the process-wide bus the tenant streams). */
  events?: EventBus;
  /** The Tasks API's MSAL Node client for on-behalf-of (default: one per app in sandbox mode, none with a real tenant). */
  onBehalfOf?: ConfidentialClientApplication;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

/** The query parameters a route looks for, read by Hono straight from the URL string (no URL object per request). */
const queryOf = (c: Context<Env>): Pick<URLSearchParams, 'has'> => ({ has: (name) => c.req.query(name) !== undefined });

const invalidRequest = (description: string) => json(400, { error: 'invalid_request', error_description: description });

/** Reads a JSON object body; `undefined` for an empty body, a 400 for anything that is not an object. */
async function readJsonObject(request: Request): Promise<Record<string, unknown> | undefined | Response> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return invalidRequest('Send the body as application/json.');
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the 400 below
  }
  return invalidRequest('The body is not a JSON object.');
}

/** What every route gets, protected or not: CORS for the site only. (Security headers and the header-size limit are set by the HTTP server, see main.ts.) */
export function useApiMiddleware(app: Hono<Env>, config: LabConfig): void {
  app.use('/api/*', corsForSite(config.siteOrigin));
}

/** Bodies are read only by POST routes, so only they pay for the size check. */
const limitBody = (config: LabConfig) =>
  bodyLimit({
    maxSize: config.api.maxBodyBytes,
    onError: () =>
      json(413, { error: 'invalid_request', error_description: `The request body is larger than ${config.api.maxBodyBytes} bytes.` }),
  });

export function createApiApp({
  config,
  verifier,
  tasks,
  log,
  events = protocolEvents,
  onBehalfOf = config.mode === 'sandbox' ? createOnBehalfOfClient(config) : undefined,
}: ApiOptions): Hono<Env> {
  const realm = config.ids.apiAppIdUri;
  const app = new Hono<Env>();
  useApiMiddleware(app, config);

  /** The bouncer: extract the bearer token, run the pipeline for this endpoint, or answer RFC 6750-style; refusals are logged summarised. */
  const requireAccessToken = accessTokenGuard({ verifier, realm, log, events });

  app.get('/api/health', (c) =>
    c.json({
      status: 'ok',
      mode: config.mode,
      issuers: verifier.policy.validIssuers,
      audiences: verifier.policy.acceptedAudiences,
      clockSkewSeconds: verifier.policy.clockSkewSeconds,
      signingKeys: verifier.keys.stats(),
    }),
  );

  app.get('/api/tasks', requireAccessToken(endpointPolicies['GET /api/tasks']), (c) => {
    const caller = c.get('caller');
    // An app-only caller holding Tasks.Read.All reads everyone's tasks; a user reads their own.
    const list = caller.kind === 'app' ? tasks.listAll() : tasks.listFor(caller.tid, caller.oid);
    return c.json({ caller: { kind: caller.kind, oid: caller.oid }, tasks: list });
  });

  app.post('/api/tasks', limitBody(config), requireAccessToken(endpointPolicies['POST /api/tasks']), async (c) => {
    const caller = c.get('caller');
    const body = await readJsonObject(c.req.raw);
    if (body instanceof Response) return body;
    const title = typeof body?.title === 'string' ? body.title.trim() : '';
    if (title === '' || title.length > TASK_LIMITS.titleLength) {
      return invalidRequest(`Send {"title": "…"} with 1 to ${TASK_LIMITS.titleLength} characters.`);
    }
    try {
      return c.json(tasks.add(caller.tid, caller.oid, title), 201);
    } catch (error) {
      if (error instanceof TaskLimitError) return json(409, { error: 'limit_reached', error_description: error.message });
      throw error;
    }
  });

  app.get('/api/me', requireAccessToken(endpointPolicies['GET /api/me']), (c) => c.json(c.get('caller')));

  // On-behalf-of: the Tasks API becomes a client and calls the Profile API as the user (./onBehalfOf.ts).
  app.get('/api/me/profile', requireAccessToken(endpointPolicies['GET /api/me/profile'], { flow: 'on-behalf-of' }), async (c) => {
    const caller = c.get('caller');
    const shown = { oid: caller.oid, tid: caller.tid, azp: caller.appId, scp: caller.scopes };
    if (!onBehalfOf) {
      return json(501, {
        legs: [],
        error: 'not_available',
        error_description: 'On-behalf-of runs against the sandbox tenant only: a real tenant has no Profile API registration for it.',
      });
    }
    const sessionId = sessionIdFrom({
      query: c.req.query(SESSION_PARAM),
      header: c.req.header(SESSION_HEADER),
      cookieHeader: c.req.header('cookie'),
    });
    const run = await callProfileOnBehalfOf(config, onBehalfOf, { assertion: c.get('token'), sessionId });
    if (run.ok) return c.json({ caller: shown, profile: run.profile, fromCache: run.fromCache, legs: run.legs });
    const failure = onBehalfOfFailure(config, run);
    log?.(`api: ${failure.status} GET /api/me/profile ${run.error.code ?? run.error.error ?? ''}`);
    return json(failure.status, { caller: shown, ...failure.body }, failure.headers);
  });

  /**
   * Runs every validation step on a token and reports each, for the widgets and the tamper lab.
   * The token comes in the Authorization header or as {"token": "…"}; {"endpoint": "GET /api/tasks"}
   * adds that endpoint's authorization check. A bad token is a 200 with verdict "rejected".
   */
  app.post('/api/explain', limitBody(config), async (c) => {
    const body = await readJsonObject(c.req.raw);
    if (body instanceof Response) return body;
    const fromHeader = extractBearerToken(c.req.header('authorization'), queryOf(c));
    if (fromHeader.kind === 'problem') return bearerErrorResponse(realm, fromHeader.problem);
    const fromBody = body?.token;
    if (fromBody !== undefined && typeof fromBody !== 'string') return invalidRequest('"token" must be a string.');
    if (fromHeader.kind === 'token' && fromBody !== undefined) {
      return invalidRequest('Send the token once: in the Authorization header or in the body, not both (RFC 6750 §3.1).');
    }
    const token = fromHeader.kind === 'token' ? fromHeader.token : fromBody?.trim();
    if (!token) return invalidRequest('Send a token: "Authorization: Bearer <token>", or {"token": "<token>"} as JSON.');
    const endpoint = body?.endpoint;
    if (endpoint !== undefined && endpoint !== null && !isApiEndpoint(endpoint)) {
      return invalidRequest(`"endpoint" must be one of: ${Object.keys(endpointPolicies).join(', ')}.`);
    }
    const explanation = await explainAccessToken(token, verifier, endpoint ? endpointPolicies[endpoint] : undefined);
    const extract: StepReport = {
      step: 'extract',
      status: 'pass',
      summary:
        fromHeader.kind === 'token'
          ? 'Read from the Authorization header (Bearer scheme, RFC 6750 §2.1).'
          : 'Read from the request body (explain only).',
      checks: [],
    };
    return c.json({ ...explanation, steps: [extract, ...explanation.steps] });
  });

  app.notFound((c) => json(404, { error: 'not_found', error_description: `No route ${c.req.method} ${c.req.path}.` }));

  app.onError((error, c) => {
    // Reached only by a bug: bad tokens are answered by the pipeline. The message never holds a token.
    log?.(`api: 500 ${c.req.method} ${c.req.path} ${error instanceof Error ? error.name : 'error'}`);
    return json(500, { error: 'server_error', error_description: 'The API failed unexpectedly; see its console.' });
  });

  return app;
}
