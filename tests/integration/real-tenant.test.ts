/**
 * Real-tenant mode, rehearsed offline: the sample API and the daemon (MSAL Node) in LAB_MODE=real,
 * configured only by the `ENTRA_*` variables a reader copies from their tenant, against a second
 * tenant that stands in for Entra: its own tenant ID, apps, daemon secret and certificate, HTTPS at
 * https://login.entra-lab.test:{port} (tests/support/rehearsal-tenant.ts). The sandbox lab of
 * tests/support/global-setup.ts runs meanwhile on this run's ports, and must not be trusted.
 */
import '../support/test-hosts.ts';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import tls from 'node:tls';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../servers/api/main.ts';
import { startApi } from '../../servers/api/main.ts';
import { msalNodeConfiguration, runClientCredentials } from '../../servers/daemon/clientCredentialsRun.ts';
import { daemonCertificate, type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { loadServerLabConfig } from '../../src/config/env.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { rehearsalTenant, sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import type { RunResult } from '../../src/flows/client-credentials/contract.ts';
import { appOnlyToken, callApi, delegatedToken } from '../support/api-lab.ts';
import {
  type DaemonCredentialEnv,
  portsEnv,
  type RehearsalTenant,
  rehearsalEnv,
  startRehearsalTenant,
  trustInThisProcess,
} from '../support/rehearsal-tenant.ts';
import { freePort, labConfig } from '../support/tenant-http.ts';
import { rehearsalPorts } from '../support/test-ports.ts';

const ports = rehearsalPorts('integration');
const authorityOrigin = `https://${rehearsalTenant.authorityHostName}:${ports.tenant}`;

let rehearsal: RehearsalTenant;
/** The lab as a reader configures it: the `.env` values (client secret) and this run's ports. */
let lab: LabConfig;
let api: RunningApi;
/** Started on first use by `startedSandboxTenant`. */
let sandboxTenant: (RunningTenant & { config: LabConfig }) | undefined;

/** A variant of the reader's `.env`, loaded the way `npm start` loads it (certificate files checked). */
const labWith = (env: Record<string, string>, credential?: DaemonCredentialEnv): LabConfig =>
  loadServerLabConfig({ ...rehearsalEnv(ports.tenant, credential), ...portsEnv(ports), ...env });

beforeAll(async () => {
  rehearsal = await startRehearsalTenant(ports);
  trustInThisProcess(rehearsal);
  lab = labWith({});
  api = await startApi(lab);
});

afterAll(async () => {
  await api?.close();
  await sandboxTenant?.close();
  await rehearsal?.close();
});

const step = (run: RunResult, id: string) => run.steps.find((s) => s.id === id);

describe('LAB_MODE=real with ENTRA_AUTHORITY_HOST=https://login.entra-lab.test:{port}', () => {
  it('every endpoint is on the https authority, exactly where the tenant’s discovery document puts it (no http under an https label)', async () => {
    expect(lab.mode).toBe('real');
    expect(lab.tenant.issuer).toBe(`${authorityOrigin}/${rehearsalTenant.tenantId}/v2.0`);
    const document = (await (await fetch(lab.tenant.discovery)).json()) as Record<string, string>;
    expect(document).toMatchObject({
      issuer: lab.tenant.issuer,
      authorization_endpoint: lab.tenant.authorization,
      token_endpoint: lab.tenant.token,
      end_session_endpoint: lab.tenant.logout,
      jwks_uri: lab.tenant.jwks,
    });
    for (const url of [lab.tenant.discovery, lab.tenant.authorization, lab.tenant.token, lab.tenant.jwks]) {
      expect(url.startsWith(`${authorityOrigin}/${rehearsalTenant.tenantId}/`)).toBe(true);
    }
  });

  it('RFC 6125: the tenant’s certificate names login.entra-lab.test, and a client trusting only public roots refuses it', async () => {
    expect(new X509Certificate(rehearsal.httpsCertificatePem).checkHost(rehearsalTenant.authorityHostName)).toBe(
      rehearsalTenant.authorityHostName,
    );
    const withPublicRootsOnly = new Promise((resolve, reject) => {
      request(lab.tenant.discovery, { ca: [...tls.rootCertificates] }, resolve)
        .on('error', reject)
        .end();
    });
    await expect(withPublicRootsOnly).rejects.toThrow(/self.signed/i);
  });
});

describe('Client Credentials: the lab’s daemon (MSAL Node) against the second tenant', () => {
  it('RFC 6749 §4.4 with ENTRA_DAEMON_CLIENT_SECRET, through the API’s /daemon/run: an app-only token the API accepts', async () => {
    const response = await fetch(`${lab.apiOrigin}/daemon/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: lab.siteOrigin },
      body: JSON.stringify({ credential: 'secret' }),
    });
    expect(response.status).toBe(200);
    const run = (await response.json()) as RunResult;
    expect(step(run, 'token-request')?.exchange?.url.split('?')[0]).toBe(lab.tenant.token);
    expect(step(run, 'token-response')?.exchange?.status).toBe(200);
    // The API validated it against the second tenant's issuer, audience and JWKS, then authorized by role.
    expect(step(run, 'api-call')?.exchange?.status).toBe(200);
    expect(step(run, 'api-call-write')?.exchange?.status).toBe(403);
    expect(decodeJwt(run.accessToken as string)).toMatchObject({
      iss: lab.tenant.issuer,
      tid: rehearsalTenant.tenantId,
      aud: rehearsalTenant.apiClientId,
      azp: rehearsalTenant.daemonClientId,
      oid: rehearsalTenant.daemonServicePrincipalId,
      azpacr: '1',
      roles: [...sandboxApps.daemon.grantedAppRoles],
    });
  });

  it('RFC 7523 with ENTRA_DAEMON_CERT_PATH + ENTRA_DAEMON_KEY_PATH: a client assertion the tenant accepts, azpacr 2', async () => {
    const certificateLab = labWith({}, rehearsal.daemonCertificateFiles);
    expect(certificateLab.daemonCredential?.kind).toBe('certificate');
    const run = await runClientCredentials(certificateLab, { credential: 'certificate' });
    expect(step(run, 'token-response')?.exchange?.status).toBe(200);
    expect(run.clientAssertion?.claims).toMatchObject({ aud: lab.tenant.token, iss: rehearsalTenant.daemonClientId });
    expect(decodeJwt(run.accessToken as string)).toMatchObject({ iss: lab.tenant.issuer, azpacr: '2' });
    expect(step(run, 'api-call')?.exchange?.status).toBe(200);
  });

  it('MSAL Node’s own network client (node:https, no networkClient set) reaches the tenant through the same DNS and TLS set-up', async () => {
    const { system: _recordingNetwork, ...configuration } = msalNodeConfiguration(lab, { secret: rehearsalTenant.daemonSecret }, []);
    const result = await new ConfidentialClientApplication(configuration).acquireTokenByClientCredential({
      scopes: [lab.defaultScope],
      skipCache: true,
    });
    expect(decodeJwt(result?.accessToken as string)).toMatchObject({ iss: lab.tenant.issuer, aud: rehearsalTenant.apiClientId });
  });

  it('AADSTS700027: the sandbox daemon’s certificate is not registered in the second tenant', async () => {
    // The sandbox lab's daemon certificate (.lab/tenant/daemon/), which the global-setup sandbox tenant trusts.
    const sandboxCertificate = await daemonCertificate();
    const run = await runClientCredentials(labWith({}, sandboxCertificate), { credential: 'certificate' });
    expect(step(run, 'token-response')?.error?.code).toBe('AADSTS700027');
    expect(step(run, 'api-call')?.status).toBe('skipped');
  });

  it('AADSTS7000215: a wrong ENTRA_DAEMON_CLIENT_SECRET (here the sandbox’s) is refused, and Entra’s text says to send the Value', async () => {
    const run = await runClientCredentials(labWith({ ENTRA_DAEMON_CLIENT_SECRET: sandboxApps.daemon.sandboxSecret }), {
      credential: 'secret',
    });
    const response = step(run, 'token-response');
    expect(response?.exchange?.status).toBe(401);
    expect(response?.error).toMatchObject({ code: 'AADSTS7000215', error: 'invalid_client' });
    expect(response?.error?.description).toContain('the client secret value, not the client secret ID');
    // What the run shows never holds the secret itself.
    expect(JSON.stringify(run)).not.toContain(sandboxApps.daemon.sandboxSecret);
  });

  it('AADSTS500011: a wrong ENTRA_API_APP_ID_URI names an API the tenant does not have', async () => {
    const wrongUri = `api://${rehearsalTenant.tenantId}/tasks`;
    const run = await runClientCredentials(labWith({ ENTRA_API_APP_ID_URI: wrongUri }), { credential: 'secret' });
    const response = step(run, 'token-response');
    expect(response?.error).toMatchObject({ code: 'AADSTS500011', error: 'invalid_resource' });
    expect(response?.error?.description).toContain(wrongUri);
  });
});

describe('Authorization Code + PKCE: a user of the second tenant, through its own sign-in pages', () => {
  it('alice’s delegated token (scp Tasks.Read) is accepted: GET /api/me → 200, a user of the second tenant', async () => {
    const token = await delegatedToken(lab, 'alice', [lab.delegatedScopes[0] as string]);
    expect(decodeJwt(token)).toMatchObject({ iss: lab.tenant.issuer, aud: rehearsalTenant.apiClientId, scp: 'Tasks.Read' });
    const { status, body } = await callApi(lab.apiOrigin, '/api/me', { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'user',
      oid: sandboxUsers.alice.oid,
      tid: rehearsalTenant.tenantId,
      appId: rehearsalTenant.spaClientId,
      scopes: ['Tasks.Read'],
    });
  });
});

describe('tokens from other tenants are refused (RFC 6750 §3.1 invalid_token)', () => {
  async function refusal(token: string) {
    const call = await callApi(lab.apiOrigin, '/api/tasks', { authorization: `Bearer ${token}` });
    const explain = await callApi(lab.apiOrigin, '/api/explain', { method: 'POST', body: { token } });
    return { call, problem: explain.body.problem as { step: string; code?: string; claim?: string } };
  }

  it('the sandbox tenant’s token: its key is not in the second tenant’s JWKS (IDX10503)', async () => {
    const { call, problem } = await refusal(await appOnlyToken(labConfig()));
    expect(call.status).toBe(401);
    expect(call.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(problem).toMatchObject({ step: 'key', code: 'IDX10503' });
  });

  it('another tenant’s token signed with the same keys, as every tenant of an Entra cloud shares them: refused on iss (IDX10205)', async () => {
    const sandbox = await startedSandboxTenant();
    const { call, problem } = await refusal(await appOnlyToken(sandbox.config));
    expect(call.status).toBe(401);
    expect(problem).toMatchObject({ step: 'issuer', code: 'IDX10205', claim: 'iss' });
  });
});

/**
 * A sandbox-mode tenant sharing the second tenant's state folder, so the same signing keys and the
 * same daemon certificate: another tenant ID and issuer, signing like its neighbour.
 */
async function startedSandboxTenant(): Promise<RunningTenant & { config: LabConfig }> {
  if (!sandboxTenant) {
    const config = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
    sandboxTenant = Object.assign(await startTenant(config, { stateDir: rehearsal.stateDir }), { config });
  }
  return sandboxTenant;
}
