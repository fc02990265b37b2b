/**
 * The opt-in HTTPS mode (`LAB_TENANT_HTTPS=true`): the same tenant over TLS with a self-signed
 * certificate generated locally into the state folder (the spike's fallback, option A).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { freePort, labConfig } from '../support/tenant-http.ts';

let stateDir: string;
let config: ReturnType<typeof labConfig>;
let tenant: RunningTenant;
let ca: Buffer;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-tenant-'));
  config = labConfig({ LAB_TENANT_PORT: String(await freePort()), LAB_TENANT_HTTPS: 'true' });
  tenant = await startTenant(config, { stateDir });
  ca = await readFile(tenant.httpsCertificatePath as string);
});

afterAll(async () => {
  await tenant.close();
  await rm(stateDir, { recursive: true, force: true });
});

function call(
  url: string,
  options: { method?: string; body?: string; trust?: boolean } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: options.trust === false ? undefined : ca,
        headers: options.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('LAB_TENANT_HTTPS=true', () => {
  it('serves every endpoint over https, and discovery lists https endpoints', async () => {
    expect(config.tenant.discovery.startsWith('https://')).toBe(true);
    const { status, json } = await call(config.tenant.discovery);
    expect(status).toBe(200);
    expect(json.issuer).toBe(config.tenant.issuer);
    expect(json.token_endpoint).toBe(config.tenant.token);
    expect(String(json.token_endpoint).startsWith('https://')).toBe(true);
  });

  it('issues tokens over TLS', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.ids.daemonClientId,
      client_secret: sandboxApps.daemon.sandboxSecret,
      scope: config.defaultScope,
    }).toString();
    const { status, json } = await call(config.tenant.token, { method: 'POST', body });
    expect(status).toBe(200);
    expect(json.token_type).toBe('Bearer');
  });

  it('the certificate is self-signed: a client that does not trust it refuses to connect', async () => {
    await expect(call(config.tenant.discovery, { trust: false })).rejects.toThrow(/self-signed|certificate/i);
  });
});
