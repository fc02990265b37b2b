/**
 * The tracer on a workload identity federation run: the legs are tagged with their flow by the
 * servers that see them (a federated token request is still `client_credentials` on the wire), and
 * the API's legs, which carry an ordinary app-only token, continue the run under way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Flow, flowSchema } from '../../../src/data/schemas.ts';
import { fromProtocolEvent } from '../../../src/widgets/flow-tracer/events.ts';
import { applyEvent, createTrace, type FlowIds, type TraceInput, type TraceState } from '../../../src/widgets/flow-tracer/traceState.ts';

const flow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));
const ids: FlowIds = { spaClientId: 'spa-client', daemonClientId: 'daemon-client' };
const run = (state: TraceState, inputs: TraceInput[]) => inputs.reduce((s, input) => applyEvent(s, input, ids).state, state);

const wif = 'workload-identity';
const appOnly = { claims: { roles: ['Tasks.Read.All'], idtyp: 'app', azp: 'daemon-client' } };
const events: TraceInput[] = [
  { name: 'workload.token.issued', source: 'workload-issuer', flow: wif, summary: 'token' },
  {
    name: 'token.request',
    source: 'tenant',
    flow: wif,
    summary: 'POST /oauth2/v2.0/token (client_credentials)',
    detail: { grant_type: 'client_credentials' },
  },
  { name: 'workload.keys.fetch', source: 'tenant', flow: wif, summary: 'keys' },
  { name: 'token.issued', source: 'tenant', flow: wif, summary: '200 client_credentials: access_token' },
  { name: 'api.request', source: 'api', summary: 'GET /api/tasks', detail: appOnly },
  { name: 'api.validated', source: 'api', summary: 'valid', detail: appOnly },
  // As the API reports an app-only caller: an empty scope list next to the roles.
  { name: 'api.authorized', source: 'api', summary: 'roles', detail: { kind: 'app', scp: [], roles: ['Tasks.Read.All'] } },
  { name: 'api.response', source: 'api', summary: '200' },
];

describe('flow tracer: workload identity federation', () => {
  it('lights every step; the job’s request and the trust check are implied by what follows', () => {
    const trace = run(createTrace(flow(wif)), events);
    const byId = Object.fromEntries(trace.steps.map((s, i) => [s.id, trace.status[i]]));
    expect(byId).toEqual({
      'workload-token-request': 'implied',
      'workload-token': 'seen',
      'token-request': 'seen',
      'issuer-keys': 'seen',
      'trust-check': 'implied',
      'token-response': 'seen',
      'api-call': 'seen',
      'api-validate': 'seen',
      'api-authorize': 'seen',
      'api-response': 'seen',
    });
    expect(trace.runs).toBe(1);
  });

  it('fills in the token request when the tenant reports it after the key lookup it caused', () => {
    // The tenant publishes token.request once its checks are done, so the key fetch is reported first.
    const [issued, request, keys, ...rest] = events as [TraceInput, TraceInput, TraceInput, ...TraceInput[]];
    const trace = run(createTrace(flow(wif)), [issued, keys, request, ...rest]);
    expect(trace.status.filter((s) => s === 'seen')).toHaveLength(8);
    expect(trace.runs).toBe(1);
  });

  it('marks the token response failed when Entra refuses the federated assertion', () => {
    const refused = run(createTrace(flow(wif)), [
      ...events.slice(0, 3),
      {
        name: 'token.error',
        source: 'tenant',
        flow: wif,
        summary: '401 AADSTS700213',
        error: { code: 'AADSTS700213', error: 'invalid_client' },
      },
    ]);
    expect(refused.status[refused.steps.findIndex((s) => s.id === 'token-response')]).toBe('failed');
  });

  it('API calls with an app-only token do not start a workload-identity run on their own', () => {
    const trace = run(createTrace(flow(wif)), events.slice(4));
    expect(trace.cursor).toBe(-1);
  });

  it('the Client Credentials trace ignores the federated legs the tenant tagged', () => {
    const trace = run(createTrace(flow('client-credentials')), events.slice(0, 4));
    expect(trace.cursor).toBe(-1);
  });

  it('keeps the flow a server tagged an event with, but never lets it override a refresh', () => {
    const base = { id: 1, at: '2026-01-01T00:00:00Z', source: 'tenant' as const, summary: 's' };
    expect(fromProtocolEvent({ ...base, name: 'token.request', leg: 'token', flow: wif }).flow).toBe(wif);
    expect(fromProtocolEvent({ ...base, name: 'token.request', leg: 'refresh', flow: wif }).flow).toBe('refresh');
    expect(fromProtocolEvent({ ...base, name: 'token.request', leg: 'token' }).flow).toBeUndefined();
  });
});
