/**
 * DNS rebinding: a page that points its own host name at 127.0.0.1 is same-origin with the lab in
 * the browser's eyes. Every lab server refuses a foreign Host (421) before any route runs, and the
 * state-changing routes refuse a foreign or missing Origin (403).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendServers, siteServer, startServers } from '../../scripts/lib/lab-servers.ts';
import type { RunningServer } from '../../servers/listen.ts';
import { expectedHosts, hostProblem, originProblem } from '../../servers/requestGuard.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { freePort, labConfig } from '../support/tenant-http.ts';

describe('Host check', () => {
  const hosts = expectedHosts('http://localhost:4321');
  it.each(['localhost:4321', 'LOCALHOST:4321', '127.0.0.1:4321', '[::1]:4321', 'localhost'])('%s is the lab', (host) => {
    expect(hostProblem(host, hosts)).toBeUndefined();
  });
  it.each(['attacker.example:4321', 'attacker.example', 'localhost.attacker.example:4321', '127.0.0.1.nip.io:4321', ''])(
    '%j is refused',
    (host) => {
      expect(hostProblem(host || undefined, hosts)).toBeDefined();
    },
  );
  it('a LAN origin adds its own name', () => {
    expect(hostProblem('192.168.1.20:4321', expectedHosts('http://192.168.1.20:4321'))).toBeUndefined();
  });
});

describe('Origin check', () => {
  it('names what is refused and why', () => {
    expect(originProblem(undefined, ['http://localhost:4321'], 'POST /daemon/run')).toBe(
      'POST /daemon/run answers only to http://localhost:4321 (the Origin header); this request has no Origin header.',
    );
    expect(originProblem('http://localhost:4321', ['http://localhost:4321'], 'x')).toBeUndefined();
    expect(originProblem('http://attacker.example', ['http://localhost:4321'], 'x')).toMatch(/came from http:\/\/attacker\.example/);
  });
});

describe('every lab server, started as npm start starts them', () => {
  let config: LabConfig;
  let running: RunningServer[] = [];
  let siteRoot: string;

  beforeAll(async () => {
    siteRoot = await mkdtemp(join(tmpdir(), 'guard-site-'));
    config = labConfig({
      LAB_TENANT_PORT: String(await freePort()),
      LAB_API_PORT: String(await freePort()),
      LAB_PROFILE_API_PORT: String(await freePort()),
      LAB_SITE_PORT: String(await freePort()),
      LAB_WEBAPP_PORT: String(await freePort()),
    });
    config = { ...config, siteOutDir: siteRoot };
    running = await startServers([...backendServers, siteServer], config);
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.close()));
    await rm(siteRoot, { recursive: true, force: true });
  });

  /** A raw request, so the Host header can be anything (fetch always sends the URL's host). */
  function send(origin: string, path: string, headers: Record<string, string>, method = 'GET', body?: string) {
    const url = new URL(path, origin);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it.each([
    ['tenant', (c: LabConfig) => c.tenantOrigin, '/_sandbox/keys'],
    ['tenant', (c: LabConfig) => c.tenantOrigin, '/'],
    ['api', (c: LabConfig) => c.apiOrigin, '/api/health'],
    ['Profile API', (c: LabConfig) => c.profileApiOrigin, '/api/health'],
    ['webapp', (c: LabConfig) => c.webapp.origin, '/'],
    ['site', (c: LabConfig) => c.siteOrigin, '/'],
  ])('the %s refuses a rebinding page’s Host with 421 (%s)', async (_name, origin, path) => {
    const port = new URL(origin(config)).port;
    const foreign = await send(origin(config), path, { Host: `attacker.example:${port}`, 'X-Lab-Admin': '1' });
    expect(foreign.status).toBe(421);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: 'misdirected_request' });
    const own = await send(origin(config), path, { Host: `localhost:${port}`, 'X-Lab-Admin': '1' });
    expect(own.status).not.toBe(421);
  });

  it('a rebinding page cannot run the daemon even with the right-looking Host: POST /daemon/run needs the site’s Origin', async () => {
    const port = new URL(config.apiOrigin).port;
    const body = JSON.stringify({ credential: 'secret' });
    const json = { Host: `localhost:${port}`, 'Content-Type': 'application/json' };
    for (const origin of [undefined, 'http://attacker.example', `http://localhost:${port}`]) {
      const response = await send(config.apiOrigin, '/daemon/run', origin ? { ...json, Origin: origin } : json, 'POST', body);
      expect(response.status, `Origin ${origin}`).toBe(403);
      expect(response.body).not.toContain('accessToken');
    }
    const fromSite = await send(config.apiOrigin, '/daemon/run', { ...json, Origin: config.siteOrigin }, 'POST', body);
    expect(fromSite.status).toBe(200);
  });

  it('the tenant’s administration (rotate keys, reset) needs the lab’s Origin', async () => {
    const port = new URL(config.tenantOrigin).port;
    const headers = { Host: `localhost:${port}`, 'X-Lab-Admin': '1' };
    expect((await send(config.tenantOrigin, '/_sandbox/reset', headers, 'POST')).status).toBe(403);
    expect((await send(config.tenantOrigin, '/_sandbox/reset', { ...headers, Origin: 'http://attacker.example' }, 'POST')).status).toBe(
      403,
    );
    expect((await send(config.tenantOrigin, '/_sandbox/reset', { ...headers, Origin: config.siteOrigin }, 'POST')).status).toBe(200);
  });

  it('the web app’s sign-out (it ends a session) needs the web app’s own Origin', async () => {
    const port = new URL(config.webapp.origin).port;
    const form = { Host: `localhost:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' };
    for (const origin of [undefined, 'http://attacker.example', config.siteOrigin]) {
      const response = await send(config.webapp.origin, '/auth/sign-out', origin ? { ...form, Origin: origin } : form, 'POST', 'csrf=x');
      expect(response.status, `Origin ${origin}`).toBe(403);
      expect(response.body).toContain('answers only to');
    }
    // Its own page's form (no session here): on to the tenant's /logout.
    const own = await send(config.webapp.origin, '/auth/sign-out', { ...form, Origin: config.webapp.origin }, 'POST', 'csrf=x');
    expect(own.status).toBe(302);
  });

  it('the workshop routes on the site need the site’s Origin', async () => {
    const port = new URL(config.siteOrigin).port;
    const headers = { Host: `localhost:${port}`, 'Content-Type': 'application/json' };
    const reset = await send(config.siteOrigin, '/_lab/workshop/reset', headers, 'POST', '{"confirm":"reset"}');
    expect(reset.status).toBe(403);
  });
});
