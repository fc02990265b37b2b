import { describe, expect, it } from 'vitest';
import { ConfigError, loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { SANDBOX_TENANT_ID, sandboxApps } from '../../../src/config/sandbox.ts';

const GOOD_REAL = {
  LAB_MODE: 'real',
  ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_SPA_CLIENT_ID: '21111111-2222-4333-8444-555555555555',
  ENTRA_API_CLIENT_ID: '31111111-2222-4333-8444-555555555555',
  ENTRA_DAEMON_CLIENT_ID: '41111111-2222-4333-8444-555555555555',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadLabConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('sandbox configuration', () => {
  it('uses the default ports and the https-labelled sandbox authority served over http', () => {
    const config = loadLabConfig({});
    expect(config.ports).toEqual({ site: 4321, tenant: 4400, api: 4500, webapp: 4600, profileApi: 4700 });
    expect(config.profileApiOrigin).toBe('http://localhost:4700');
    expect(config.tenant.issuer).toBe(`https://localhost:4400/${SANDBOX_TENANT_ID}/v2.0`);
    expect(config.tenant.authority).toBe(`https://localhost:4400/${SANDBOX_TENANT_ID}`);
    expect(config.tenant.token).toBe(`http://localhost:4400/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`);
    expect(config.tenant.authorityHost).toBe('localhost:4400');
    expect(config.redirectUris).toEqual(['http://localhost:4321/', 'http://localhost:4321/redirect.html']);
    expect(config.defaultScope).toBe(`${sandboxApps.api.appIdUri}/.default`);
  });

  it('lets each port be overridden by its environment variable', () => {
    const config = loadLabConfig({
      LAB_SITE_PORT: '5000',
      LAB_TENANT_PORT: '5001',
      LAB_API_PORT: '5002',
      LAB_WEBAPP_PORT: '5003',
      LAB_PROFILE_API_PORT: '5004',
    });
    expect(config.ports).toEqual({ site: 5000, tenant: 5001, api: 5002, webapp: 5003, profileApi: 5004 });
    expect(config.tenant.issuer).toContain('https://localhost:5001/');
  });

  it('never exposes the daemon credential in the public config', () => {
    expect(JSON.stringify(publicConfig(loadLabConfig({})))).not.toContain(sandboxApps.daemon.sandboxSecret);
    expect(JSON.stringify(publicConfig(loadLabConfig({})))).not.toContain(sandboxApps.api.sandboxSecret);
  });
});

describe('bad configuration values get one clear message each', () => {
  it.each([
    [{ LAB_SITE_PORT: 'abc' }, 'LAB_SITE_PORT="abc" is not a TCP port'],
    [{ LAB_API_PORT: '70000' }, 'LAB_API_PORT="70000" is not a TCP port'],
    [{ LAB_API_PORT: '4400' }, 'LAB_API_PORT and LAB_TENANT_PORT are both 4400'],
    [{ LAB_MODE: 'prod' }, 'LAB_MODE="prod" is not a mode'],
    [{ ...GOOD_REAL, ENTRA_TENANT_ID: '' }, 'ENTRA_TENANT_ID is missing'],
    [{ ...GOOD_REAL, ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' }, 'ENTRA_TENANT_ID="contoso.onmicrosoft.com" is not a GUID'],
    [{ ...GOOD_REAL, ENTRA_SPA_CLIENT_ID: 'x' }, 'ENTRA_SPA_CLIENT_ID="x" is not a GUID'],
    [{ ...GOOD_REAL, ENTRA_API_APP_ID_URI: 'api://thing/' }, 'is not an Application ID URI'],
    [{ ...GOOD_REAL, ENTRA_AUTHORITY_HOST: 'http://login.example' }, 'must be an https origin'],
    [{ ...GOOD_REAL, ENTRA_DAEMON_CLIENT_SECRET: '51111111-2222-4333-8444-555555555555' }, 'that is the secret’s ID, not its Value'],
    [{ ...GOOD_REAL, ENTRA_DAEMON_CERT_PATH: 'cert.pem' }, 'go together'],
    [{ LAB_SITE_OUT_DIR: 'src' }, 'LAB_SITE_OUT_DIR="src" is not a build folder the lab may empty'],
    [{ LAB_SITE_OUT_DIR: '.lab/tenant' }, 'Use dist (default) or .lab/site-<name>'],
    [{ LAB_SITE_OUT_DIR: '.lab/site/../../src' }, 'LAB_SITE_OUT_DIR=".lab/site/../../src" is not a build folder'],
  ])('%o → %s', (env, message) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('reports every bad value at once, not only the first', () => {
    expect(problemsOf({ LAB_MODE: 'real', LAB_SITE_PORT: '0' })).toHaveLength(5);
  });
});

describe('real-tenant configuration', () => {
  it('uses the public-cloud authority and the API client ID as the v2 audience', () => {
    const config = loadLabConfig(GOOD_REAL);
    expect(config.tenant.authority).toBe(`https://login.microsoftonline.com/${GOOD_REAL.ENTRA_TENANT_ID}`);
    expect(config.tenant.jwks).toBe(`https://login.microsoftonline.com/${GOOD_REAL.ENTRA_TENANT_ID}/discovery/v2.0/keys`);
    expect(config.ids.apiAppIdUri).toBe(`api://${GOOD_REAL.ENTRA_API_CLIENT_ID}`);
  });
});

describe('LAB_SITE_OUT_DIR: a second lab builds into a folder of its own', () => {
  it('defaults to dist, accepts .lab/site-<name>, and never reaches the browser', () => {
    expect(loadLabConfig({}).siteOutDir).toBe('dist');
    const config = loadLabConfig({ LAB_SITE_OUT_DIR: '.lab/site-real' });
    expect(config.siteOutDir).toBe('.lab/site-real');
    expect(publicConfig(config)).not.toHaveProperty('siteOutDir');
  });
});
