/**
 * An API's own token check, written with the libraries APIs use, unchanged: PyJWT's PyJWKClient
 * (Debian's python3-jwt) and jsonwebtoken + jwks-rsa. Both find the keys through the https
 * authority's discovery document and check signature (RS256 only), issuer and audience, for a user
 * (delegated) token and an app-only token, and both refuse a token for another audience.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { appOnlyToken, delegatedToken } from '../support/api-lab.ts';
import { CA_PATH, runNode, runPython } from '../support/interop-clients.ts';
import { labConfig } from '../support/tenant-http.ts';

let config: LabConfig;
let args: string[];

type Results = Record<string, { valid: boolean; claims?: Record<string, unknown>; error?: string }>;

beforeAll(async () => {
  config = labConfig();
  const user = await delegatedToken(config, 'alice', [config.delegatedScopes[0] as string]);
  const app = await appOnlyToken(config);
  // A token the tenant really issued, for another resource (Microsoft Graph): right signature, wrong audience.
  const graph = await delegatedToken(config, 'alice', ['User.Read']);
  args = [`user=${user}`, `app=${app}`, `graph=${graph}`];
});

function expectBothKinds(results: Results): void {
  expect(results.user?.error).toBeUndefined();
  expect(results.user?.valid).toBe(true);
  expect(results.user?.claims?.scp).toBe('Tasks.Read');
  expect(results.user?.claims?.idtyp).toBe('user');
  expect(results.app?.valid).toBe(true);
  expect(results.app?.claims?.roles).toEqual(['Tasks.Read.All']);
  expect(results.app?.claims?.idtyp).toBe('app');
  expect(results.graph?.valid).toBe(false);
}

describe('validating access tokens against the authority’s JWKS (RFC 7519 §7.2, RFC 7517)', () => {
  it('PyJWT PyJWKClient: both token kinds valid; a token for Microsoft Graph refused on aud', async () => {
    const out = await runPython(
      'pyjwt_validate_access_token.py',
      { SSL_CERT_FILE: CA_PATH, AUTHORITY: config.tenant.authority, AUDIENCE: sandboxApps.api.clientId },
      args,
    );
    expect(out.jwks_uri).toBe(authorityEndpoints(config).jwks);
    const results = out.results as Results;
    expectBothKinds(results);
    expect(results.graph?.error).toMatch(/^InvalidAudienceError/);
  });

  it('jsonwebtoken + jwks-rsa: both token kinds valid; a token for Microsoft Graph refused on aud', async () => {
    const out = await runNode('jsonwebtoken-validate.ts', { AUTHORITY: config.tenant.authority, AUDIENCE: sandboxApps.api.clientId }, args);
    expect(out.jwks_uri).toBe(authorityEndpoints(config).jwks);
    const results = out.results as Results;
    expectBothKinds(results);
    expect(results.graph?.error).toMatch(/^JsonWebTokenError: jwt audience invalid/);
  });
});
