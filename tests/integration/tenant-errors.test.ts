/**
 * Errors in Entra's shape with text from the lab's catalog, and garbage input that must end in a
 * clear 4xx (never a 5xx, never a hang).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { TENANT_ERROR_CODES } from '../../servers/tenant/entraErrors.ts';
import { loadErrorCatalog } from '../../src/data/errorCatalog.ts';
import { errorEntrySchema } from '../../src/data/schemas.ts';
import { authorizeUrl, labConfig, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();

describe('the AADSTS catalog (content/errors.yaml)', () => {
  it('has an entry, valid by errorEntrySchema, for every code the tenant can answer with', () => {
    z.array(errorEntrySchema).parse(parse(readFileSync('content/errors.yaml', 'utf8')));
    const catalog = loadErrorCatalog();
    expect(TENANT_ERROR_CODES.filter((code) => catalog.find(code) === undefined)).toEqual([]);
  });
});

describe('Entra’s token-endpoint error shape (entra-facts §6.1)', () => {
  it('error, error_description with trace and correlation ids, error_codes, timestamp, trace_id, correlation_id, error_uri', async () => {
    const correlationId = '3f7d5f1c-8e9b-4a57-9c3e-2b1d0c9e8a76';
    const { status, body } = await tokenRequest(
      config,
      { grant_type: 'client_credentials', client_id: config.ids.daemonClientId },
      { headers: { 'client-request-id': correlationId } },
    );
    expect(status).toBe(401);
    const catalog = loadErrorCatalog();
    expect(body).toEqual({
      error: 'invalid_client',
      error_description: expect.stringMatching(
        /^AADSTS7000218: .+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
      ),
      error_codes: [7000218],
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
      trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      correlation_id: correlationId,
      error_uri: `${config.tenantOrigin}/error?code=7000218`,
    });
    expect(body.error_description).toContain(catalog.find('AADSTS7000218')?.message);
    expect(body.error_description).toContain(`Trace ID: ${body.trace_id}`);
  });
});

describe('garbage input to the token endpoint gets a 4xx', () => {
  const token = config.tenant.token;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it.each<{ label: string; init: RequestInit; status: number; code: string }>([
    { label: 'GET instead of POST', init: { method: 'GET' }, status: 400, code: 'AADSTS900561' },
    { label: 'an empty body', init: { method: 'POST', headers: form, body: '' }, status: 400, code: 'AADSTS900144' },
    {
      label: 'a JSON body',
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' },
      status: 400,
      code: 'AADSTS900144',
    },
    { label: 'a body with no content type', init: { method: 'POST', body: new Uint8Array([1, 2, 3]) }, status: 400, code: 'AADSTS900144' },
    {
      label: 'a repeated parameter',
      init: { method: 'POST', headers: form, body: 'grant_type=client_credentials&grant_type=refresh_token' },
      status: 400,
      code: 'AADSTS9002313',
    },
    {
      label: 'bytes that are not UTF-8',
      init: { method: 'POST', headers: form, body: new Uint8Array([0x67, 0x3d, 0xff, 0xfe]) },
      status: 400,
      code: 'AADSTS9002313',
    },
    {
      label: 'a huge body',
      init: { method: 'POST', headers: form, body: `grant_type=client_credentials&scope=${'x'.repeat(200_000)}` },
      status: 413,
      code: 'AADSTS9002313',
    },
    {
      label: 'an unknown grant_type',
      init: { method: 'POST', headers: form, body: 'grant_type=password&client_id=x' },
      status: 400,
      code: 'AADSTS70003',
    },
    {
      label: 'a missing client_id',
      init: { method: 'POST', headers: form, body: 'grant_type=client_credentials' },
      status: 400,
      code: 'AADSTS900144',
    },
    {
      label: 'a malformed Basic header',
      init: { method: 'POST', headers: { ...form, authorization: 'Basic !!!' }, body: 'grant_type=client_credentials' },
      status: 400,
      code: 'AADSTS9002313',
    },
    {
      label: 'a refresh token that is not one',
      init: {
        method: 'POST',
        headers: { ...form, origin: config.siteOrigin },
        body: `grant_type=refresh_token&client_id=${config.ids.spaClientId}&refresh_token=garbage`,
      },
      status: 400,
      code: 'AADSTS9002313',
    },
    {
      label: 'a code that is not one',
      init: {
        method: 'POST',
        headers: { ...form, origin: config.siteOrigin },
        body: `grant_type=authorization_code&client_id=${config.ids.spaClientId}&code=%00%01&redirect_uri=${encodeURIComponent(config.redirectUris[0] as string)}&code_verifier=${'a'.repeat(43)}`,
      },
      status: 400,
      code: 'AADSTS9002313',
    },
    {
      label: 'a code without redirect_uri',
      init: {
        method: 'POST',
        headers: { ...form, origin: config.siteOrigin },
        body: `grant_type=authorization_code&client_id=${config.ids.spaClientId}&code=abc`,
      },
      status: 400,
      code: 'AADSTS900144',
    },
  ])('$label → $status $code', async ({ init, status, code }) => {
    const response = await fetch(token, init);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(String(body.error_description).split(':')[0]).toBe(code);
  });
});

describe('garbage input elsewhere gets a 4xx', () => {
  it.each([
    ['an authorize request with no parameters', config.tenant.authorization],
    ['an authorize request with an absurd scope', authorizeUrl(config, { scope: '\u0000\u0001' })],
    ['an authorize request with a bad PKCE method', authorizeUrl(config, { codeChallenge: 'a'.repeat(43), codeChallengeMethod: 'S512' })],
    [
      'an authorize request with an unsupported response_type',
      authorizeUrl(config, {}).replace('response_type=code', 'response_type=token'),
    ],
    ['a percent-broken tenant segment', `${config.tenantOrigin}/%E0%A4%A/oauth2/v2.0/token`],
    ['an interaction that does not exist', `${config.tenantOrigin}/${config.ids.tenantId}/interaction/nope`],
  ])('%s', async (_label, url) => {
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(500);
  });

  it('a logout naming an unregistered post_logout_redirect_uri never redirects there', async () => {
    const response = await fetch(`${config.tenant.logout}?post_logout_redirect_uri=${encodeURIComponent('http://evil.example/')}`, {
      redirect: 'manual',
    });
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('location') ?? '').not.toContain('evil.example');
  });

  it('a 20 KB query string is refused by the HTTP server itself, not with a 5xx', async () => {
    const response = await fetch(`${config.tenant.authorization}?state=${'x'.repeat(20_000)}`).catch(() => undefined);
    if (response) expect(response.status).toBeLessThan(500);
  });
});

describe('a burst of random garbage never gets a 5xx', () => {
  it('random methods, content types and bodies on every endpoint answer below 500', async () => {
    const tid = config.ids.tenantId;
    const paths = [
      `/${tid}/oauth2/v2.0/token`,
      `/${tid}/oauth2/v2.0/authorize`,
      `/${tid}/oauth2/v2.0/authorize/abc`,
      `/${tid}/oauth2/v2.0/logout`,
      `/${tid}/oauth2/v2.0/logout/confirm`,
      `/${tid}/interaction/abc/login`,
      `/${tid}/v2.0/.well-known/openid-configuration`,
      `/${tid}/discovery/v2.0/keys`,
      '/_lab/events',
      '/error',
    ];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
    const types = ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', ''];
    // A fixed seed: the same garbage on every run, so a failure can be replayed.
    let seed = 20261125;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      const method = methods[random(methods.length)] as string;
      const type = types[random(types.length)] as string;
      const bytes = new Uint8Array(random(300)).map(() => random(256));
      const query = random(2)
        ? `?${new URLSearchParams({ client_id: String(random(1e6)), grant_type: 'x', code: 'y', scope: '\u0000' })}`
        : '';
      const init: RequestInit = { method, headers: type ? { 'content-type': type } : {} };
      if (method !== 'GET' && method !== 'OPTIONS') init.body = random(2) ? bytes : 'grant_type=client_credentials&client_id=&scope=%ZZ';
      const response = await fetch(`${config.tenantOrigin}${paths[random(paths.length)]}${query}`, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer().catch(() => undefined);
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });
});
