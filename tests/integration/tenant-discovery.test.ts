/**
 * The sandbox tenant's public documents and URL layout, compared with Entra v2
 * (entra-facts §1: endpoints under /{tenant}, the discovery field set, the JWKS shape).
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SANDBOX_TENANT_ID } from '../../src/config/sandbox.ts';
import { labConfig } from '../support/tenant-http.ts';

const config = labConfig();

/** The keys Entra's v2 discovery document has (entra-facts §1.2), no more, no fewer. */
const ENTRA_DISCOVERY_KEYS = [
  'token_endpoint',
  'token_endpoint_auth_methods_supported',
  'jwks_uri',
  'response_modes_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'response_types_supported',
  'scopes_supported',
  'issuer',
  'request_uri_parameter_supported',
  'userinfo_endpoint',
  'authorization_endpoint',
  'device_authorization_endpoint',
  'http_logout_supported',
  'frontchannel_logout_supported',
  'end_session_endpoint',
  'claims_supported',
  'kerberos_endpoint',
  'tenant_region_scope',
  'cloud_instance_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'rbac_url',
];

describe('OpenID Connect Discovery 1.0 §4 at Entra v2 paths', () => {
  it('serves /{tenant}/v2.0/.well-known/openid-configuration with exactly Entra’s fields', async () => {
    const response = await fetch(config.tenant.discovery);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(Object.keys(document).sort()).toEqual([...ENTRA_DISCOVERY_KEYS].sort());
    expect(document).not.toHaveProperty('code_challenge_methods_supported');
  });

  it('labels the issuer https while the endpoints are where the tenant really answers', async () => {
    const document = await (await fetch(config.tenant.discovery)).json();
    expect(document.issuer).toBe(`https://localhost:${config.ports.tenant}/${SANDBOX_TENANT_ID}/v2.0`);
    expect(document.authorization_endpoint).toBe(`${config.tenantOrigin}/${SANDBOX_TENANT_ID}/oauth2/v2.0/authorize`);
    expect(document.token_endpoint).toBe(config.tenant.token);
    expect(document.end_session_endpoint).toBe(config.tenant.logout);
    expect(document.jwks_uri).toBe(config.tenant.jwks);
  });

  it('sends Entra’s caching and CORS headers on both metadata documents', async () => {
    for (const url of [config.tenant.discovery, config.tenant.jwks]) {
      const response = await fetch(url);
      expect(response.headers.get('cache-control')).toBe('max-age=86400, private');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('answers for the tenant’s domain name as well as its ID', async () => {
    const response = await fetch(config.tenant.discovery.replace(SANDBOX_TENANT_ID, 'contoso.onmicrosoft.com'));
    expect(response.status).toBe(200);
    expect((await response.json()).issuer).toBe(config.tenant.issuer);
  });
});

describe('RFC 7517 JWKS in Entra’s shape (entra-facts §1.3)', () => {
  it('publishes RSA signing keys whose kid is the x5t thumbprint of the x5c certificate, with the issuer extension', async () => {
    const { keys } = await (await fetch(config.tenant.jwks)).json();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['e', 'issuer', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t']);
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', issuer: config.tenant.issuer });
      expect(key.kid).toBe(key.x5t);
      const certificate = new X509Certificate(Buffer.from(key.x5c[0], 'base64'));
      expect(Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex').toString('base64url')).toBe(key.x5t);
      expect(certificate.publicKey.export({ format: 'jwk' }).n).toBe(key.n);
    }
  });

  it('never publishes private key material', async () => {
    const text = await (await fetch(config.tenant.jwks)).text();
    for (const member of ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"']) expect(text).not.toContain(member);
  });
});

describe('an unknown tenant is Entra’s AADSTS90002', () => {
  const unknown = '00000000-1111-4222-8333-444444444444';

  it('on the discovery document: 400 invalid_tenant in Entra’s JSON error shape', async () => {
    const response = await fetch(config.tenant.discovery.replace(SANDBOX_TENANT_ID, unknown));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toBe('invalid_tenant');
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS90002: Tenant '${unknown}' not found\\.`));
  });

  it('on the token endpoint', async () => {
    const response = await fetch(config.tenant.token.replace(SANDBOX_TENANT_ID, unknown), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error_codes).toEqual([90002]);
  });

  it('on /authorize: an error page, never a redirect', async () => {
    const url = new URL(config.tenant.authorization.replace(SANDBOX_TENANT_ID, unknown));
    url.searchParams.set('client_id', config.ids.spaClientId);
    url.searchParams.set('redirect_uri', config.redirectUris[0] as string);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS90002');
  });
});

describe('paths the sandbox does not serve', () => {
  it.each(['/oauth2/token', '/oauth2/v2.0/devicecode', '/.well-known/openid-configuration', '/kerberos'])(
    'Entra’s %s answers 404 with an explanation (the sandbox implements the v2 endpoints of these flows only)',
    async (rest) => {
      const response = await fetch(`${config.tenantOrigin}/${SANDBOX_TENANT_ID}${rest}`);
      expect(response.status).toBe(404);
      expect((await response.json()).error_description).toContain('v2 endpoints');
    },
  );

  it('an unknown path is a plain 404, not a tenant error', async () => {
    const response = await fetch(`${config.tenantOrigin}/favicon.ico`);
    expect(response.status).toBe(404);
  });

  it('the error_uri of an AADSTS code leads to its catalog entry', async () => {
    const response = await fetch(`${config.tenantOrigin}/error?code=90002`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('AADSTS90002');
  });
});

describe('Entra’s multi-tenant aliases with the sandbox’s single-tenant apps', () => {
  it('/common/oauth2/v2.0/authorize → AADSTS50194 on the error page', async () => {
    const url = new URL(config.tenant.authorization.replace(SANDBOX_TENANT_ID, 'common'));
    url.searchParams.set('client_id', config.ids.spaClientId);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`AADSTS50194: Application &#39;${config.ids.spaClientId}&#39;`);
  });

  it('/organizations/oauth2/v2.0/token → AADSTS50194 naming the app', async () => {
    const response = await fetch(config.tenant.token.replace(SANDBOX_TENANT_ID, 'organizations'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: config.ids.daemonClientId }),
    });
    const body = await response.json();
    expect(body.error_codes).toEqual([50194]);
    expect(body.error_description).toContain(config.ids.daemonClientId);
  });
});
