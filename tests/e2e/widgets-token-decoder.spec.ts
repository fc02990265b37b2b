/**
 * The token decoder in real Chromium against the real sandbox tenant: valid, expired, tampered,
 * garbage, encrypted and Graph-like tokens, and proof that no request ever carries the token.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { importJWK, SignJWT } from 'jose';
import { tenantStatePaths } from '../../servers/tenant/state.ts';
import { loadLabConfig } from '../../src/config/lab.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });

/** A real app-only token from the sandbox tenant (client credentials with the sandbox secret). */
async function sandboxToken(): Promise<string> {
  const response = await fetch(lab.tenant.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: lab.ids.daemonClientId,
      client_secret: sandboxApps.daemon.sandboxSecret,
      scope: lab.defaultScope,
    }),
  });
  expect(response.status, 'the sandbox tenant issues a client-credentials token').toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A token signed with the sandbox's own current signing key, with the claims we choose. */
async function signedBySandbox(claims: Record<string, unknown>): Promise<string> {
  const file = JSON.parse(await readFile(tenantStatePaths().signingKeys, 'utf8')) as { keys: { kid: string; privateJwk: object }[] };
  const current = file.keys[0] as { kid: string; privateJwk: object };
  const key = await importJWK({ ...current.privateJwk, alg: 'RS256' } as Parameters<typeof importJWK>[0], 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: current.kid }).sign(key);
}

/** Every request the page makes, as text: URL, headers and body. */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    seen.push(`${request.method()} ${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`);
  });
  return seen;
}

async function decode(page: Page, token: string) {
  await page.getByLabel('Token (JWT)').fill(token);
  await page.getByRole('button', { name: 'Decode', exact: true }).click();
}

const decoder = (page: Page) => page.locator('token-decoder');
const status = (page: Page) => decoder(page).locator('output');

test.describe('token decoder', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tools/token-decoder/');
  });

  test('RFC 7515 §5.2: a sandbox token verifies against the JWKS from the discovery document, and no request carries it', async ({
    page,
  }) => {
    const errors = collectConsoleErrors(page);
    const requests = recordRequests(page);
    const token = await sandboxToken();
    await decode(page, token);
    await expect(status(page)).toContainText('Signature valid');
    await expect(status(page)).toContainText('App-only access token');
    const row = decoder(page).locator('tr[data-claim="roles"]');
    await expect(row).toContainText(sandboxApps.daemon.grantedAppRoles[0]);
    await expect(decoder(page).locator('tr[data-claim="exp"]')).toContainText(/Expires in (\d+ minutes|1 hour)/);
    await expect(decoder(page).locator('[data-part="signature"]')).toContainText(lab.tenant.discovery);
    // The proof: the discovery document and the keys were fetched, and nothing carried any part of the token.
    expect(requests.some((r) => r.includes(lab.tenant.discovery))).toBe(true);
    for (const part of [token, ...token.split('.')]) for (const request of requests) expect(request).not.toContain(part);
    // The share link names claims only.
    await decoder(page).getByRole('button', { name: 'Copy share link' }).click();
    const link = await decoder(page).getByLabel('Share link (claim names only, no token)').inputValue();
    expect(link).toContain('claims=');
    for (const part of token.split('.')) expect(link).not.toContain(part);
    expect(errors).toEqual([]);
  });

  test('IDX10223: an expired token is decoded, its signature still valid, and it says "Expired … ago" in words', async ({ page }) => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signedBySandbox({
      iss: lab.tenant.issuer,
      aud: lab.ids.apiClientId,
      scp: 'Tasks.Read',
      iat: now - 3 * 3600,
      nbf: now - 3 * 3600,
      exp: now - 2 * 3600,
    });
    await decode(page, token);
    await expect(status(page)).toContainText('Signature valid');
    await expect(decoder(page).locator('[data-part="lifetime"]')).toContainText('Expired 2 hours ago');
    await expect(decoder(page).locator('[data-part="lifetime"]')).toContainText('IDX10223');
    await expect(decoder(page).locator('tr[data-claim="exp"] [data-time="expired"]')).toBeVisible();
  });

  test('IDX10511: a token whose payload was changed after signing fails the signature check', async ({ page }) => {
    const [header, payload, signature] = (await sandboxToken()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Tasks.ReadWrite.All'] })).toString('base64url')}.${signature}`;
    await decode(page, tampered);
    await expect(status(page)).toContainText('Signature invalid');
    await expect(decoder(page).locator('[data-part="signature"]')).toContainText('IDX10511');
  });

  test('RFC 7519 §7.2: garbage is "Not a JWT", with what a JWT looks like', async ({ page }) => {
    await decode(page, 'this is not a token');
    await expect(decoder(page).locator('[data-part="problem"]')).toContainText('Not a JWT');
    await expect(decoder(page).locator('[data-part="problem"]')).toContainText('three base64url segments');
    await expect(decoder(page).locator('[data-part="result"]')).toBeHidden();
  });

  test('RFC 7516: a JWE is named as encrypted, not as garbage', async ({ page }) => {
    await decode(page, 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn');
    await expect(decoder(page).locator('[data-part="problem"]')).toContainText('Encrypted token (JWE)');
  });

  test('a Graph-like token (header nonce) is decoded but not verifiable by third parties, and says why', async ({ page }) => {
    const requests = recordRequests(page);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const graph = `${b64({ typ: 'JWT', nonce: 'pQ9fB3', alg: 'RS256', x5t: 'abc', kid: 'abc' })}.${b64({
      aud: '00000003-0000-0000-c000-000000000000',
      iss: `https://sts.windows.net/${lab.ids.tenantId}/`,
      scp: 'User.Read',
    })}.c2lnbmF0dXJl`;
    await decode(page, graph);
    await expect(status(page)).toContainText('Signature not verifiable');
    await expect(decoder(page).locator('[data-part="signature"]')).toContainText('Microsoft Graph');
    await expect(decoder(page).locator('[data-part="signature"]')).toContainText('only Microsoft Graph itself can verify');
    expect(requests.filter((r) => r.includes('/discovery/') || r.includes('openid-configuration'))).toEqual([]);
  });

  test('a share link opens the explanations of the shared claims without any value', async ({ page }) => {
    await page.goto('/tools/token-decoder/#kind=access-token-user&claims=aud,scp,oid');
    await expect(decoder(page).locator('[data-part="shared-note"]')).toBeVisible();
    await expect(decoder(page).locator('tr[data-claim="scp"]')).toContainText('(value not shared)');
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`token decoder page has 0 axe violations in ${colorScheme} mode, with a decoded token`, async ({ page }) => {
    test.slow(); // axe over a page full of decoded claims takes a while on a busy machine
    await page.emulateMedia({ colorScheme });
    await page.goto('/tools/token-decoder/');
    await decode(page, await sandboxToken());
    await expect(status(page)).toContainText('Signature valid');
    await expectNoAxeViolations(page);
  });
}

test('keyboard only: Tab reaches the field and Decode, and Enter on Decode decodes', async ({ page }) => {
  await page.goto('/tools/token-decoder/');
  await page.getByLabel('Token (JWT)').focus();
  await page.keyboard.insertText('not-a-token');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Decode', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(decoder(page).locator('[data-part="problem"]')).toContainText('Not a JWT');
});
