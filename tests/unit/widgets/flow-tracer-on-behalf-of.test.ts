/**
 * The live tracer on on-behalf-of's legs: the same event names twice (the Tasks API and the Profile
 * API both publish api.*), told apart by their order and by the flow their publisher names, and the
 * tenant's jwt-bearer grant recognised as this flow's token request.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Flow, flowSchema } from '../../../src/data/schemas.ts';
import { fromProtocolEvent } from '../../../src/widgets/flow-tracer/events.ts';
import { applyEvent, createTrace, type FlowIds, type TraceInput, type TraceState } from '../../../src/widgets/flow-tracer/traceState.ts';

const flow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));
const ids: FlowIds = { spaClientId: 'spa-client', daemonClientId: 'daemon-client' };
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let nextId = 1;
/** An event as the SSE stream delivers it, through the same conversion the tracer uses. */
const event = (
  source: 'tenant' | 'api',
  name: string,
  extra: { flow?: string; detail?: Record<string, unknown>; summary?: string } = {},
): TraceInput =>
  fromProtocolEvent({
    id: nextId++,
    at: '',
    leg: source === 'api' ? 'api' : 'token',
    source,
    name: name as never,
    summary: extra.summary ?? name,
    ...extra,
  });

const api = (name: string, detail?: Record<string, unknown>) => event('api', name, { flow: 'on-behalf-of', detail });
const run = (state: TraceState, inputs: TraceInput[]) => inputs.reduce((s, input) => applyEvent(s, input, ids).state, state);

const oboRun = (): TraceInput[] => [
  api('api.request', { authorization: { claims: { azp: 'spa-client', scp: 'Tasks.Read' } } }),
  api('api.validated'),
  api('api.authorized', { scp: ['Tasks.Read'] }),
  event('tenant', 'token.request', { detail: { grant_type: JWT_BEARER } }),
  event('tenant', 'token.issued', { summary: `200 ${JWT_BEARER}: access_token` }),
  api('api.request', { authorization: { claims: { azp: 'tasks-api', scp: 'Profile.Read' } } }),
  api('api.validated'),
  api('api.authorized', { scp: ['Profile.Read'] }),
  api('api.response'),
  api('api.response'),
];

describe('flow tracer: on-behalf-of', () => {
  it('lights every step in order, the Profile API’s legs after the token exchange', () => {
    const trace = run(createTrace(flow('on-behalf-of')), oboRun());
    expect(trace.status).toEqual(trace.steps.map(() => 'seen'));
    expect(trace.legs[5]?.[0]?.detail).toMatchObject({ authorization: { claims: { scp: 'Profile.Read' } } });
  });

  it('ignores the same calls on the Authorization Code + PKCE trace (the publisher named the flow)', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), oboRun());
    expect(trace.cursor).toBe(-1);
  });

  it('a second call served from MSAL’s cache starts a new run and marks the token legs not observed', () => {
    const first = run(createTrace(flow('on-behalf-of')), oboRun());
    const cached = oboRun().filter((input) => input.source !== 'tenant');
    const second = run(first, cached);
    expect(second.runs).toBe(2);
    expect(second.status[3]).toBe('not-observed');
    expect(second.status[9]).toBe('seen');
  });
});
