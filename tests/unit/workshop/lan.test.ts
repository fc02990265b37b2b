/**
 * Follow-along on the local network: opt-in, one config (src/config/lab.ts) for every URL, and a
 * start-up warning that says what it exposes.
 */
import { describe, expect, it } from 'vitest';
import { applyLanFlag, lanAddress, lanWarning } from '../../../servers/workshop/lan.ts';
import { ConfigError, listenHostFromEnv, loadLabConfig } from '../../../src/config/lab.ts';
import { SANDBOX_PASSWORD, SANDBOX_TENANT_ID } from '../../../src/config/sandbox.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadLabConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loopback by default', () => {
  it('binds to localhost and builds every URL with localhost', () => {
    const config = loadLabConfig({});
    expect(config.network).toEqual({ listenHost: 'localhost', publicHost: 'localhost', lan: false });
    expect(listenHostFromEnv({})).toBe('localhost');
    expect(lanWarning(config)).toEqual([]);
  });
});

describe('LAB_PUBLIC_HOST: attendees reach the presenter’s lab', () => {
  const config = loadLabConfig({ LAB_PUBLIC_HOST: '192.168.1.20' });

  it('puts the LAN address in the site, API and tenant origins, the redirect URIs and the sandbox issuer', () => {
    expect(config.siteOrigin).toBe('http://192.168.1.20:4321');
    expect(config.apiOrigin).toBe('http://192.168.1.20:4500');
    expect(config.tenantOrigin).toBe('http://192.168.1.20:4400');
    expect(config.tenant.issuer).toBe(`https://192.168.1.20:4400/${SANDBOX_TENANT_ID}/v2.0`);
    expect(config.tenant.token).toBe(`http://192.168.1.20:4400/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`);
    expect(config.redirectUris).toEqual(['http://192.168.1.20:4321/', 'http://192.168.1.20:4321/redirect.html']);
  });

  it('listens on every interface unless LAB_LISTEN_HOST names one', () => {
    expect(config.network).toEqual({ listenHost: '0.0.0.0', publicHost: '192.168.1.20', lan: true });
    expect(listenHostFromEnv({ LAB_PUBLIC_HOST: '192.168.1.20' })).toBe('0.0.0.0');
    expect(loadLabConfig({ LAB_PUBLIC_HOST: 'my-laptop.local', LAB_LISTEN_HOST: '192.168.1.20' }).network.listenHost).toBe('192.168.1.20');
  });

  it('warns at start that the sandbox credentials are public and the network must be trusted', () => {
    const text = lanWarning(config).join('\n');
    expect(text).toMatch(/WARNING/);
    expect(text).toContain('http://192.168.1.20:4321');
    expect(text).toContain(`password "${SANDBOX_PASSWORD}"`);
    expect(text).toMatch(/network you trust/);
    expect(text).toMatch(/unsafely-treat-insecure-origin-as-secure/);
  });
});

describe('bad follow-along settings are refused with what to do', () => {
  it('a LAB_PUBLIC_HOST that is not a host name', () => {
    expect(problemsOf({ LAB_PUBLIC_HOST: 'http://192.168.1.20:4321' })[0]).toMatch(/LAB_PUBLIC_HOST=.* is not a host name or IPv4 address/);
    expect(problemsOf({ LAB_PUBLIC_HOST: '0.0.0.0' })[0]).toMatch(/not a host name/);
  });

  it('listening on the network while every URL still says localhost', () => {
    expect(problemsOf({ LAB_LISTEN_HOST: '0.0.0.0' })[0]).toMatch(/Set LAB_PUBLIC_HOST .* npm start -- --lan/);
  });

  it('a real Entra tenant: Entra accepts http:// redirect URIs for localhost only', () => {
    const problems = problemsOf({
      LAB_MODE: 'real',
      LAB_PUBLIC_HOST: '192.168.1.20',
      ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_SPA_CLIENT_ID: '21111111-2222-4333-8444-555555555555',
      ENTRA_API_CLIENT_ID: '31111111-2222-4333-8444-555555555555',
      ENTRA_DAEMON_CLIENT_ID: '41111111-2222-4333-8444-555555555555',
    });
    expect(problems.join(' ')).toMatch(/sandbox mode only: Entra accepts http:\/\/ redirect URIs for localhost alone/);
  });
});

describe('npm start -- --lan', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
    wlan0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.168.1.20', family: 'IPv4', internal: false },
    ],
  } as unknown as Parameters<typeof lanAddress>[0];

  it("finds the machine's private LAN address, not docker's or loopback", () => {
    expect(lanAddress(interfaces)).toBe('192.168.1.20');
    expect(
      lanAddress({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] } as unknown as Parameters<typeof lanAddress>[0]),
    ).toBeUndefined();
  });

  it('sets LAB_PUBLIC_HOST to it, keeps one the presenter chose, and says so when there is no network', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyLanFlag(env, () => '192.168.1.20')).toBeUndefined();
    expect(env.LAB_PUBLIC_HOST).toBe('192.168.1.20');
    const chosen: NodeJS.ProcessEnv = { LAB_PUBLIC_HOST: 'my-laptop.local' };
    applyLanFlag(chosen, () => '192.168.1.20');
    expect(chosen.LAB_PUBLIC_HOST).toBe('my-laptop.local');
    expect(applyLanFlag({}, () => undefined)).toMatch(/no LAN address/);
  });
});
