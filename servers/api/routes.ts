/**
 * The sample API's HTTP surface (Hono): the tasks resource, `/api/me`, `/api/explain` and a health
 * route, behind CORS for the site's origin only and request-size limits. Every protected route
 * goes through `requireAccessToken(policy)`, which runs the validation pipeline and answers
 * refusals the RFC 6750 way.
 */

import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LabConfig } from '../../src/config/lab.ts';
import { isApiEndpoint } from '../../src/contracts/api.ts';
import type { Caller, StepReport } from '../../src/contracts/tokenValidation.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import { traceCall } from './apiEvents.ts';
import { bearerErrorResponse, missingTokenResponse } from './bearerErrors.ts';
import { endpointPolicies } from './permissions.ts';
import { createRefusalLog } from './refusalLog.ts';
import { corsForSite } from './siteCors.ts';
import { TASK_LIMITS, TaskLimitError, type TaskStore } from './tasks.ts';
import { extractBearerToken } from './verify/extract.ts';
import { explainAccessToken, verifyAccessToken } from './verify/pipeline.ts';
import type { EndpointPolicy, Verifier } from './verify/policy.ts';

export type ApiEnv = { Variables: { caller: Caller } };
type Env = ApiEnv;

export interface ApiOptions {
  config: LabConfig;
  verifier: Verifier;
  tasks: TaskStore;
  /** One line per refused or failed request (never the token). Omit to stay quiet. */
  log?: (line: string) => void;
  /** Where the flow tracer's `api.*` events go (default: the process-wide bus the tenant streams). */
  events?: EventBus;
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

export function createApiApp({ config, verifier, tasks, log, events = protocolEvents }: ApiOptions): Hono<Env> {
  const realm = config.ids.apiAppIdUri;
  const app = new Hono<Env>();
  useApiMiddleware(app, config);

  // Refusals are what a flood of bad tokens produces: summarised, not printed one by one.
  const refusals = log ? createRefusalLog(log) : undefined;
  const refuse = (method: string, path: string, response: Response, code?: string) => {
    refusals?.refused(`api: ${response.status} ${method} ${path}${code ? ` ${code}` : ''}`);
    return response;
  };

  /** The bouncer: extract the bearer token, run the pipeline for this endpoint, or answer RFC 6750-style. */
  const requireAccessToken =
    (policy: EndpointPolicy): MiddlewareHandler<Env> =>
    async (c, next) => {
      const extraction = extractBearerToken(c.req.header('authorization'), queryOf(c));
      const token = extraction.kind === 'token' ? extraction.token : undefined;
      const { method, path } = c.req;
      const trace = traceCall({ method, path, query: (name) => c.req.query(name), header: (name) => c.req.header(name), token }, events);
      let refusal: { response: Response; code?: string };
      if (extraction.kind === 'none') {
        refusal = { response: missingTokenResponse(realm) };
      } else if (extraction.kind === 'problem') {
        trace.validated(extraction.problem);
        refusal = { response: bearerErrorResponse(realm, extraction.problem) };
      } else {
        const result = await verifyAccessToken(extraction.token, verifier, policy);
        if (result.ok) {
          trace.validated();
          trace.authorized(result.caller);
          c.set('caller', result.caller);
          await next();
          trace.responded(c.res.status);
          return;
        }
        trace.validated(result.problem);
        refusal = { response: bearerErrorResponse(realm, result.problem), code: result.problem.code };
      }
      trace.responded(refusal.response.status);
      return refuse(c.req.method, c.req.path, refusal.response, refusal.code);
    };

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
