/**
 * The claims reference (content/claims.yaml) must explain every claim the sandbox tenant really
 * issues: this test gets real tokens from the running tenant through both flows and checks each
 * header parameter and claim against the reference, so a new claim cannot ship unexplained.
 */
import { readFileSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { claimSchema } from '../../src/data/schemas.ts';
import { labConfig, spaCode, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();
const explained = new Set((parse(readFileSync('content/claims.yaml', 'utf8')) as unknown[]).map((entry) => claimSchema.parse(entry).id));

function unexplained(token: unknown): string[] {
  expect(typeof token).toBe('string');
  const names = [...Object.keys(decodeProtectedHeader(token as string)), ...Object.keys(decodeJwt(token as string))];
  return names.filter((name) => !explained.has(name));
}

describe('content/claims.yaml covers every claim the sandbox tenant issues', () => {
  it('in the delegated access token and the ID token (Authorization Code + PKCE)', async () => {
    const { code, verifier, redirectUri } = await spaCode(config, {
      scope: `openid profile offline_access ${config.delegatedScopes.join(' ')}`,
    });
    const { status, body } = await tokenRequest(
      config,
      { grant_type: 'authorization_code', client_id: config.ids.spaClientId, code, redirect_uri: redirectUri, code_verifier: verifier },
      { origin: config.siteOrigin },
    );
    expect(status).toBe(200);
    expect(unexplained(body.access_token)).toEqual([]);
    expect(unexplained(body.id_token)).toEqual([]);
  });

  it('in the app-only access token (Client Credentials)', async () => {
    const { status, body } = await tokenRequest(config, {
      grant_type: 'client_credentials',
      client_id: config.ids.daemonClientId,
      client_secret: sandboxApps.daemon.sandboxSecret,
      scope: config.defaultScope,
    });
    expect(status).toBe(200);
    expect(unexplained(body.access_token)).toEqual([]);
  });
});
