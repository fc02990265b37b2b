/**
 * What the daemon run hands the page: never a credential. The client assertion MSAL signs is one
 * (replayed at the token endpoint, it got fresh tokens), so the run returns its decoded header and
 * claims only, as the event stream does, and the token request shows it shortened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendServers, startServers } from '../../scripts/lib/lab-servers.ts';
import { unreachableTenant } from '../../servers/daemon/tokenCall.ts';
import type { RunningServer } from '../../servers/listen.ts';
import { loadLabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import type { RunResult } from '../../src/flows/client-credentials/contract.ts';
import { freePort, labConfig } from '../support/tenant-http.ts';

/** A compact JWS with a real signature: three base64url segments, the last one long. */
const WHOLE_JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{16,}/;

describe('POST /daemon/run never returns a credential', () => {
  const config = labConfig();
  let running: RunningServer[] = [];
  let lab = config;

  beforeAll(async () => {
    lab = labConfig({ LAB_TENANT_PORT: String(await freePort()), LAB_API_PORT: String(await freePort()) });
    // The tenant and the API the daemon run needs; nothing else.
    running = await startServers(
      backendServers.filter((server) => server.name === 'tenant' || server.name === 'api'),
      lab,
    );
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.close()));
  });

  const run = async (credential: 'secret' | 'certificate') => {
    const response = await fetch(`${lab.apiOrigin}/daemon/run`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: lab.siteOrigin },
      body: JSON.stringify({ credential }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, result: JSON.parse(text) as RunResult };
  };

  it('certificate: the assertion comes decoded, without its signature, and nothing in the answer is a whole signed JWT', async () => {
    const { text, result } = await run('certificate');
    expect(result.clientAssertion?.claims).toMatchObject({ iss: lab.ids.daemonClientId, sub: lab.ids.daemonClientId });
    expect(result.clientAssertion?.header).toMatchObject({ alg: 'PS256' });
    expect(JSON.stringify(result.clientAssertion)).not.toMatch(WHOLE_JWT);
    const form = result.steps.find((step) => step.id === 'token-request')?.exchange?.form;
    expect(form?.client_assertion).toMatch(/^eyJ.{7}….{6} \([\d,]+ chars\)$/);
    // The access token is the page's to decode (it is what the run is for); no other JWT is whole.
    const withoutAccessToken = text.replace(result.accessToken ?? '', '');
    expect(withoutAccessToken).not.toMatch(WHOLE_JWT);
  });

  it('secret: the secret is masked', async () => {
    const { text } = await run('secret');
    expect(text).not.toContain(sandboxApps.daemon.sandboxSecret);
  });
});

describe('when the token endpoint does not answer', () => {
  it('the sandbox says to start the lab; a real tenant says to check the way to Entra', () => {
    const sandbox = labConfig();
    expect(unreachableTenant(sandbox, sandbox.tenant.token)).toMatch(/sandbox tenant did not answer .* npm start starts it/);
    const real = loadLabConfig({
      LAB_MODE: 'real',
      ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_SPA_CLIENT_ID: '21111111-2222-4333-8444-555555555555',
      ENTRA_API_CLIENT_ID: '31111111-2222-4333-8444-555555555555',
      ENTRA_DAEMON_CLIENT_ID: '41111111-2222-4333-8444-555555555555',
    });
    const advice = unreachableTenant(real, real.tenant.token);
    expect(advice).toMatch(/^Microsoft Entra did not answer at https:\/\/login\.microsoftonline\.com\//);
    expect(advice).not.toMatch(/sandbox|npm start/);
  });
});
