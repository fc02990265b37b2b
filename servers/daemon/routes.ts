/**
 * The loopback HTTP route the client-credentials widget calls to start a run. The daemon is a
 * confidential client, so it runs here, in Node, never in the browser: the page sends only which
 * credential to use and which thing to break, and gets back the recorded steps (secret masked).
 *
 *   POST /daemon/run  {"credential": "secret" | "certificate", "breakIt"?: "wrong-secret" | "scope-without-default" | "expired-certificate"}
 *   POST /daemon/run-federated  {"breakIt"?: "wrong-issuer" | "wrong-subject" | …}   the same daemon as a CI job with a federated credential
 *
 * Mounted on the sample API's server (same origin as the API the page already talks to, CORS for
 * the site's origin only). In real-tenant mode this hands an app-only token to the lab's own page;
 * the servers listen on loopback only.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { LabConfig } from '../../src/config/lab.ts';
import { BREAK_IT, type BreakIt, CREDENTIAL_KINDS, type CredentialKind } from '../../src/flows/client-credentials/contract.ts';
import {
  MAX_PRETEND_LENGTH,
  RUN_FEDERATED_PATH,
  WORKLOAD_BREAK_IT,
  type WorkloadBreakIt,
  type WorkloadRunRequest,
} from '../../src/flows/workload-identity/contract.ts';
import { isSessionId, SESSION_PARAM } from '../events/index.ts';
import { originProblem } from '../requestGuard.ts';
import { runClientCredentials } from './clientCredentialsRun.ts';
import { runWorkloadIdentity } from './workloadIdentityRun.ts';

const invalidRequest = (description: string) =>
  new Response(JSON.stringify({ error: 'invalid_request', error_description: description }), {
    status: 400,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });

/** Validates a run request body; a string is the problem, in the words the widget shows. */
export function parseRunRequest(body: unknown): { credential: CredentialKind; breakIt?: BreakIt } | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Send a JSON object: {"credential": "secret"}.';
  const { credential, breakIt } = body as Record<string, unknown>;
  if (!CREDENTIAL_KINDS.includes(credential as CredentialKind)) return `"credential" must be one of: ${CREDENTIAL_KINDS.join(', ')}.`;
  if (breakIt !== undefined && breakIt !== null && !BREAK_IT.includes(breakIt as BreakIt))
    return `"breakIt" must be one of: ${BREAK_IT.join(', ')}.`;
  return breakIt ? { credential: credential as CredentialKind, breakIt: breakIt as BreakIt } : { credential: credential as CredentialKind };
}

/** Validates a federated run request body; a string is the problem, in the words the widget shows. */
export function parseFederatedRunRequest(body: unknown): WorkloadRunRequest | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Send a JSON object: {} or {"breakIt": "wrong-subject"}.';
  const { breakIt, pretend } = body as Record<string, unknown>;
  const request: WorkloadRunRequest = {};
  if (breakIt !== undefined && breakIt !== null) {
    if (!WORKLOAD_BREAK_IT.includes(breakIt as WorkloadBreakIt)) return `"breakIt" must be one of: ${WORKLOAD_BREAK_IT.join(', ')}.`;
    request.breakIt = breakIt as WorkloadBreakIt;
  }
  if (pretend !== undefined && pretend !== null) {
    if (request.breakIt) return 'Send "breakIt" or "pretend", not both.';
    if (typeof pretend !== 'object' || Array.isArray(pretend))
      return '"pretend" must be an object: {"subject": "repo:…", "audience": "…"}.';
    const fields = pretend as Record<string, unknown>;
    for (const name of ['subject', 'audience'] as const) {
      const value = fields[name];
      if (value === undefined || value === '') continue;
      if (typeof value !== 'string' || value.length > MAX_PRETEND_LENGTH || value.trim() !== value)
        return `"pretend.${name}" must be text of at most ${MAX_PRETEND_LENGTH} characters, with no leading or trailing spaces.`;
      request.pretend = { ...request.pretend, [name]: value };
    }
    if (!request.pretend) return '"pretend" needs a "subject" or an "audience".';
  }
  return request;
}

async function readJson(c: Context): Promise<{ body: unknown } | Response> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return invalidRequest('Send the body as application/json.');
  try {
    return { body: await c.req.json() };
  } catch {
    return invalidRequest('The body is not JSON.');
  }
}

export function createDaemonApp(config: LabConfig): Hono {
  const app = new Hono();
  app.use('*', cors({ origin: config.siteOrigin, allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 600 }));
  // A run request is a few dozen bytes; anything bigger is not one.
  app.use('*', bodyLimit({ maxSize: 1024, onError: () => invalidRequest('The body is larger than 1 KB; send {"credential": "secret"}.') }));
  // A run spends the daemon's credential (the user's real one, in real-tenant mode): only the lab's
  // own pages may start one. Browsers always send Origin on a POST; a foreign or missing one is refused.
  app.use('*', async (c, next) => {
    const refused = c.req.method === 'POST' && originProblem(c.req.header('origin'), [config.siteOrigin], `POST ${c.req.path}`);
    if (!refused) return next();
    return new Response(JSON.stringify({ error: 'access_denied', error_description: refused }), {
      status: 403,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  });
  app.post('/run', async (c) => {
    const read = await readJson(c);
    if (read instanceof Response) return read;
    const body = read.body;
    const request = parseRunRequest(body);
    if (typeof request === 'string') return invalidRequest(request);
    const sessionId = new URL(c.req.url).searchParams.get(SESSION_PARAM);
    const result = await runClientCredentials(config, isSessionId(sessionId) ? { ...request, sessionId } : request);
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
  app.post(RUN_FEDERATED_PATH.slice('/daemon'.length), async (c) => {
    const read = await readJson(c);
    if (read instanceof Response) return read;
    const request = parseFederatedRunRequest(read.body);
    if (typeof request === 'string') return invalidRequest(request);
    const sessionId = new URL(c.req.url).searchParams.get(SESSION_PARAM);
    const result = await runWorkloadIdentity(config, isSessionId(sessionId) ? { ...request, sessionId } : request);
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
  return app;
}
