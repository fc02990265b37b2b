import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Flow, flowSchema } from '../../../src/data/schemas.ts';
import {
  applyEvent,
  createTrace,
  describeStatus,
  type FlowIds,
  type TraceInput,
  type TraceState,
} from '../../../src/widgets/flow-tracer/traceState.ts';

const flow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));
const ids: FlowIds = { spaClientId: 'spa-client', daemonClientId: 'daemon-client' };

function run(state: TraceState, inputs: TraceInput[]): TraceState {
  return inputs.reduce((s, input) => applyEvent(s, input, ids).state, state);
}

const tenant = (name: string, detail?: Record<string, unknown>): TraceInput => ({ name, source: 'tenant', summary: name, detail });
const api = (name: string, detail?: Record<string, unknown>): TraceInput => ({ name, source: 'api', summary: name, detail });

const authCodeEvents: TraceInput[] = [
  { name: 'sign-in-click', source: 'browser', flow: 'auth-code-pkce', summary: 'click' },
  tenant('authorize.request', { client_id: 'spa-client' }),
  tenant('sign-in'),
  tenant('code.issued'),
  tenant('token.request', { grant_type: 'authorization_code' }),
  tenant('token.issued', { grant_type: 'authorization_code' }),
  api('api.request'),
  api('api.validated', { claims: { scp: 'Tasks.Read', azp: 'spa-client' } }),
  api('api.authorized'),
  api('api.response'),
];

describe('flow tracer: matching protocol events to the steps of content/flows', () => {
  it('Authorization Code + PKCE: lights every step in order, the form submission with the tenant’s sign-in event', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), authCodeEvents);
    expect(trace.cursor).toBe(trace.steps.length - 1);
    const byId = Object.fromEntries(trace.steps.map((s, i) => [s.id, trace.status[i]]));
    expect(byId).toMatchObject({ 'sign-in-click': 'seen', 'sign-in-submit': 'seen', 'token-request': 'seen', 'api-response': 'seen' });
    expect(trace.status.every((s) => s === 'seen')).toBe(true);
    expect(trace.runs).toBe(1);
  });

  it('Client Credentials: lights its six steps from the tenant and API events, and the auth-code trace ignores them', () => {
    const events = [
      tenant('token.request', { grant_type: 'client_credentials' }),
      tenant('token.issued', { grant_type: 'client_credentials' }),
      api('api.request', { claims: { roles: ['Tasks.Read.All'], idtyp: 'app' } }),
      api('api.validated'),
      api('api.authorized'),
      api('api.response'),
    ];
    const cc = run(createTrace(flow('client-credentials')), events);
    expect(cc.status).toEqual(['seen', 'seen', 'seen', 'seen', 'seen', 'seen']);
    const ac = run(createTrace(flow('auth-code-pkce')), events);
    expect(ac.cursor).toBe(-1);
  });

  it('marks the sign-in page "not observed" when the tenant already had a session (SSO) and skipped it', () => {
    const trace = run(
      createTrace(flow('auth-code-pkce')),
      authCodeEvents.filter((e) => e.name !== 'sign-in'),
    );
    expect(
      describeStatus(
        trace,
        trace.steps.findIndex((s) => s.id === 'sign-in'),
      ),
    ).toBe('not observed in this run');
    expect(
      describeStatus(
        trace,
        trace.steps.findIndex((s) => s.id === 'sign-in-submit'),
      ),
    ).toBe('implied: no program can observe this step');
  });

  it('counts consent, given after the password on the tenant’s page, as part of the sign-in submission, not a new run', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), [...authCodeEvents.slice(0, 3), tenant('consent'), ...authCodeEvents.slice(3)]);
    expect(trace.runs).toBe(1);
    expect(trace.legs[trace.steps.findIndex((s) => s.id === 'sign-in-submit')]?.map((l) => l.name)).toEqual(['sign-in', 'consent']);
  });

  it('RFC 6749 §5.2: a token error marks the token response step failed', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), [
      ...authCodeEvents.slice(0, 5),
      { ...tenant('token.error', { grant_type: 'authorization_code' }), error: { error: 'invalid_grant', code: 'AADSTS501481' } },
    ]);
    expect(trace.status[trace.steps.findIndex((s) => s.id === 'token-response')]).toBe('failed');
  });

  it('ignores an event that cannot be attributed to a flow unless it continues a run under way', () => {
    expect(run(createTrace(flow('auth-code-pkce')), [api('api.request')]).cursor).toBe(-1);
    const trace = run(createTrace(flow('auth-code-pkce')), [
      ...authCodeEvents.slice(0, 5),
      { ...tenant('token.error'), error: { error: 'invalid_grant', code: 'AADSTS54005' } },
    ]);
    expect(trace.steps[trace.cursor]?.id).toBe('token-response');
    expect(trace.status[trace.cursor]).toBe('failed');
  });

  it('drops a replayed event (same SSE id) and merges the browser and tenant views of one leg', () => {
    const first = { ...tenant('authorize.request'), eventId: 7 };
    const trace = run(createTrace(flow('auth-code-pkce')), [
      first,
      first,
      { name: 'authorize.request', source: 'browser', flow: 'auth-code-pkce', summary: 'GET /authorize' },
    ]);
    const i = trace.steps.findIndex((s) => s.id === 'authorize-request');
    expect(trace.legs[i]?.map((l) => l.source)).toEqual(['tenant', 'browser']);
    expect(describeStatus(trace, i)).toBe('seen by tenant and browser');
  });

  it('starts a new run when the same source reports an earlier step again (a second sign-in)', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), [...authCodeEvents, tenant('authorize.request')]);
    expect(trace.runs).toBe(2);
    expect(trace.steps[trace.cursor]?.id).toBe('authorize-request');
    expect(trace.status.filter((s) => s === 'seen')).toHaveLength(1);
  });

  it('a second API call with the same token replays the API steps of the same run, not a new run', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), [
      ...authCodeEvents,
      api('api.request', { authorization: { token: { claims: { scp: 'Tasks.Read' } } } }),
      api('api.validated'),
    ]);
    expect(trace.runs).toBe(1);
    expect(trace.steps[trace.cursor]?.id).toBe('api-validate');
    expect(trace.status[trace.steps.findIndex((s) => s.id === 'token-response')]).toBe('seen');
    expect(trace.status[trace.steps.findIndex((s) => s.id === 'api-response')]).toBe('waiting');
  });

  it('fills in a step the API reports after the browser already saw the response (two roads, one trace)', () => {
    const browserResponse: TraceInput = { name: 'api.response', source: 'browser', flow: 'auth-code-pkce', summary: '200' };
    const trace = run(createTrace(flow('auth-code-pkce')), [
      ...authCodeEvents.slice(0, 7),
      browserResponse,
      api('api.validated'),
      api('api.authorized'),
    ]);
    const byId = Object.fromEntries(trace.steps.map((s, i) => [s.id, trace.status[i]]));
    expect(byId).toMatchObject({ 'api-validate': 'seen', 'api-authorize': 'seen', 'api-response': 'seen' });
    expect(trace.steps[trace.cursor]?.id).toBe('api-response');
  });

  it('ignores refresh-token grants, which are not a step of either flow', () => {
    const trace = run(createTrace(flow('auth-code-pkce')), [tenant('token.request', { grant_type: 'refresh_token' })]);
    expect(trace.cursor).toBe(-1);
  });
});
