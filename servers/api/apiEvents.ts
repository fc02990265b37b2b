/**
 * What the API tells the live flow tracer: the four legs of a protected call (`api.request`,
 * `api.validated`, `api.authorized`, `api.response`, the `event`s of content/flows/*.yaml), for
 * the browser session that made the call. Tokens appear masked (decoded claims, no signature);
 * calls without a session id publish nothing, so load tests and other clients cost nothing here.
 */

import type { Caller, TokenProblem } from '../../src/contracts/tokenValidation.ts';
import { type EventBus, maskToken, protocolEvents, SESSION_HEADER, SESSION_PARAM, sessionIdFrom } from '../events/index.ts';

export interface CallTrace {
  validated(problem?: TokenProblem): void;
  authorized(caller: Caller): void;
  responded(status: number): void;
}

const NOOP: CallTrace = { validated() {}, authorized() {}, responded() {} };

/** What the trace needs from a request (Hono's `c.req` has all of it, without parsing the URL again). */
export interface TracedRequest {
  method: string;
  path: string;
  query(name: string): string | undefined;
  header(name: string): string | undefined;
  token?: string;
  /** The flow this call belongs to, when the route says (on-behalf-of's calls); the tracer cannot tell from the token. */
  flow?: string;
}

/** Starts tracing one call; a no-op when the call carries no session id. */
export function traceCall(request: TracedRequest, bus: EventBus = protocolEvents): CallTrace {
  const sessionId = sessionIdFrom({
    query: request.query(SESSION_PARAM),
    header: request.header(SESSION_HEADER),
    cookieHeader: request.header('cookie'),
  });
  if (!sessionId) return NOOP;
  const http = { method: request.method, path: request.path };
  const base = {
    leg: 'api' as const,
    source: 'api' as const,
    sessionId,
    correlationId: request.header('client-request-id'),
    ...(request.flow ? { flow: request.flow } : {}),
  };
  const summary = `${request.method} ${request.path}`;
  bus.publish({
    ...base,
    name: 'api.request',
    summary: `${summary} ${request.token ? 'with a bearer token' : 'without a token'}`,
    http,
    detail: request.token ? { authorization: { scheme: 'Bearer', token: maskToken(request.token) } } : {},
  });
  let finalError: TokenProblem | undefined;
  return {
    validated(problem) {
      const failed = problem && problem.step !== 'authorization' ? problem : undefined;
      if (failed) finalError = failed;
      bus.publish({
        ...base,
        name: 'api.validated',
        summary: failed
          ? `Token refused at the ${failed.step} check${failed.code ? ` (${failed.code})` : ''}`
          : 'Token valid: signature, iss, aud, lifetime, tenant, version',
        error: failed ? { code: failed.code, error: failed.error, description: failed.description } : undefined,
      });
      if (problem && !failed) {
        finalError = problem;
        bus.publish({
          ...base,
          name: 'api.authorized',
          summary: `Not allowed: needs ${problem.scope?.join(' or ') ?? 'another permission'}`,
          error: { code: problem.code, error: problem.error, description: problem.description },
        });
      }
    },
    authorized(caller) {
      bus.publish({
        ...base,
        name: 'api.authorized',
        summary:
          caller.kind === 'user' ? `Delegated token, scp ${caller.scopes.join(' ')}` : `App-only token, roles ${caller.roles.join(' ')}`,
        // azp names the client, so the tracer tells the SPA's calls from the web app's.
        detail: { kind: caller.kind, oid: caller.oid, tid: caller.tid, azp: caller.appId, scp: caller.scopes, roles: caller.roles },
      });
    },
    responded(status) {
      bus.publish({
        ...base,
        name: 'api.response',
        summary: `${status} ${summary}`,
        http: { ...http, status },
        error:
          finalError && status >= 400 ? { code: finalError.code, error: finalError.error, description: finalError.description } : undefined,
      });
    },
  };
}
