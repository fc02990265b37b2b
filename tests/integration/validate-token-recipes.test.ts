/**
 * The recipes on /guides/validating-tokens/ (examples/validate-token/), run against the real sandbox
 * tenant: a delegated token with the right scope is accepted; a token re-signed with another key, an
 * `alg: none` token and a real tenant-signed token for another audience (the ID token) are refused
 * (RFC 6750 §3.1: 401 invalid_token); a valid token without the permission gets 403. The Node recipe
 * runs as Express middleware in this process, the Python one with python3 as a child process.
 * Issuer and JWKS come from the lab's config, never literals.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOnlyToken, delegatedTokens } from '../support/api-lab.ts';
import { labConfig } from '../support/tenant-http.ts';

const config = labConfig();
const NODE_RECIPE = fileURLToPath(new URL('../../examples/validate-token/node/entraAuth.js', import.meta.url));
const PYTHON_RECIPE = fileURLToPath(new URL('../../examples/validate-token/python/entra_auth.py', import.meta.url));
const [readScope] = config.delegatedScopes as [string];
const OTHER_TENANT = '00000000-0000-4000-8000-000000000000';

/** What the recipes read, from the lab's config; plus any CA settings the environment has for https. */
const recipeEnv: Record<string, string> = {
  ENTRA_TENANT_ID: config.ids.tenantId,
  API_CLIENT_ID: config.ids.apiClientId,
  ENTRA_ISSUER: config.tenant.issuer,
  ENTRA_JWKS_URI: config.tenant.jwks,
};
const caEnv = Object.fromEntries(
  ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE'].flatMap((name) =>
    process.env[name] ? [[name, process.env[name] as string]] : [],
  ),
);
const multiTenantEnv = (allowed: string) => ({
  ...recipeEnv,
  ENTRA_ISSUER: config.tenant.issuer.replace(config.ids.tenantId, '{tenantid}'),
  ENTRA_ALLOWED_TENANTS: allowed,
});

interface Tokens {
  good: string;
  appOnly: string;
  otherKey: string;
  algNone: string;
  otherAudience: string;
}
let tokens: Tokens;

beforeAll(async () => {
  const { accessToken, idToken } = await delegatedTokens(config, 'alice', [readScope]);
  const { privateKey } = await generateKeyPair('RS256');
  const header = decodeProtectedHeader(accessToken) as { alg: string; kid: string };
  tokens = {
    good: accessToken,
    appOnly: await appOnlyToken(config),
    // Same header (the tenant's kid), same claims, signed with a key the tenant never published.
    otherKey: await new SignJWT(decodeJwt(accessToken)).setProtectedHeader(header).sign(privateKey),
    algNone: `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${accessToken.split('.')[1]}.`,
    // Really signed by the tenant, but for the SPA (aud = its client ID), not for this API.
    otherAudience: idToken,
  };
});

describe('Node.js recipe (jose + Express middleware, examples/validate-token/node/entraAuth.js)', () => {
  let url: string;
  let close: () => void;

  // The recipe reads its settings when it is imported; the names are put back afterwards so no other test file sees them.
  const saved = Object.fromEntries(Object.keys(recipeEnv).map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    Object.assign(process.env, recipeEnv, caEnv);
    const { requireEntraToken } = await import(NODE_RECIPE);
    const app = express();
    const read = requireEntraToken({ scopes: ['Tasks.Read'], roles: ['Tasks.Read.All'] });
    app.get('/tasks', read, (req, res) => res.json({ oid: (req as unknown as { auth: { oid: string } }).auth.oid }));
    app.post('/tasks', requireEntraToken({ scopes: ['Tasks.ReadWrite'] }), (_req, res) => res.status(201).end());
    const server = app.listen(0, 'localhost');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close?.();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const call = (token: string | undefined, method = 'GET') =>
    fetch(`${url}/tasks`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('accepts a delegated token with Tasks.Read, and reads the user from oid', async () => {
    const response = await call(tokens.good);
    expect(response.status).toBe(200);
    expect((await response.json()).oid).toBe(decodeJwt(tokens.good).oid);
  });

  it('accepts an app-only token by its roles', async () => {
    expect((await call(tokens.appOnly)).status).toBe(200);
  });

  for (const forged of ['otherKey', 'algNone', 'otherAudience'] as const) {
    it(`refuses a forged token (${forged}) with 401 invalid_token`, async () => {
      const response = await call(tokens[forged]);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });
  }

  it('answers 401 with a bare Bearer challenge when there is no token (RFC 6750 §3.1)', async () => {
    const response = await call(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 403 insufficient_scope to a valid token without the permission', async () => {
    const response = await call(tokens.good, 'POST');
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="Tasks.ReadWrite"');
  });

  it('multi-tenant: accepts the tenant when its tid is allowed and the {tenantid} issuer matches, refuses it otherwise', async () => {
    const script = `import { validateAccessToken } from ${JSON.stringify(NODE_RECIPE)};
      validateAccessToken(process.argv[1]).then((c) => console.log('ok', c.tid), (e) => console.log('refused', e.claim ?? e.code));`;
    const run = (allowed: string) =>
      runChild(process.execPath, ['--input-type=module', '-e', script, tokens.good], multiTenantEnv(allowed));
    expect(await run(config.ids.tenantId)).toBe(`ok ${config.ids.tenantId}`);
    expect(await run(OTHER_TENANT)).toBe('refused tid');
  });
});

/** A python3 that has PyJWT (Debian: python3-jwt). Fails loudly rather than skipping. */
function findPython(): string {
  for (const candidate of [process.env.LAB_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    if (spawnSync(candidate, ['-c', 'import jwt, cryptography'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error(
    'No python3 with PyJWT and cryptography: install python3-jwt (Debian) or `pip install "pyjwt[crypto]"`, or set LAB_PYTHON.',
  );
}

function runChild(command: string, args: string[], env: Record<string, string>, input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...caEnv, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${command} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

describe('Python recipe (PyJWT + PyJWKClient, examples/validate-token/python/entra_auth.py)', () => {
  const python = findPython();
  const check = async (authorization: string, scope = 'Tasks.Read', env = recipeEnv) =>
    JSON.parse(await runChild(python, [PYTHON_RECIPE, scope, 'Tasks.Read.All'], env, authorization)) as {
      status: number;
      challenge: string | null;
      oid: string | null;
    };

  it('accepts a delegated token with Tasks.Read, and reads the user from oid', async () => {
    const answer = await check(`Bearer ${tokens.good}`);
    expect(answer).toMatchObject({ status: 200, oid: decodeJwt(tokens.good).oid });
  });

  it('accepts an app-only token by its roles', async () => {
    expect((await check(`Bearer ${tokens.appOnly}`)).status).toBe(200);
  });

  for (const forged of ['otherKey', 'algNone', 'otherAudience'] as const) {
    it(`refuses a forged token (${forged}) with 401 invalid_token`, async () => {
      const answer = await check(`Bearer ${tokens[forged]}`);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toMatch(/^Bearer error="invalid_token"/);
    });
  }

  it('answers 403 insufficient_scope to a valid token without the permission', async () => {
    const answer = await check(`Bearer ${tokens.good}`, 'Tasks.ReadWrite');
    expect(answer.status).toBe(403);
    expect(answer.challenge).toContain('scope="Tasks.ReadWrite"');
  });

  it('multi-tenant: accepts an allowed tid with the {tenantid} issuer, refuses a tenant not on the list', async () => {
    expect((await check(`Bearer ${tokens.good}`, 'Tasks.Read', multiTenantEnv(config.ids.tenantId))).status).toBe(200);
    expect((await check(`Bearer ${tokens.good}`, 'Tasks.Read', multiTenantEnv(OTHER_TENANT))).status).toBe(401);
  });
});
