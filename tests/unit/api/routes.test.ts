/**
 * The API's HTTP behaviour through Hono's `fetch`, with the pipeline backed by a fake tenant:
 * CORS for the site origin only, RFC 6750 answers, size limits, the tasks resource and explain.
 * The same routes are exercised against the real sandbox tenant in tests/integration/api-*.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../servers/api/routes.ts';
import { createTaskStore } from '../../../servers/api/tasks.ts';
import { ALL_SESSIONS, EventBus, type ProtocolEvent } from '../../../servers/events/index.ts';
import { sandboxUsers } from '../../../src/config/sandbox.ts';
import {
  appOnlyClaims,
  config,
  delegatedClaims,
  fakeTenant,
  keySource,
  makeKey,
  sign,
  type TestKey,
  verifierWith,
} from '../../support/fake-tenant.ts';

let key: TestKey;
let app: ReturnType<typeof createApiApp>;
const logged: string[] = [];

beforeAll(async () => {
  key = await makeKey('sandbox-key-1');
  app = createApiApp({
    config,
    verifier: verifierWith(keySource(fakeTenant([key]))),
    tasks: createTaskStore(),
    log: (line) => logged.push(line),
  });
});

const call = (path: string, init: RequestInit = {}) => app.fetch(new Request(`${config.apiOrigin}${path}`, init));
const bearer = (token: string, extra: Record<string, string> = {}) => ({ headers: { Authorization: `Bearer ${token}`, ...extra } });

describe('tasks', () => {
  it('GET /api/tasks with a delegated token returns the caller’s own tasks, by oid', async () => {
    const response = await call('/api/tasks', bearer(await sign(delegatedClaims(), key)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tasks: { oid: string }[] };
    expect(body.tasks.length).toBeGreaterThan(0);
    expect(new Set(body.tasks.map((t) => t.oid))).toEqual(new Set([sandboxUsers.alice.oid]));
  });

  it('GET /api/tasks with an app-only token holding Tasks.Read.All returns every user’s tasks', async () => {
    const body = (await (await call('/api/tasks', bearer(await sign(appOnlyClaims(), key)))).json()) as { tasks: { oid: string }[] };
    expect(new Set(body.tasks.map((t) => t.oid))).toEqual(new Set([sandboxUsers.alice.oid, sandboxUsers.bob.oid]));
  });

  it('POST /api/tasks with Tasks.ReadWrite creates a task for the caller; an invalid body is a 400', async () => {
    const token = await sign(delegatedClaims({ scp: 'Tasks.ReadWrite', oid: sandboxUsers.bob.oid }), key);
    const created = await call('/api/tasks', {
      method: 'POST',
      ...bearer(token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ title: 'Read RFC 6750' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: 'Read RFC 6750', oid: sandboxUsers.bob.oid });
    for (const body of ['{"title": ""}', '[1]', 'not json', JSON.stringify({ title: 'x'.repeat(201) })]) {
      const bad = await call('/api/tasks', { method: 'POST', ...bearer(token, { 'Content-Type': 'application/json' }), body });
      expect(bad.status, body).toBe(400);
    }
  });

  it('POST /api/tasks with an app-only token → 403 insufficient_scope naming the delegated scope', async () => {
    const response = await call('/api/tasks', {
      method: 'POST',
      ...bearer(await sign(appOnlyClaims(), key), { 'Content-Type': 'application/json' }),
      body: '{"title":"x"}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('WWW-Authenticate')).toContain(`scope="${config.ids.apiAppIdUri}/Tasks.ReadWrite"`);
  });

  it('GET /api/me describes the caller: user or app, oid, tid, scopes/roles, version', async () => {
    const user = await (await call('/api/me', bearer(await sign(delegatedClaims(), key)))).json();
    expect(user).toMatchObject({
      kind: 'user',
      oid: sandboxUsers.alice.oid,
      tid: config.ids.tenantId,
      name: sandboxUsers.alice.name,
      scopes: ['Tasks.Read'],
      version: '2.0',
    });
    const app_ = await (await call('/api/me', bearer(await sign(appOnlyClaims(), key)))).json();
    expect(app_).toMatchObject({ kind: 'app', roles: ['Tasks.Read.All'] });
  });
});

describe('RFC 6750 answers over HTTP', () => {
  it('no token → 401 with a bare Bearer challenge', async () => {
    const response = await call('/api/tasks');
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe(`Bearer realm="${config.ids.apiAppIdUri}"`);
  });

  it('a bad token → 401 invalid_token with the IDX reason in the header and the body; never the token in the log', async () => {
    const token = await sign(delegatedClaims({ aud: 'someone-else' }), key);
    const response = await call('/api/tasks', bearer(token));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token", error_description="IDX10214: /);
    expect(await response.json()).toMatchObject({ error: 'invalid_token', code: 'IDX10214', step: 'audience', claim: 'aud' });
    expect(logged.join('\n')).not.toContain(token.split('.')[1]);
  });

  it('token in the query string → 400 invalid_request', async () => {
    const response = await call(`/api/tasks?access_token=${await sign(delegatedClaims(), key)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_request"');
  });
});

describe('CORS: the site’s origin only', () => {
  it('answers the preflight for the site origin with Authorization allowed', async () => {
    const response = await call('/api/tasks', {
      method: 'OPTIONS',
      headers: { Origin: config.siteOrigin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(config.siteOrigin);
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
  });

  it('gives another origin no Access-Control-Allow-Origin, on the preflight or the call', async () => {
    const preflight = await call('/api/tasks', {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const get = await call('/api/tasks', { headers: { Origin: 'http://evil.example' } });
    expect(get.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('exposes WWW-Authenticate so the site can read why a call was refused', async () => {
    const response = await call('/api/tasks', { headers: { Origin: config.siteOrigin } });
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('WWW-Authenticate');
  });
});

describe('limits', () => {
  it('a body over maxBodyBytes → 413', async () => {
    const token = await sign(delegatedClaims({ scp: 'Tasks.ReadWrite' }), key);
    const body = JSON.stringify({ title: 'x'.repeat(config.api.maxBodyBytes) });
    const response = await call('/api/tasks', {
      method: 'POST',
      ...bearer(token, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }),
      body,
    });
    expect(response.status).toBe(413);
  });
});

describe('POST /api/explain', () => {
  it('explains a token from the body for a chosen endpoint, step by step', async () => {
    const response = await call('/api/explain', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: await sign(delegatedClaims(), key), endpoint: 'POST /api/tasks' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      verdict: string;
      status: number;
      steps: { step: string; status: string }[];
      problem: { code: string };
    };
    expect(body).toMatchObject({ verdict: 'rejected', status: 403, problem: { code: 'IDW10203' } });
    expect(body.steps[0]).toMatchObject({ step: 'extract', status: 'pass' });
    expect(body.steps.at(-1)).toMatchObject({ step: 'authorization', status: 'fail' });
  });

  it('explains a token from the Authorization header', async () => {
    const body = await (await call('/api/explain', { method: 'POST', ...bearer(await sign(delegatedClaims(), key)) })).json();
    expect(body).toMatchObject({ verdict: 'accepted', status: 200 });
  });

  it.each([
    ['no token', {}, ''],
    ['a token in both places', { Authorization: 'Bearer a.b.c', 'Content-Type': 'application/json' }, '{"token":"a.b.c"}'],
    ['an unknown endpoint', { 'Content-Type': 'application/json' }, '{"token":"a.b.c","endpoint":"DELETE /"}'],
    ['a non-string token', { 'Content-Type': 'application/json' }, '{"token":42}'],
    ['a body that is not JSON', { 'Content-Type': 'application/json' }, '{'],
  ])('%s → 400', async (_name, headers, body) => {
    expect((await call('/api/explain', { method: 'POST', headers, body: body || undefined })).status).toBe(400);
  });

  it('garbage is a 200 "rejected" report, never a 5xx', async () => {
    for (const token of ['x', 'a.b', 'a.b.c.d', '....', 'eyJ.eyJ.eyJ', '%00']) {
      const response = await call('/api/explain', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      expect(response.status, token).toBe(200);
      expect(await response.json()).toMatchObject({ verdict: 'rejected' });
    }
  });
});

describe('health and unknown routes', () => {
  it('GET /api/health reports the issuer, audiences and signing-key cache', async () => {
    expect(await (await call('/api/health')).json()).toMatchObject({
      status: 'ok',
      issuers: [config.tenant.issuer],
      audiences: [config.ids.apiClientId],
    });
  });

  it('an unknown route is a JSON 404', async () => {
    expect((await call('/api/nothing')).status).toBe(404);
  });
});

describe('flow tracer events', () => {
  it('a call with a lab session publishes api.request → api.validated → api.authorized → api.response, token masked', async () => {
    const bus = new EventBus();
    const seen: ProtocolEvent[] = [];
    bus.subscribe(ALL_SESSIONS, (event) => seen.push(event));
    const traced = createApiApp({ config, verifier: verifierWith(keySource(fakeTenant([key]))), tasks: createTaskStore(), events: bus });
    const token = await sign(delegatedClaims(), key);
    await traced.fetch(new Request(`${config.apiOrigin}/api/tasks?lab_session=session-1234`, bearer(token)));
    expect(seen.map((e) => [e.name, e.sessionId])).toEqual([
      ['api.request', 'session-1234'],
      ['api.validated', 'session-1234'],
      ['api.authorized', 'session-1234'],
      ['api.response', 'session-1234'],
    ]);
    expect(JSON.stringify(seen)).not.toContain(token.split('.')[2]);
    expect(seen.at(-1)?.http?.status).toBe(200);
  });

  it('a refused call reports the failing check and its code; a call without a session publishes nothing', async () => {
    const bus = new EventBus();
    const seen: ProtocolEvent[] = [];
    bus.subscribe(ALL_SESSIONS, (event) => seen.push(event));
    const traced = createApiApp({ config, verifier: verifierWith(keySource(fakeTenant([key]))), tasks: createTaskStore(), events: bus });
    const token = await sign(delegatedClaims({ aud: 'someone-else' }), key);
    await traced.fetch(new Request(`${config.apiOrigin}/api/tasks`, bearer(token)));
    expect(seen).toEqual([]);
    await traced.fetch(new Request(`${config.apiOrigin}/api/tasks`, bearer(token, { 'X-Lab-Session': 'session-5678' })));
    expect(seen.map((e) => e.name)).toEqual(['api.request', 'api.validated', 'api.response']);
    expect(seen[1]?.error?.code).toBe('IDX10214');
  });
});
