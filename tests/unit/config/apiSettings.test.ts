/**
 * The API's settings in the one lab config: Microsoft.Identity.Web's defaults, each overridable
 * from the environment, each bad value reported with what to write instead.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadLabConfig } from '../../../src/config/lab.ts';
import { SANDBOX_TENANT_ID, sandboxApps } from '../../../src/config/sandbox.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadLabConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('config.api', () => {
  it('defaults: 5 min clock skew, the API client ID as the only audience, the configured tenant only', () => {
    expect(loadLabConfig({}).api).toMatchObject({
      clockSkewSeconds: 300,
      acceptedAudiences: [sandboxApps.api.clientId],
      allowedTenantIds: [SANDBOX_TENANT_ID],
      jwksCooldownSeconds: 30,
    });
  });

  it('LAB_API_ACCEPT_APP_ID_URI=true also accepts the App ID URI (v1 tokens carry it)', () => {
    expect(loadLabConfig({ LAB_API_ACCEPT_APP_ID_URI: 'true' }).api.acceptedAudiences).toEqual([
      sandboxApps.api.clientId,
      sandboxApps.api.appIdUri,
    ]);
  });

  it('LAB_API_CLOCK_SKEW_SECONDS and LAB_API_ALLOWED_TENANTS are read, GUIDs lower-cased', () => {
    const partner = 'A1B2C3D4-0000-4000-8000-000000000001';
    const { api } = loadLabConfig({ LAB_API_CLOCK_SKEW_SECONDS: '0', LAB_API_ALLOWED_TENANTS: `${SANDBOX_TENANT_ID}, ${partner}` });
    expect(api.clockSkewSeconds).toBe(0);
    expect(api.allowedTenantIds).toEqual([SANDBOX_TENANT_ID, partner.toLowerCase()]);
  });

  it.each([
    [{ LAB_API_CLOCK_SKEW_SECONDS: '5m' }, 'LAB_API_CLOCK_SKEW_SECONDS="5m" is not a clock skew'],
    [{ LAB_API_CLOCK_SKEW_SECONDS: '86400' }, 'from 0 to 3600'],
    [{ LAB_API_ACCEPT_APP_ID_URI: 'yes' }, 'must be true or false'],
    [{ LAB_API_ALLOWED_TENANTS: 'contoso.onmicrosoft.com' }, 'is not a tenant ID'],
  ])('%o → one clear problem', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

describe('real-tenant mode by configuration only', () => {
  it('the verifier takes issuer, audiences and discovery from config.tenant and config.ids', async () => {
    const { tokenPolicyFromConfig } = await import('../../../servers/api/verify/policy.ts');
    const tenantId = '11111111-2222-4333-8444-555555555555';
    const apiClientId = '31111111-2222-4333-8444-555555555555';
    const config = loadLabConfig({
      LAB_MODE: 'real',
      ENTRA_TENANT_ID: tenantId,
      ENTRA_SPA_CLIENT_ID: '21111111-2222-4333-8444-555555555555',
      ENTRA_API_CLIENT_ID: apiClientId,
      ENTRA_DAEMON_CLIENT_ID: '41111111-2222-4333-8444-555555555555',
    });
    const policy = tokenPolicyFromConfig(config);
    expect(policy.validIssuers).toEqual([`https://login.microsoftonline.com/${tenantId}/v2.0`]);
    expect(policy.issuerTemplate).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
    expect(policy.acceptedAudiences).toEqual([apiClientId]);
    expect(policy.appIdUri).toBe(`api://${apiClientId}`);
    expect(config.tenant.discovery).toBe(`https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`);
  });
});
