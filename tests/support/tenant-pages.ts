/**
 * Shared steps for the sandbox tenant's end-to-end specs: serving the MSAL fixture SPA on the
 * site origin and signing in through the tenant's real pages like a person would.
 */
import { expect, type Page } from '@playwright/test';
import { type LabConfig, loadLabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';
import { useTestPorts } from './test-ports.ts';

useTestPorts();
export const lab: LabConfig = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });

/**
 * Serves `html` at the site origin's `/` (the SPA's registered redirect URI); everything else is
 * the real site. Playwright only routes the first request of a redirect chain, so the SPA returns
 * through `/redirect.html` (the real, built bridge page), which navigates on to `/` by script.
 */
export async function serveAppAtSiteRoot(page: Page, html: string): Promise<void> {
  // A document fulfilled by Playwright has no IP address, so Chromium's Local Network Access
  // checks treat it as public and block its fetches to the tenant on loopback. The real site is
  // served from loopback and never needs this.
  await page.context().grantPermissions(['local-network-access']);
  await page.context().route(
    (url) => url.origin === lab.siteOrigin && url.pathname === '/',
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
}

export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { lab?: { ready?: boolean } }).lab?.ready === true);
}

/**
 * Fills in the tenant's sign-in page and accepts the consent page if it appears. Returns when the
 * browser has left the tenant's pages (back at the app, or the popup closed).
 */
export async function signInOnTenantPages(
  page: Page,
  username: string = sandboxUsers.alice.preferredUsername,
): Promise<'consented' | 'no-consent'> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
  // Each wait settles either way: the popup closing ends the others, and that is not a failure.
  const left = () => 'left' as const;
  const closed = page.waitForEvent('close').then(left, left);
  const navigatedAway = page.waitForURL((url) => url.origin !== lab.tenantOrigin, { waitUntil: 'commit' }).then(left, left);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const consent = page
    .getByRole('heading', { name: 'Permissions requested' })
    .waitFor()
    .then(() => 'consent' as const, left);
  const next = await Promise.race([consent, closed, navigatedAway]);
  if (next !== 'consent') return 'no-consent';
  const leftAgain = Promise.race([
    page.waitForEvent('close').then(left, left),
    page.waitForURL((url) => url.origin !== lab.tenantOrigin, { waitUntil: 'commit' }).then(left, left),
  ]);
  await page.getByRole('button', { name: 'Accept' }).click();
  await leftAgain;
  return 'consented';
}
