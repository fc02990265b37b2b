/**
 * The bouncer every protected route of the lab's APIs goes through (the Tasks API and the Profile
 * API alike): extract the bearer token, run the validation pipeline (./verify/) for the endpoint's
 * policy, and either hand the caller to the route or answer the RFC 6750 way. Each call is traced
 * for the live flow tracer (./apiEvents.ts); refusals are logged summarised (./refusalLog.ts), since a
 * flood of bad tokens must cost a few lines, not megabytes.
 */
import type { MiddlewareHandler } from 'hono';
import type { Caller } from '../../src/contracts/tokenValidation.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import { traceCall } from './apiEvents.ts';
import { bearerErrorResponse, missingTokenResponse } from './bearerErrors.ts';
import { createRefusalLog } from './refusalLog.ts';
import { extractBearerToken } from './verify/extract.ts';
import { verifyAccessToken } from './verify/pipeline.ts';
import type { EndpointPolicy, Verifier } from './verify/policy.ts';

export type ApiEnv = { Variables: { caller: Caller; token: string } };

export interface GuardOptions {
  verifier: Verifier;
  /** RFC 6750 `realm`: the API's App ID URI. */
  realm: string;
  /** Where refused requests are reported, summarised per kind (never the token). */
  log?: (line: string) => void;
  events?: EventBus;
}

/** The query parameters a route looks for, read by Hono straight from the URL string (no URL object per request). */
const queryOf = (c: Parameters<MiddlewareHandler<ApiEnv>>[0]): Pick<URLSearchParams, 'has'> => ({
  has: (name) => c.req.query(name) !== undefined,
});

/** `requireAccessToken(policy)` for one API; `flow` tags the tracer's events when the route belongs to one flow only. */
export function accessTokenGuard({ verifier, realm, log, events = protocolEvents }: GuardOptions) {
  const refusals = log ? createRefusalLog(log) : undefined;
  return (policy: EndpointPolicy, trace: { flow?: string } = {}): MiddlewareHandler<ApiEnv> =>
    async (c, next) => {
      const extraction = extractBearerToken(c.req.header('authorization'), queryOf(c));
      const token = extraction.kind === 'token' ? extraction.token : undefined;
      const { method, path } = c.req;
      const traced = traceCall(
        { method, path, query: (name) => c.req.query(name), header: (name) => c.req.header(name), token, flow: trace.flow },
        events,
      );
      let refusal: { response: Response; code?: string };
      if (extraction.kind === 'none') {
        refusal = { response: missingTokenResponse(realm) };
      } else if (extraction.kind === 'problem') {
        traced.validated(extraction.problem);
        refusal = { response: bearerErrorResponse(realm, extraction.problem) };
      } else {
        const result = await verifyAccessToken(extraction.token, verifier, policy);
        if (result.ok) {
          traced.validated();
          traced.authorized(result.caller);
          c.set('caller', result.caller);
          // Kept for routes that pass the user's token on as an on-behalf-of assertion (never logged).
          c.set('token', extraction.token);
          await next();
          traced.responded(c.res.status);
          return;
        }
        traced.validated(result.problem);
        refusal = { response: bearerErrorResponse(realm, result.problem), code: result.problem.code };
      }
      traced.responded(refusal.response.status);
      refusals?.refused(`api: ${refusal.response.status} ${method} ${path}${refusal.code ? ` ${refusal.code}` : ''}`);
      return refusal.response;
    };
}
