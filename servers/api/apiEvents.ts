/**
 * What the API tells the live flow tracer: the four legs of a protected call (`api.request`,
 * `api.validated`, `api.authorized`, `api.response`, the `event`s of content/flows/*.yaml), for
 * the browser session that made the call. Tokens appear masked (decoded claims, no signature);
 * calls without a session id publish nothing, so load tests and other clients cost nothing here.
 */
import type { IncomingMessage } from 'node:http';
import { type EventBus, isSessionId, maskToken, protocolEvents, SESSION_COOKIE, SESSION_HEADER, SESSION_PARAM } from '../events/index.ts';
import type { Caller, TokenProblem } from './verifyAccessToken.ts';

export interface CallTrace {
  validated(problem?: TokenProblem): void;
  authorized(caller: Caller): void;
  responded(status: number): void;
}

const NOOP: CallTrace = { validated() {}, authorized() {}, responded() {} };

function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The browser session a request belongs to: `lab_session` query, `X-Lab-Session` header, then cookie. */
export function sessionOf(url: URL, headers: Headers | IncomingMessage['headers']): string | undefined {
  const header = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined));
  return [url.searchParams.get(SESSION_PARAM), header(SESSION_HEADER), cookieValue(header('cookie'), SESSION_COOKIE)].find(isSessionId);
}

/** Starts tracing one call; a no-op when the call carries no session id. */
export function traceCall(
  request: { method: string; url: URL; headers: Headers; token?: string },
  bus: EventBus = protocolEvents,
): CallTrace {
  const sessionId = sessionOf(request.url, request.headers);
  if (!sessionId) return NOOP;
  const http = { method: request.method, path: request.url.pathname };
  const base = {
    leg: 'api' as const,
    source: 'api' as const,
    sessionId,
    correlationId: request.headers.get('client-request-id') ?? undefined,
  };
  const summary = `${request.method} ${request.url.pathname}`;
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
        detail: { kind: caller.kind, oid: caller.oid, tid: caller.tid, scp: caller.scopes, roles: caller.roles },
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
