/**
 * The real @azure/msal-browser in Chromium against the sandbox tenant: redirect, popup, silent
 * (cache, refresh token, hidden iframe). The fixture SPA is served on the site origin, where the
 * redirect URIs are registered; popups and iframes come back through the built site's
 * /redirect.html bridge page.
 */
import { expect, type Page, test } from '@playwright/test';
import { sandboxUsers } from '../../src/config/sandbox.ts';
import { fixtureSpaPage } from '../fixtures/msal-spa/bundle.ts';
import { lab, serveAppAtSiteRoot, signInOnTenantPages, waitForApp } from '../support/tenant-pages.ts';

interface Outcome {
  username?: string;
  homeAccountId?: string;
  fromCache?: boolean;
  accessTokenClaims?: Record<string, unknown>;
  idTokenClaims?: Record<string, unknown>;
  error?: { errorCode?: string; message: string };
}

type LabWindow = Window & { lab: Record<string, (arg?: unknown) => Promise<Outcome | undefined>> & { redirectOutcome?: Outcome | null } };

let html: string;

test.beforeAll(async () => {
  html = await fixtureSpaPage(lab);
});

/** POST bodies sent to the token endpoint, in order. */
function recordTokenRequests(page: Page): URLSearchParams[] {
  const bodies: URLSearchParams[] = [];
  page.context().on('request', (request) => {
    if (request.method() === 'POST' && request.url().startsWith(lab.tenant.token))
      bodies.push(new URLSearchParams(request.postData() ?? ''));
  });
  return bodies;
}

async function signInWithRedirect(page: Page): Promise<Outcome> {
  await serveAppAtSiteRoot(page, html);
  await page.goto('/');
  await waitForApp(page);
  await page.evaluate(() => {
    void (window as unknown as LabWindow).lab.loginRedirect?.();
  });
  await page.waitForURL((url) => url.origin === lab.tenantOrigin);
  await signInOnTenantPages(page);
  await page.waitForURL((url) => url.origin === lab.siteOrigin);
  await waitForApp(page);
  return (await page.evaluate(() => (window as unknown as LabWindow).lab.redirectOutcome)) as Outcome;
}

function expectAliceTokens(outcome: Outcome | undefined): void {
  expect(outcome?.error).toBeUndefined();
  expect(outcome?.username).toBe(sandboxUsers.alice.preferredUsername);
  // client_info in the token response makes MSAL's home account id `oid.tid`, as with Entra.
  expect(outcome?.homeAccountId).toBe(`${sandboxUsers.alice.oid}.${lab.ids.tenantId}`);
  expect(outcome?.accessTokenClaims).toMatchObject({ aud: lab.ids.apiClientId, scp: 'Tasks.Read', azp: lab.ids.spaClientId, ver: '2.0' });
  expect(outcome?.idTokenClaims).toMatchObject({ aud: lab.ids.spaClientId, oid: sandboxUsers.alice.oid, tid: lab.ids.tenantId });
}

test('loginRedirect: the tenant’s sign-in (and consent) pages, then back at the app with ID and access tokens', async ({ page }) => {
  const tokenRequests = recordTokenRequests(page);
  expectAliceTokens(await signInWithRedirect(page));
  expect(tokenRequests.map((body) => body.get('grant_type'))).toEqual(['authorization_code']);
  expect(tokenRequests[0]?.get('code_verifier')).toEqual(expect.any(String));
});

test('acquireTokenSilent: from the cache first, then forceRefresh redeems the refresh token without an iframe', async ({ page }) => {
  await signInWithRedirect(page);
  const tokenRequests = recordTokenRequests(page);
  const authorizeRequests: string[] = [];
  page.context().on('request', (request) => {
    if (request.url().startsWith(lab.tenant.authorization)) authorizeRequests.push(request.url());
  });
  const cached = await page.evaluate(() => (window as unknown as LabWindow).lab.acquireTokenSilent?.(false));
  expect(cached?.fromCache).toBe(true);
  const refreshed = await page.evaluate(() => (window as unknown as LabWindow).lab.acquireTokenSilent?.(true));
  expect(refreshed?.error).toBeUndefined();
  expect(refreshed?.fromCache).toBe(false);
  expect(refreshed?.accessTokenClaims?.scp).toBe('Tasks.Read');
  expect(refreshed?.accessTokenClaims?.uti).not.toBe(cached?.accessTokenClaims?.uti);
  expect(tokenRequests.map((body) => body.get('grant_type'))).toEqual(['refresh_token']);
  expect(authorizeRequests).toEqual([]);
});

test('loginPopup: the popup signs in and returns through the built site’s /redirect.html bridge', async ({ page }) => {
  await serveAppAtSiteRoot(page, html);
  await page.goto('/');
  await waitForApp(page);
  const bridgeLoads: string[] = [];
  page.context().on('response', (response) => {
    if (response.url().startsWith(`${lab.siteOrigin}/redirect.html`)) bridgeLoads.push(String(response.status()));
  });
  const popupOpened = page.waitForEvent('popup');
  const result = page.evaluate(() => (window as unknown as LabWindow).lab.loginPopup?.());
  const popup = await popupOpened;
  await signInOnTenantPages(popup);
  expectAliceTokens(await result);
  expect(bridgeLoads).toEqual(['200']);
});

test('ssoSilent: a hidden iframe with prompt=none reuses the tenant session, no page shown', async ({ page }) => {
  await signInWithRedirect(page);
  const silentAuthorize: URL[] = [];
  page.context().on('request', (request) => {
    if (request.url().startsWith(lab.tenant.authorization)) silentAuthorize.push(new URL(request.url()));
  });
  const outcome = await page.evaluate(() => (window as unknown as LabWindow).lab.ssoSilent?.());
  expectAliceTokens(outcome);
  expect(silentAuthorize).toHaveLength(1);
  expect(silentAuthorize[0]?.searchParams.get('prompt')).toBe('none');
  expect(silentAuthorize[0]?.searchParams.get('redirect_uri')).toBe(lab.redirectUris[1]);
});

test('a scope the user has not consented to: silent renewal fails with an interaction-required error', async ({ page }) => {
  // Other specs sign alice in with Tasks.ReadWrite; forget every consent so this one starts from none.
  const reset = await fetch(`${lab.tenantOrigin}/_sandbox/reset`, {
    method: 'POST',
    headers: { 'X-Lab-Admin': '1', Origin: lab.tenantOrigin },
  });
  expect(reset.ok).toBe(true);
  await signInWithRedirect(page);
  const outcome = await page.evaluate((scope) => (window as unknown as LabWindow).lab.acquireTokenFor?.(scope), lab.delegatedScopes[1]);
  expect(outcome?.error?.errorCode).toMatch(/interaction_required|consent_required|invalid_grant|login_required/);
});
