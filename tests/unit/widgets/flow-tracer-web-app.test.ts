/**
 * The live tracer on the web app's guide: the web app's own legs (source `webapp`), the tenant's
 * legs for the web app's client ID and the API's legs light every step of content/flows/web-app.yaml,
 * and neither the SPA's trace nor the web app's takes the other's legs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Flow, flowSchema } from '../../../src/data/schemas.ts';
import {
  applyEvent,
  createTrace,
  type FlowIds,
  flowOfEvent,
  type TraceInput,
  type TraceState,
} from '../../../src/widgets/flow-tracer/traceState.ts';

const flow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));
const ids: FlowIds = { spaClientId: 'spa-client', daemonClientId: 'daemon-client', webappClientId: 'webapp-client' };
const run = (state: TraceState, inputs: TraceInput[]) => inputs.reduce((s, input) => applyEvent(s, input, ids).state, state);

const webapp = (name: string): TraceInput => ({ name, source: 'webapp', summary: name });
const tenant = (name: string, detail: Record<string, unknown>): TraceInput => ({ name, source: 'tenant', summary: name, detail });
const api = (name: string, detail: Record<string, unknown> = {}): TraceInput => ({ name, source: 'api', summary: name, detail });

/** One sign-in to the web app, as the three servers publish it (servers/webapp, servers/tenant, servers/api). */
const webAppEvents: TraceInput[] = [
  webapp('webapp.sign-in'),
  tenant('authorize.request', { client_id: 'webapp-client', response_type: 'code' }),
  tenant('sign-in', { client_id: 'webapp-client', user: 'alice@contoso.onmicrosoft.com' }),
  tenant('consent', { client_id: 'webapp-client', decision: 'accept' }),
  tenant('code.issued', { client_id: 'webapp-client' }),
  webapp('webapp.redirect'),
  tenant('token.request', {
    grant_type: 'authorization_code',
    client_id: 'webapp-client',
    client_secret: 'Sbx•••••••• (46 chars, masked)',
  }),
  tenant('token.issued', { access_token: { claims: { azp: 'webapp-client', scp: 'Tasks.Read' } } }),
  webapp('webapp.session'),
  api('api.request', { authorization: { token: { claims: { azp: 'webapp-client', scp: 'Tasks.Read' } } } }),
  api('api.validated'),
  api('api.authorized', { kind: 'user', azp: 'webapp-client', scp: ['Tasks.Read'] }),
  api('api.response'),
  webapp('webapp.page'),
];

describe('flow tracer: the confidential web app', () => {
  it('lights every step of the web-app flow, in one run', () => {
    const trace = run(createTrace(flow('web-app')), webAppEvents);
    expect(trace.cursor).toBe(trace.steps.length - 1);
    expect(Object.fromEntries(trace.steps.map((s, i) => [s.id, trace.status[i]]))).toEqual(
      Object.fromEntries(trace.steps.map((s) => [s.id, 'seen'])),
    );
    expect(trace.runs).toBe(1);
  });

  it('attributes the tenant’s legs by client ID: the web app’s are not the SPA’s', () => {
    expect(flowOfEvent(tenant('authorize.request', { client_id: 'webapp-client' }), ids)).toBe('web-app');
    expect(flowOfEvent(tenant('authorize.request', { client_id: 'spa-client' }), ids)).toBe('auth-code-pkce');
    expect(flowOfEvent(tenant('token.issued', { access_token: { claims: { azp: 'webapp-client' } } }), ids)).toBe('web-app');
    const spa = run(createTrace(flow('auth-code-pkce')), webAppEvents);
    expect(spa.cursor).toBe(-1);
  });

  it('shows a refused redemption as a failed token response', () => {
    const events = [
      ...webAppEvents.slice(0, 7),
      { ...tenant('token.error', { client_id: 'webapp-client' }), error: { code: 'AADSTS7000218', error: 'invalid_client' } },
    ];
    const trace = run(createTrace(flow('web-app')), events);
    expect(trace.status[trace.steps.findIndex((s) => s.id === 'token-response')]).toBe('failed');
  });
});
