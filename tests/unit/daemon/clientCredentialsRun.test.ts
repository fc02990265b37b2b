import { describe, expect, it } from 'vitest';
import { runClientCredentials } from '../../../servers/daemon/clientCredentialsRun.ts';
import { parseRunRequest } from '../../../servers/daemon/routes.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { sandboxApps } from '../../../src/config/sandbox.ts';

describe('POST /daemon/run request body', () => {
  it('accepts a credential and an optional break-it', () => {
    expect(parseRunRequest({ credential: 'secret' })).toEqual({ credential: 'secret' });
    expect(parseRunRequest({ credential: 'certificate', breakIt: 'expired-certificate' })).toEqual({
      credential: 'certificate',
      breakIt: 'expired-certificate',
    });
  });
  it.each([[null], [[]], [{ credential: 'password' }], [{ credential: 'secret', breakIt: 'everything' }]])(
    'refuses %j with what to send',
    (body) => {
      expect(typeof parseRunRequest(body)).toBe('string');
    },
  );
});

describe('a run when the tenant is down', () => {
  // Ports nothing listens on: the run must say what is wrong, not throw.
  const config = loadLabConfig({ LAB_MODE: 'sandbox', LAB_SITE_PORT: '9', LAB_TENANT_PORT: '7', LAB_API_PORT: '13' });

  it('reports the tenant as unreachable, never the secret', async () => {
    const result = await runClientCredentials(config, { credential: 'secret' });
    const first = result.steps[0];
    expect(first?.status).toBe('failed');
    expect(JSON.stringify(result)).not.toContain(sandboxApps.daemon.sandboxSecret);
    expect(result.accessToken).toBeUndefined();
    expect(result.steps.at(-1)).toMatchObject({ status: 'skipped' });
    expect(JSON.stringify(first)).toMatch(/did not answer|not reachable|token request|refused|ECONNREFUSED/i);
  });
});
