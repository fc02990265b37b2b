/**
 * Signing keys: persisted so a restart keeps issued tokens valid, and rotated the way Entra rolls
 * keys over (publish the new key, keep the old one for a grace period, then retire it).
 * Each test runs its own tenant on a free port with a temporary state folder, so it never
 * disturbs the shared one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { freePort, labConfig, tokenRequest } from '../support/tenant-http.ts';

let stateDir: string;
let config: ReturnType<typeof labConfig>;
let tenant: RunningTenant | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-tenant-'));
  config = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
  tenant = await startTenant(config, { stateDir });
});

afterEach(async () => {
  vi.useRealTimers();
  await tenant?.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function appOnlyToken(): Promise<string> {
  const { body } = await tokenRequest(config, {
    grant_type: 'client_credentials',
    client_id: config.ids.daemonClientId,
    client_secret: sandboxApps.daemon.sandboxSecret,
    scope: config.defaultScope,
  });
  return body.access_token as string;
}

async function currentJwks(): Promise<JSONWebKeySet> {
  return (await fetch(config.tenant.jwks)).json();
}

/** Verifies against the JWKS as published right now (no cache between calls). */
async function verifiesNow(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, createLocalJWKSet(await currentJwks()), { issuer: config.tenant.issuer, audience: config.ids.apiClientId });
    return true;
  } catch {
    return false;
  }
}

const run = promisify(execFile);

function rotateCommand(args: string[]) {
  return run(process.execPath, ['servers/tenant/rotateKeys.ts', ...args], {
    env: { ...process.env, LAB_MODE: 'sandbox', LAB_TENANT_PORT: String(config.ports.tenant) },
  });
}

function admin(path: string, method = 'POST', headers: Record<string, string> = { 'x-lab-admin': '1', origin: config.tenantOrigin }) {
  return fetch(`${config.tenantOrigin}/_sandbox/${path}`, { method, headers });
}

describe('persisted signing keys', () => {
  it('a restart keeps tokens issued before it valid, and signs with the same key', async () => {
    const before = await appOnlyToken();
    await tenant?.close();
    tenant = await startTenant(config, { stateDir });
    expect(await verifiesNow(before)).toBe(true);
    expect(decodeProtectedHeader(await appOnlyToken()).kid).toBe(decodeProtectedHeader(before).kid);
  });

  it('the daemon’s certificate is generated once into the state folder and reused', async () => {
    const first = tenant?.daemonCertificate;
    await tenant?.close();
    tenant = await startTenant(config, { stateDir });
    expect(tenant.daemonCertificate.x5tS256).toBe(first?.x5tS256);
    expect(tenant.daemonCertificate.privateKeyPath.startsWith(stateDir)).toBe(true);
  });
});

describe('key rotation (Entra-style rollover)', () => {
  it('publishes a new key that signs from then on; the old key stays during the grace period', async () => {
    const old = await appOnlyToken();
    const oldKid = decodeProtectedHeader(old).kid;
    const response = await admin('rotate-keys?graceSeconds=3600');
    expect(response.status).toBe(200);
    const { keys } = await currentJwks();
    expect(keys.map((k) => k.kid)).toHaveLength(2);
    const fresh = await appOnlyToken();
    expect(decodeProtectedHeader(fresh).kid).not.toBe(oldKid);
    expect(keys[0]?.kid).toBe(decodeProtectedHeader(fresh).kid);
    expect(await verifiesNow(old)).toBe(true);
    expect(await verifiesNow(fresh)).toBe(true);
  });

  it('retiring removes the old key from the JWKS: its tokens no longer verify, new ones do', async () => {
    const old = await appOnlyToken();
    await admin('rotate-keys?graceSeconds=3600');
    const fresh = await appOnlyToken();
    expect((await admin('retire-keys')).status).toBe(200);
    expect((await currentJwks()).keys).toHaveLength(1);
    expect(await verifiesNow(old)).toBe(false);
    expect(await verifiesNow(fresh)).toBe(true);
  });

  it('the grace period ends by itself', async () => {
    const old = await appOnlyToken();
    await admin('rotate-keys?graceSeconds=60');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect((await currentJwks()).keys).toHaveLength(1);
    expect(await verifiesNow(old)).toBe(false);
  });

  it('a rotation survives a restart', async () => {
    await admin('rotate-keys?graceSeconds=3600');
    const kids = (await currentJwks()).keys.map((k) => k.kid);
    await tenant?.close();
    tenant = await startTenant(config, { stateDir });
    expect((await currentJwks()).keys.map((k) => k.kid)).toEqual(kids);
  });

  it('`npm run tenant:rotate-keys` rotates the running tenant', async () => {
    // Asynchronously: the tenant it talks to runs in this very process.
    const { stdout } = await rotateCommand(['--grace', '120']);
    expect(stdout).toContain('Rotated on the running tenant');
    expect((await currentJwks()).keys).toHaveLength(2);
  });

  it('the command rotates the key file directly when no tenant is running', async () => {
    const kid = (await currentJwks()).keys[0]?.kid;
    await tenant?.close();
    tenant = undefined;
    const { stdout } = await rotateCommand(['--state-dir', stateDir, '--grace', '0']);
    expect(stdout).toContain('No tenant is running');
    tenant = await startTenant(config, { stateDir });
    const kids = (await currentJwks()).keys.map((k) => k.kid);
    expect(kids).toHaveLength(1);
    expect(kids).not.toContain(kid);
  });
});

describe('the administration routes are guarded', () => {
  it('refuse requests without the X-Lab-Admin header (a web page cannot send it cross-origin)', async () => {
    const response = await admin('rotate-keys', 'POST', { origin: config.tenantOrigin });
    expect(response.status).toBe(403);
    expect((await currentJwks()).keys).toHaveLength(1);
  });

  it('grant the CORS preflight to the lab’s site only', async () => {
    const site = await fetch(`${config.tenantOrigin}/_sandbox/reset`, { method: 'OPTIONS', headers: { origin: config.siteOrigin } });
    expect(site.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
    const other = await fetch(`${config.tenantOrigin}/_sandbox/reset`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.localhost:1234' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reject a grace period that is not a whole number of seconds', async () => {
    expect((await admin('rotate-keys?graceSeconds=-5')).status).toBe(400);
  });

  it('list the published keys and which one signs', async () => {
    const { keys } = await (await admin('keys', 'GET')).json();
    expect(keys).toEqual([{ kid: expect.any(String), createdAt: expect.any(String), signing: true }]);
  });
});
