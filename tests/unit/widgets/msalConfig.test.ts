import { describe, expect, it } from 'vitest';
import { bridgeRedirectUri, needsPinnedMetadata } from '../../../src/config/authorityMetadata.ts';
import { loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { applyBrowserSettings } from '../../../src/widgets/lab-config/browserSettings.ts';
import { sanitizeSettings } from '../../../src/widgets/lab-config/storedSettings.ts';
import { msalConfiguration } from '../../../src/widgets/msal/msalConfig.ts';

const sandbox = publicConfig(loadLabConfig({ LAB_MODE: 'sandbox' }));

describe('MSAL.js configuration from the lab config (no value retyped)', () => {
  const msal = msalConfiguration(sandbox);

  it('uses the https-labelled sandbox authority and names its host in knownAuthorities (no instance discovery offline)', () => {
    expect(msal.auth.authority).toBe(sandbox.tenant.authority);
    expect(msal.auth.authority?.startsWith('https://')).toBe(true);
    expect(msal.auth.knownAuthorities).toEqual([sandbox.tenant.authorityHost]);
  });

  it('pins the sandbox metadata: endpoints over http, issuer with the https label', () => {
    expect(needsPinnedMetadata(sandbox)).toBe(true);
    const metadata = JSON.parse(msal.auth.authorityMetadata as string);
    expect(metadata).toEqual({
      issuer: sandbox.tenant.issuer,
      authorization_endpoint: sandbox.tenant.authorization,
      token_endpoint: sandbox.tenant.token,
      end_session_endpoint: sandbox.tenant.logout,
      jwks_uri: sandbox.tenant.jwks,
    });
    expect(metadata.token_endpoint.startsWith(`${sandbox.tenantOrigin}/`)).toBe(true);
  });

  it('redirects to the registered bridge page, never to a page that loads the app', () => {
    expect(bridgeRedirectUri(sandbox)).toBe(`${sandbox.siteOrigin}/redirect.html`);
    expect(sandbox.redirectUris).toContain(msal.auth.redirectUri);
  });

  it('a real Entra tenant is discovered normally: nothing is pinned', () => {
    const real = applyBrowserSettings(sandbox, {
      tenantId: '11111111-2222-3333-4444-555555555555',
      spaClientId: '66666666-7777-8888-9999-000000000000',
    });
    expect(real.mode).toBe('real');
    expect(real.tenant.authority).toBe('https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555');
    expect(msalConfiguration(real).auth.authorityMetadata).toBeUndefined();
  });
});

describe('browser settings (localStorage) override only public identifiers', () => {
  it('drops malformed values instead of breaking the widgets', () => {
    expect(sanitizeSettings({ tenantId: 'not-a-guid', apiAppIdUri: 'api://x/', secret: 'x' })).toEqual({});
  });
  it('moves the API scopes to the new App ID URI', () => {
    const api = '12345678-1234-1234-1234-123456789012';
    const changed = applyBrowserSettings(sandbox, { apiClientId: api });
    expect(changed.delegatedScopes.every((scope) => scope.startsWith(`api://${api}/`))).toBe(true);
    expect(changed.defaultScope).toBe(`api://${api}/.default`);
  });
  it('no settings → the built config, unchanged', () => {
    expect(applyBrowserSettings(sandbox, {})).toBe(sandbox);
  });
});
