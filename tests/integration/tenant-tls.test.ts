/**
 * One authority, two protocols on one port: the tenant answers its https authority over real TLS
 * (a certificate the lab's CA signed for localhost, 127.0.0.1 and ::1) and plain HTTP for the
 * browser. Discovery lists the endpoints of the protocol it was asked on; the issuer is one string.
 */
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTenant } from '../../servers/tenant/main.ts';
import { authorityEndpoints, ConfigError, type LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { startOwnTenant } from '../support/own-tenant.ts';
import { labConfig } from '../support/tenant-http.ts';

let config: LabConfig;
let tenant: RunningTenant;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ config, tenant, stop } = await startOwnTenant());
});

afterAll(() => stop());

/** node:https with an explicit CA list, so the test does not lean on this worker's default trust. */
function callTls(
  url: string,
  ca: string[],
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', ca, headers: options.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} },
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

describe('the sandbox tenant over TLS and plain HTTP on one port', () => {
  it('OpenID Connect Discovery 1.0 §4: over TLS the document lists the https endpoints, with the https issuer', async () => {
    const https = authorityEndpoints(config);
    expect(https.discovery).toBe(`${config.tenant.issuer}/.well-known/openid-configuration`);
    const { status, json } = await callTls(https.discovery, [tenant.tls.caCertificatePem]);
    expect(status).toBe(200);
    expect(json.issuer).toBe(config.tenant.issuer);
    expect(json.token_endpoint).toBe(https.token);
    expect(json.jwks_uri).toBe(https.jwks);
    expect(json.authorization_endpoint).toBe(https.authorization);
    expect(String(json.token_endpoint).startsWith('https://')).toBe(true);
  });

  it('over plain HTTP (the browser) the same path lists the http endpoints MSAL.js pins, with the same issuer', async () => {
    const response = await fetch(config.tenant.discovery);
    const json = (await response.json()) as Record<string, unknown>;
    expect(config.tenant.discovery.startsWith('http://')).toBe(true);
    expect(json.issuer).toBe(config.tenant.issuer);
    expect(json.token_endpoint).toBe(config.tenant.token);
  });

  it('issues tokens over TLS', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.ids.daemonClientId,
      client_secret: sandboxApps.daemon.sandboxSecret,
      scope: config.defaultScope,
    }).toString();
    const { status, json } = await callTls(authorityEndpoints(config).token, [tenant.tls.caCertificatePem], { method: 'POST', body });
    expect(status).toBe(200);
    expect(json.token_type).toBe('Bearer');
  });

  it('RFC 6125: the server certificate names localhost, 127.0.0.1 and ::1, and the lab CA signed it', () => {
    const server = new X509Certificate(tenant.tls.serverCertificatePem);
    const ca = new X509Certificate(tenant.tls.caCertificatePem);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
  });

  it('a client trusting only the public roots refuses the certificate (it is the lab CA that makes it valid)', async () => {
    await expect(callTls(authorityEndpoints(config).discovery, [...tls.rootCertificates])).rejects.toThrow(
      /self.signed certificate in certificate chain/i,
    );
  });

  it('the same port still answers plain HTTP requests that are not TLS', async () => {
    const response = await fetch(`${config.tenantOrigin}/error?code=90002`);
    expect(response.status).toBe(200);
  });

  it('the home page names the https discovery document for a reader’s own app', async () => {
    const page = await (await fetch(`${config.tenantOrigin}/`)).text();
    expect(page).toContain(authorityEndpoints(config).discovery);
  });
});

describe('LAB_TENANT_HTTPS', () => {
  it('is no longer read: a value left in .env is a ConfigError saying what changed', () => {
    let error: unknown;
    try {
      labConfig({ LAB_TENANT_HTTPS: 'true' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(/LAB_TENANT_HTTPS="true" is no longer read.*Remove LAB_TENANT_HTTPS/);
  });
});
