/**
 * Azure Identity (`@azure/identity`), unchanged, against the default sandbox: the client secret and
 * the client certificate credentials get a token for the API, which accepts it.
 * https://learn.microsoft.com/javascript/api/@azure/identity/clientsecretcredential
 */
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { daemonCertificate } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { runNode } from '../support/interop-clients.ts';
import { labConfig } from '../support/tenant-http.ts';

let config: LabConfig;
let env: Record<string, string>;

beforeAll(() => {
  config = labConfig();
  env = {
    AUTHORITY_HOST: new URL(config.tenant.authority).origin,
    TENANT_ID: config.ids.tenantId,
    CLIENT_ID: config.ids.daemonClientId,
    SCOPE: config.defaultScope,
    API_URL: `${config.apiOrigin}/api/tasks`,
  };
});

describe('@azure/identity: getToken, then the API', () => {
  it('ClientSecretCredential: an app-only token the API answers 200 to', async () => {
    const out = await runNode('azure-identity.ts', { ...env, CLIENT_SECRET: sandboxApps.daemon.sandboxSecret });
    expect(out.error_description).toBeUndefined();
    expect(out.api_get).toBe(200);
    const claims = decodeJwt(String(out.access_token));
    expect(claims.roles).toEqual(['Tasks.Read.All']);
    expect(claims.azpacr).toBe('1');
  });

  it('ClientCertificateCredential: a client assertion the tenant accepts (azpacr 2), then API 200', async () => {
    const certificate = await daemonCertificate();
    const out = await runNode('azure-identity.ts', {
      ...env,
      CERT_PATH: certificate.certificatePath,
      KEY_PATH: certificate.privateKeyPath,
    });
    expect(out.error_description).toBeUndefined();
    expect(out.api_get).toBe(200);
    expect(decodeJwt(String(out.access_token)).azpacr).toBe('2');
  });

  it('a wrong secret fails with Entra’s AADSTS7000215 in the credential’s error', async () => {
    const out = await runNode('azure-identity.ts', { ...env, CLIENT_SECRET: 'Wr0ng~not-the-secret' });
    expect(out.exitCode).toBe(1);
    expect(String(out.error_description)).toContain('AADSTS7000215');
  });
});
