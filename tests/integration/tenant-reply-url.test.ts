/**
 * Redirect URI matching against the running sandbox tenant, as Entra documents it
 * (learn.microsoft.com/entra/identity-platform/reply-url, "Localhost exceptions"): exact and
 * case-sensitive, except that the port of a loopback URI is ignored.
 */

import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, labConfig, signIn, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
/** A registered URI with a path, so that case and trailing slash can differ. */
const registered = config.redirectUris.find((uri) => uri.endsWith('/redirect.html')) as string;
const otherPort = (uri: string) => {
  const url = new URL(uri);
  url.port = String(Number(url.port || 80) + 1111);
  return url.href;
};

describe('loopback redirect URIs: the port is ignored', () => {
  it('a registered localhost URI on another port gets a code at that port, and the code redeems', async () => {
    const requested = otherPort(registered);
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const { callback } = await signIn(
      authorizeUrl(config, { redirectUri: requested, codeChallenge: challenge, codeChallengeMethod: 'S256' }),
      {
        redirectUris: [requested],
      },
    );
    expect(`${callback?.origin}${callback?.pathname}`).toBe(requested);
    const code = callback?.searchParams.get('code') as string;
    const answer = await tokenRequest(
      config,
      { grant_type: 'authorization_code', client_id: config.ids.spaClientId, code, code_verifier: verifier, redirect_uri: requested },
      { origin: config.siteOrigin },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toEqual(expect.any(String));
  });
});

describe('everything else stays an exact, case-sensitive match → AADSTS50011', () => {
  const path = new URL(registered).pathname;
  it.each([
    ['path case', registered.replace(path, path.toUpperCase())],
    ['trailing slash', registered.endsWith('/') ? registered.slice(0, -1) : `${registered}/`],
    ['path and port', otherPort(registered).replace(path, `${path}wrong/`)],
    ['host (127.0.0.1 is not localhost)', registered.replace('//localhost', '//127.0.0.1')],
    ['scheme', registered.replace('http://', 'https://')],
  ])('%s', async (_label, redirectUri) => {
    const response = await fetch(authorizeUrl(config, { redirectUri }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS50011');
  });
});
