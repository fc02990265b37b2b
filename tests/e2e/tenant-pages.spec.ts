/**
 * The sandbox tenant's own pages as a person meets them: clearly labelled SANDBOX, labelled fields
 * that work with the keyboard, nothing loaded from anywhere, and 0 axe violations in light and
 * dark mode. The SPA's redirect URI is answered by a stub page so only the tenant is under test.
 */
import { expect, type Page, test } from '@playwright/test';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { lab, serveAppAtSiteRoot } from '../support/tenant-pages.ts';

/** Every request a tenant page makes besides its own navigation (there must be none). */
function recordSubresources(page: Page): string[] {
  const loaded: string[] = [];
  page.on('request', (request) => {
    if (!request.isNavigationRequest() && new URL(request.frame().url()).origin === lab.tenantOrigin) loaded.push(request.url());
  });
  return loaded;
}

function authorizeUrl(extra: Record<string, string> = {}): string {
  const url = new URL(lab.tenant.authorization);
  url.search = new URLSearchParams({
    client_id: lab.ids.spaClientId,
    response_type: 'code',
    redirect_uri: lab.redirectUris[0] as string,
    scope: `openid profile offline_access ${lab.delegatedScopes[0]}`,
    state: 'e2e-state',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return url.href;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`tenant pages in ${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test('sign-in page: SANDBOX label, labelled fields, keyboard sign-in, no external requests, 0 axe violations', async ({ page }) => {
      const errors = collectConsoleErrors(page);
      const subresources = recordSubresources(page);
      await serveAppAtSiteRoot(page, '<!DOCTYPE html><title>app</title><main>app</main>');
      await page.goto(authorizeUrl({ prompt: 'login consent' }));
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await expect(page.getByRole('banner')).toContainText('SANDBOX');
      await expectNoAxeViolations(page);
      await expect(page.getByLabel('Username')).toBeFocused();
      await page.keyboard.type(sandboxUsers.bob.preferredUsername);
      await page.keyboard.press('Tab');
      await expect(page.getByLabel('Password')).toBeFocused();
      await page.keyboard.type('wrong password');
      await page.keyboard.press('Enter');
      await expect(page.getByRole('alert')).toContainText('AADSTS50126');
      await expectNoAxeViolations(page);
      await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
      expect(subresources).toEqual([]);
      expect(errors).toEqual([]);
    });

    test('consent page: lists the permissions; Cancel returns access_denied to the app; 0 axe violations', async ({ page }) => {
      const subresources = recordSubresources(page);
      await serveAppAtSiteRoot(page, '<!DOCTYPE html><title>app</title><main>app</main>');
      await page.goto(authorizeUrl({ prompt: 'consent' }));
      await page.getByLabel('Username').fill(sandboxUsers.alice.preferredUsername);
      await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
      await expect(page.getByRole('list')).toContainText('Read your tasks');
      await expect(page.getByRole('list')).toContainText(lab.delegatedScopes[0] as string);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForURL((url) => url.origin === lab.siteOrigin);
      const back = new URL(page.url());
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
      expect(back.searchParams.get('state')).toBe('e2e-state');
      expect(subresources).toEqual([]);
    });

    test('error page for an unregistered redirect URI: AADSTS50011, no redirect, 0 axe violations', async ({ page }) => {
      const wrong = `${lab.siteOrigin}/not-registered`;
      const response = await page.goto(authorizeUrl({ redirect_uri: wrong }));
      expect(response?.status()).toBe(400);
      expect(new URL(page.url()).origin).toBe(lab.tenantOrigin);
      await expect(page.getByRole('alert')).toContainText('AADSTS50011');
      await expect(page.getByRole('alert')).toContainText(wrong);
      await expectNoAxeViolations(page);
    });
  });
}
