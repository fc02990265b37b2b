/**
 * The sample API with tokens from the real sandbox tenant, through both flows, on the lab that
 * `backendServers` starts (tests/support/global-setup.ts): delegated tokens from Authorization
 * Code + PKCE (alice: Tasks.Read, bob: Tasks.ReadWrite) and an app-only token from Client
 * Credentials. Each is accepted where its permissions allow and refused with 403 elsewhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { appOnlyToken, callApi, delegatedToken } from '../support/api-lab.ts';
import { labConfig } from '../support/tenant-http.ts';

const config = labConfig();
const api = config.apiOrigin;
const [readScope, readWriteScope] = config.delegatedScopes as [string, string];

let alice: string;
let bob: string;
let daemon: string;

beforeAll(async () => {
  [alice, bob, daemon] = await Promise.all([
    delegatedToken(config, 'alice', [readScope]),
    delegatedToken(config, 'bob', [readWriteScope]),
    appOnlyToken(config),
  ]);
});

type Task = { oid: string; title: string };

describe('delegated token (Authorization Code + PKCE), scp Tasks.Read', () => {
  it('GET /api/tasks → 200 with alice’s own tasks only (by oid)', async () => {
    const { status, body } = await callApi(api, '/api/tasks', { authorization: `Bearer ${alice}` });
    expect(status).toBe(200);
    const tasks = body.tasks as Task[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.oid === sandboxUsers.alice.oid)).toBe(true);
  });

  it('GET /api/me → a user, with oid, tid, name, scopes and version 2.0', async () => {
    const { status, body } = await callApi(api, '/api/me', { authorization: `Bearer ${alice}` });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'user',
      oid: sandboxUsers.alice.oid,
      tid: config.ids.tenantId,
      name: sandboxUsers.alice.name,
      appId: config.ids.spaClientId,
      scopes: ['Tasks.Read'],
      version: '2.0',
    });
  });

  it('POST /api/tasks → 403 insufficient_scope naming Tasks.ReadWrite (RFC 6750 §3.1, IDW10203)', async () => {
    const { status, headers, body } = await callApi(api, '/api/tasks', {
      method: 'POST',
      authorization: `Bearer ${alice}`,
      body: { title: 'not allowed' },
    });
    expect(status).toBe(403);
    expect(headers.get('www-authenticate')).toContain(`error="insufficient_scope"`);
    expect(headers.get('www-authenticate')).toContain(`scope="${readWriteScope}"`);
    expect(body).toMatchObject({ error: 'insufficient_scope', code: 'IDW10203' });
  });

  it('RFC 7235 §2.1: the scheme is case-insensitive — "bearer" and "BEARER" work', async () => {
    expect((await callApi(api, '/api/tasks', { authorization: `bearer ${alice}` })).status).toBe(200);
    expect((await callApi(api, '/api/tasks', { authorization: `BEARER ${alice}` })).status).toBe(200);
  });
});

describe('delegated token, scp Tasks.ReadWrite', () => {
  it('POST /api/tasks → 201, and bob then reads it back; alice does not see it', async () => {
    const created = await callApi(api, '/api/tasks', {
      method: 'POST',
      authorization: `Bearer ${bob}`,
      body: { title: 'Written through the real flow' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Written through the real flow', oid: sandboxUsers.bob.oid, tid: config.ids.tenantId });
    const bobs = (await callApi(api, '/api/tasks', { authorization: `Bearer ${bob}` })).body.tasks as Task[];
    expect(bobs.map((t) => t.title)).toContain('Written through the real flow');
    const alices = (await callApi(api, '/api/tasks', { authorization: `Bearer ${alice}` })).body.tasks as Task[];
    expect(alices.map((t) => t.title)).not.toContain('Written through the real flow');
  });
});

describe('app-only token (Client Credentials), roles Tasks.Read.All', () => {
  it('GET /api/tasks → 200 with every user’s tasks', async () => {
    const { status, body } = await callApi(api, '/api/tasks', { authorization: `Bearer ${daemon}` });
    expect(status).toBe(200);
    const owners = new Set((body.tasks as Task[]).map((t) => t.oid));
    expect(owners).toContain(sandboxUsers.alice.oid);
    expect(owners).toContain(sandboxUsers.bob.oid);
  });

  it('GET /api/me → an app whose oid is the daemon’s service principal and equals sub', async () => {
    const { body } = await callApi(api, '/api/me', { authorization: `Bearer ${daemon}` });
    expect(body).toMatchObject({
      kind: 'app',
      oid: sandboxApps.daemon.servicePrincipalId,
      sub: sandboxApps.daemon.servicePrincipalId,
      roles: ['Tasks.Read.All'],
      version: '2.0',
    });
  });

  it('POST /api/tasks → 403: creating a task needs a delegated token, whatever the app’s roles', async () => {
    const { status, headers, body } = await callApi(api, '/api/tasks', {
      method: 'POST',
      authorization: `Bearer ${daemon}`,
      body: { title: 'x' },
    });
    expect(status).toBe(403);
    expect(headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(body).toMatchObject({ code: 'IDW10203', step: 'authorization' });
  });
});

describe('POST /api/explain with real tokens', () => {
  it('reports every step passed for alice on GET /api/tasks, and the authorization failure for POST', async () => {
    const ok = await callApi(api, '/api/explain', { method: 'POST', body: { token: alice, endpoint: 'GET /api/tasks' } });
    expect(ok.body).toMatchObject({ verdict: 'accepted', status: 200, signatureVerified: true });
    const steps = ok.body.steps as { step: string; status: string }[];
    expect(steps.filter((s) => s.status !== 'pass')).toEqual([]);
    const refused = await callApi(api, '/api/explain', {
      method: 'POST',
      authorization: `Bearer ${alice}`,
      body: { endpoint: 'POST /api/tasks' },
    });
    expect(refused.body).toMatchObject({ verdict: 'rejected', status: 403, problem: { code: 'IDW10203' } });
  });
});

describe('token kind: one rule (idtyp when present; else roles, no scp and oid = sub is app-only)', () => {
  const authorizationSummary = async (token: string, endpoint: string) => {
    const { body } = await callApi(api, '/api/explain', { method: 'POST', body: { token, endpoint } });
    return (body.steps as { step: string; summary: string }[]).find((s) => s.step === 'authorization')?.summary;
  };

  it('the sandbox’s tokens carry idtyp (the API registration requests it with include_user_token) and the report says so', async () => {
    expect(await authorizationSummary(alice, 'GET /api/tasks')).toBe(
      'Delegated token (idtyp is user) with scope Tasks.Read: allowed on GET /api/tasks.',
    );
    expect(await authorizationSummary(daemon, 'GET /api/tasks')).toBe(
      'App-only token (idtyp is app) with role Tasks.Read.All: allowed on GET /api/tasks.',
    );
    expect(await authorizationSummary(daemon, 'POST /api/tasks')).toBe(
      'POST /api/tasks accepts delegated tokens only; this token is app-only (idtyp is app).',
    );
  });
});

describe('HTTP hygiene', () => {
  it('every answer, accepted or refused, is no-store and nosniff', async () => {
    for (const call of [
      callApi(api, '/api/tasks', { authorization: `Bearer ${alice}` }),
      callApi(api, '/api/tasks'),
      callApi(api, '/api/nothing'),
    ]) {
      const { headers } = await call;
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('CORS for the site only, over the network', () => {
  it('answers the site’s preflight for an authorized GET and refuses another origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${api}/api/tasks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const granted = await preflight(config.siteOrigin);
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
    expect(granted.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await callApi(api, '/api/tasks', { headers: { origin: config.siteOrigin } });
    expect(refused.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
    expect(refused.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    expect((await preflight('http://localhost:1')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
