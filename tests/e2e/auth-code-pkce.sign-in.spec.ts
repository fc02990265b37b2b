/**
 * The sign-in widget and the API caller with the real MSAL.js against the real sandbox tenant and
 * the real sample API: Authorization Code + PKCE for alice and bob, consent refused, the
 * refresh-token grant, and a call to the API with the user's token.
 */
import { expect, type Page, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';
import { type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { completeSandboxSignIn } from '../support/sandbox-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const scopeNames = lab.delegatedScopes.map((scope) => scope.split('/').pop() as string);

const widget = (page: Page) => page.locator('sign-in-widget');
const signInButton = (page: Page) => widget(page).getByRole('button', { name: 'Sign in', exact: true });

async function signIn(page: Page, user: SandboxUserName): Promise<void> {
  await expect(signInButton(page)).toBeEnabled();
  await signInButton(page).click();
  await completeSandboxSignIn(page, user, 'accept', lab.siteOrigin);
  await expect(widget(page).locator('[data-part="who"]')).toContainText(sandboxUsers[user].preferredUsername);
}

async function signOut(page: Page, backTo: string): Promise<void> {
  await widget(page).getByRole('button', { name: 'Sign out' }).click();
  // The tenant asks before ending its session, as Entra does, then returns to the registered post-logout URI.
  await page.waitForURL((url) => url.origin === lab.tenantOrigin);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((url) => url.origin === lab.siteOrigin && url.pathname === '/');
  await page.goto(backTo);
  await expect(widget(page).locator('[data-part="who"]')).toHaveText('Not signed in.');
}

for (const user of ['alice', 'bob'] as const) {
  test(`OAuth 2.0 auth code + PKCE: ${user} signs in, the access token carries their oid and scp, GET /api/tasks → 200 with their tasks, sign out`, async ({
    page,
  }) => {
    const errors = collectConsoleErrors(page);
    await page.goto('/tools/api-caller/');
    await signIn(page, user);
    const decoder = widget(page).locator('token-decoder');
    await expect(decoder.locator('tr[data-claim="oid"]')).toContainText(sandboxUsers[user].oid);
    const scp = decoder.locator('tr[data-claim="scp"]');
    for (const scope of scopeNames) await expect(scp).toContainText(scope);
    await expect(decoder.locator('tr[data-claim="aud"] .value')).toHaveText(lab.ids.apiClientId);
    await expect(decoder.locator('output')).toContainText('Signature valid');
    // The code was redeemed with PKCE: MSAL sent a code_verifier.
    await expect(widget(page).locator('li[data-grant="authorization_code"]')).toContainText('code_verifier');

    const caller = page.locator('api-caller');
    await caller.getByRole('button', { name: 'Call API' }).click();
    await expect(caller.locator('[data-part="response-status"]')).toHaveText(/^200 /);
    const body = JSON.parse((await caller.locator('[data-part="response-body"]').textContent()) as string);
    expect(body.caller).toMatchObject({ kind: 'user', oid: sandboxUsers[user].oid });
    expect(body.tasks.length).toBeGreaterThan(0);
    await expect(caller.locator('[data-part="request"]')).toContainText('Authorization: Bearer eyJ');
    await expect(caller.locator('[data-part="request"]')).toContainText('chars)');

    await signOut(page, '/tools/api-caller/');
    expect(errors).toEqual([]);
  });
}

test('loginPopup: bob signs in in a popup and this page stays where it was', async ({ page, context }) => {
  await page.goto('/tools/sign-in/');
  const popupButton = widget(page).getByRole('button', { name: 'Sign in with a popup' });
  await expect(popupButton).toBeEnabled();
  const [popup] = await Promise.all([context.waitForEvent('page'), popupButton.click()]);
  await completeSandboxSignIn(popup, 'bob');
  await expect(widget(page).locator('[data-part="who"]')).toContainText(sandboxUsers.bob.preferredUsername);
  await expect(widget(page).locator(':scope > [data-part="status"]')).toContainText('(popup)');
  expect(new URL(page.url()).pathname).toBe('/tools/sign-in/');
  await signOut(page, '/tools/sign-in/');
});

test('OIDC Core §3.1.2.6: cancelling at the consent page comes back as access_denied with its AADSTS meaning and fix', async ({ page }) => {
  await page.goto('/tools/sign-in/');
  await widget(page).getByLabel('Show the consent page again').check();
  await expect(signInButton(page)).toBeEnabled();
  await signInButton(page).click();
  await completeSandboxSignIn(page, 'bob', 'cancel');
  await page.waitForURL((url) => url.pathname === '/tools/sign-in/');
  const card = widget(page).locator('[data-part="error"]');
  await expect(card).toBeVisible();
  await expect(card).toContainText(/AADSTS65004/);
  await expect(card).toContainText('Fix:');
  await expect(widget(page).locator('[data-part="who"]')).toHaveText('Not signed in.');
});

test('RFC 6749 §6: Force refresh redeems the refresh token (grant_type=refresh_token) for a new access token', async ({ page }) => {
  await page.goto('/tools/sign-in/');
  await signIn(page, 'alice');
  const decoder = widget(page).locator('token-decoder');
  await expect(decoder.locator('output')).toContainText('Signature valid');
  const before = await decoder.locator('[data-part="encoded"]').textContent();
  await widget(page).getByRole('button', { name: 'Get access token' }).click();
  await expect(widget(page).locator(':scope > [data-part="status"]')).toContainText('MSAL’s cache');
  await widget(page).getByRole('button', { name: 'Force refresh' }).click();
  await expect(widget(page).locator('li[data-grant="refresh_token"]')).toContainText('200');
  await expect(widget(page).locator(':scope > [data-part="status"]')).toContainText('refresh-token grant');
  await expect(decoder.locator('[data-part="encoded"]')).not.toHaveText(before as string);
  await widget(page).getByText('What MSAL cached').click();
  await expect(widget(page).locator('[data-part="cache-rows"]')).toContainText('RefreshToken');
  await signOut(page, '/tools/sign-in/');
});

test('RFC 6750 §3.1: a pasted garbage token gets 401 invalid_token, and "Why was it refused?" shows the failing step', async ({ page }) => {
  await page.goto('/tools/api-caller/');
  const caller = page.locator('api-caller');
  await caller.getByLabel('A token I paste').check();
  await caller.getByRole('textbox', { name: 'Access token' }).fill('not.a.token');
  await caller.getByRole('button', { name: 'Call API' }).click();
  await expect(caller.locator('[data-part="response-status"]')).toHaveText(/^401 /);
  await expect(caller.locator('[data-part="challenge"]')).toContainText('invalid_token');
  await caller.getByRole('button', { name: 'Why was it refused?' }).click();
  await expect(caller.locator('[data-part="explain"]')).toContainText('Verdict: rejected');
  await expect(caller.locator('[data-part="explain"] li[data-status="fail"]').first()).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`sign-in and API caller page: 0 axe violations in ${colorScheme} mode`, async ({ page }) => {
    test.slow(); // axe over a page full of decoded claims takes a while on a busy machine
    await page.emulateMedia({ colorScheme });
    await page.goto('/tools/api-caller/');
    await expect(signInButton(page)).toBeEnabled();
    await expectNoAxeViolations(page);
  });
}
