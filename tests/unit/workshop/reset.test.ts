/**
 * The workshop reset and its presenter-only route, over real HTTP on an ephemeral loopback port.
 * The reset parts registered here are plain functions: the tenant's and the API's own parts are
 * exercised end to end in tests/e2e/workshop-reset.spec.ts.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { protocolEvents } from '../../../servers/events/index.ts';
import { createWorkshopHandler, isThisMachine } from '../../../servers/workshop/routes.ts';
import {
  registeredResetters,
  registerSandboxReset,
  resetSandbox,
  sandboxGeneration,
  withSandboxReset,
} from '../../../servers/workshop/sandboxReset.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { sessionIdOfKey } from '../../../src/contracts/protocolEvents.ts';

const config = loadLabConfig({ LAB_SITE_PORT: '27399' });
const calls: string[] = [];
const unregister: (() => void)[] = [];

/** A reset part that records that it ran, and reports `did`. */
function recordingPart(name: string, order: number, did: string[]) {
  return registerSandboxReset({
    name,
    order,
    reset: async () => {
      calls.push(name);
      return did;
    },
  });
}

afterEach(() => {
  for (const u of unregister.splice(0)) u();
  calls.length = 0;
});

describe('resetSandbox', () => {
  it('runs every registered part in order, reports what each did, and changes the generation', async () => {
    unregister.push(recordingPart('api', 20, ['data back to the seed']), recordingPart('tenant', 10, ['signed everyone out']));
    const before = sandboxGeneration();
    protocolEvents.publish({ name: 'sign-in', leg: 'sign-in', source: 'tenant', summary: 'old', sessionId: 'attendee-abcdefgh' });
    const report = await resetSandbox();
    expect(calls).toEqual(['tenant', 'api']);
    expect(report.parts.map((p) => p.name)).toEqual(['tenant', 'api', 'events']);
    expect(report.generation).not.toBe(before);
    expect(protocolEvents.recent('attendee-abcdefgh')).toEqual([]);
  });

  it('keeps going when one part fails, and names the failure', async () => {
    unregister.push(
      registerSandboxReset({ name: 'tenant', order: 10, reset: async () => Promise.reject(new Error('key file is read-only')) }),
      recordingPart('api', 20, ['ok']),
    );
    const report = await resetSandbox();
    expect(report.parts[0]).toMatchObject({ name: 'tenant', error: 'key file is read-only' });
    expect(calls).toEqual(['api']);
  });

  it('forgets a part when its server closes', async () => {
    const running = withSandboxReset({ close: async () => {} }, { name: 'api', order: 20, reset: async () => [] });
    expect(registeredResetters()).toContain('api');
    await running.close();
    expect(registeredResetters()).not.toContain('api');
  });
});

describe('who may reset: the machine the lab runs on', () => {
  it('accepts loopback and this machine’s own addresses, refuses the others', () => {
    const own = new Set(['192.168.1.20']);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '192.168.1.20', '::ffff:192.168.1.20'])
      expect(isThisMachine(address, own), address).toBe(true);
    for (const address of ['192.168.1.23', '10.0.0.5', undefined]) expect(isThisMachine(address, own), String(address)).toBe(false);
  });
});

describe('the workshop routes (servers/workshop/routes.ts)', () => {
  let server: Server;
  let base: string;
  let handler: ReturnType<typeof createWorkshopHandler>;

  beforeAll(async () => {
    handler = createWorkshopHandler(config);
    server = createServer((req, res) => {
      if (!handler.handle(req, res)) res.writeHead(404).end('site');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    handler.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/_lab/workshop${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: config.siteOrigin, ...headers },
      body: JSON.stringify(body),
    });

  it('leaves every other path to the site', async () => {
    expect(await (await fetch(`${base}/guides/`)).text()).toBe('site');
  });

  it('says which sandbox generation is live', async () => {
    const status = (await (await fetch(`${base}/_lab/workshop/status`)).json()) as { generation: string; lan: boolean };
    expect(status.generation).toBe(sandboxGeneration());
    expect(status.lan).toBe(false);
  });

  it('resets only with the confirmation, from the lab’s own pages', async () => {
    unregister.push(recordingPart('api', 20, ['ok']));
    const other = await post('/reset', { confirm: 'reset' }, { Origin: 'http://evil.example' });
    expect(other.status).toBe(403);
    const unconfirmed = await post('/reset', {});
    expect(unconfirmed.status).toBe(400);
    expect(calls).toEqual([]);
    const confirmed = await post('/reset', { confirm: 'reset' });
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { parts: { name: string }[] }).parts.map((p) => p.name)).toEqual(['api', 'daemon', 'events']);
  });

  it('needs the browser session for the daemon and the checks, and names a bad request the OAuth way', async () => {
    const noSession = await post('/daemon/token', {});
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ error: 'invalid_request' });
    const badEndpoint = await post('/daemon/call', { endpoint: 'DELETE /api/tasks' }, { 'X-Lab-Session-Key': 'attendee-abcdefgh' });
    expect(((await badEndpoint.json()) as { error_description: string }).error_description).toMatch(/must be one of/);
    const badExercise = await post('/exercises/check', { exercise: 'hack' }, { 'X-Lab-Session-Key': 'attendee-abcdefgh' });
    expect(badExercise.status).toBe(400);
    const notJson = await fetch(`${base}/_lab/workshop/exercises/check`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: config.siteOrigin, 'X-Lab-Session-Key': 'attendee-abcdefgh' },
      body: 'x',
    });
    expect(notJson.status).toBe(400);
  });

  it("checks an exercise against that session's events only", async () => {
    protocolEvents.publish({
      name: 'authorize.error',
      leg: 'authorize',
      source: 'tenant',
      summary: 'x',
      sessionId: sessionIdOfKey('attendee-one-key'),
      error: { code: 'AADSTS50011', error: 'invalid_request' },
    });
    protocolEvents.publish({
      name: 'code.issued',
      leg: 'authorize',
      source: 'tenant',
      summary: 'x',
      sessionId: sessionIdOfKey('attendee-one-key'),
    });
    const mine = await post('/exercises/check', { exercise: 'fix-redirect-uri' }, { 'X-Lab-Session-Key': 'attendee-one-key' });
    expect(await mine.json()).toMatchObject({ passed: true });
    const theirs = await post('/exercises/check', { exercise: 'fix-redirect-uri' }, { 'X-Lab-Session-Key': 'attendee-two-key' });
    expect(await theirs.json()).toMatchObject({ passed: false });
    // Knowing attendee one's id (it shows in URLs) is not being attendee one: the id used as a key is another session.
    const byId = await post(
      '/exercises/check',
      { exercise: 'fix-redirect-uri' },
      { 'X-Lab-Session-Key': sessionIdOfKey('attendee-one-key') },
    );
    expect(await byId.json()).toMatchObject({ passed: false });
  });
});
