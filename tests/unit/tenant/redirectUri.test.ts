/** learn.microsoft.com/entra/identity-platform/reply-url, "Localhost exceptions". */
import { describe, expect, it } from 'vitest';
import { matchRedirectUri, withoutLoopbackPort } from '../../../servers/tenant/redirectUri.ts';

const registered = ['http://localhost:4321/auth/callback/', 'http://127.0.0.1/MyApp', 'https://contoso.com/signin-oidc'];

describe('redirect URI matching (reply-url: exact match; the port of a loopback URI is ignored)', () => {
  it.each([
    ['http://localhost:4321/auth/callback/', 'the registered URI itself'],
    ['http://localhost:5000/auth/callback/', 'localhost on another port'],
    ['http://localhost/auth/callback/', 'localhost without a port'],
    ['http://127.0.0.1:51234/MyApp', '127.0.0.1 on an ephemeral port'],
  ])('%s matches (%s)', (requested) => {
    expect(matchRedirectUri(requested, registered)).toBeDefined();
  });

  it.each([
    ['http://localhost:4321/auth/callback', 'trailing slash missing'],
    ['http://localhost:5000/Auth/callback/', 'path case differs'],
    ['https://localhost:4321/auth/callback/', 'scheme differs'],
    ['http://127.0.0.1:4321/auth/callback/', 'host differs (127.0.0.1 is not localhost)'],
    ['http://127.0.0.1:5000/myapp', 'path case differs on 127.0.0.1'],
    ['https://contoso.com:8443/signin-oidc', 'the port counts for any other host'],
    ['http://[::1]:4321/auth/callback/', 'IPv6 loopback is not supported'],
  ])('%s does not match (%s)', (requested) => {
    expect(matchRedirectUri(requested, registered)).toBeUndefined();
  });

  it('drops only the port of a loopback authority, keeping the rest byte for byte', () => {
    expect(withoutLoopbackPort('http://localhost:5000/MyApp/?x=1')).toBe('http://localhost/MyApp/?x=1');
    expect(withoutLoopbackPort('https://contoso.com:443/x')).toBeUndefined();
    expect(withoutLoopbackPort('not a uri')).toBeUndefined();
  });
});

describe('a registered URI without a path is the same as with "/" (Entra returns it with a trailing slash)', () => {
  it('MSAL desktop loopback http://localhost:{port}/ matches a registered http://localhost', () => {
    expect(matchRedirectUri('http://localhost:53117/', ['http://localhost'])).toBe('http://localhost');
    expect(matchRedirectUri('https://app.contoso.com', ['https://app.contoso.com/'])).toBe('https://app.contoso.com/');
  });
  it('a path still has to match exactly', () => {
    expect(matchRedirectUri('http://localhost:53117/cb', ['http://localhost'])).toBeUndefined();
  });
});
