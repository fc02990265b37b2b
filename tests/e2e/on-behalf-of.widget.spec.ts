/**
 * On-behalf-of's live run on its guide page, in Chromium with the real MSAL.js against the real
 * sandbox tenant, Tasks API and Profile API: the user signs in with the sign-in widget (named scopes),
 * the first call comes back consent_required (AADSTS65001), the combined consent popup asks for both
 * apps, and the second call returns the profile, with every leg of the flow lit by the tracer.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'yaml';
import { loadLabConfig } from '../../src/config/lab.ts';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { flowSchema } from '../../src/data/schemas.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { completeSandboxSignIn } from '../support/sandbox-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const steps = flowSchema.parse(parse(readFileSync('content/flows/on-behalf-of.yaml', 'utf8'))).steps;
const PAGE = '/guides/on-behalf-of/';

const signInWidget = (page: Page) => page.locator('sign-in-widget');
const run = (page: Page) => page.locator('on-behalf-of-run');
const tracer = (page: Page) => page.locator('flow-tracer[data-flow="on-behalf-of"]');

test('on-behalf-of: consent_required first, combined consent, then the profile; the tracer lights every leg', async ({ page }) => {
  test.slow();
  const errors = collectConsoleErrors(page);
  await page.goto(PAGE);
  await tracer(page).hover(); // the page's widget code loads on first use (src/widgets/shared/lazyWidgets.ts)
  await expect(tracer(page)).toHaveAttribute('data-connection', 'up');
  // bob, with the sign-in widget's named scopes: no consent yet for what the Tasks API calls downstream.
  await signInWidget(page).getByRole('button', { name: 'Sign in', exact: true }).click();
  await completeSandboxSignIn(page, 'bob', 'accept', lab.siteOrigin);
  await expect(signInWidget(page).locator('[data-part="who"]')).toContainText(sandboxUsers.bob.preferredUsername);

  await run(page).getByRole('button', { name: 'Call GET /api/me/profile' }).click();
  await expect(run(page).locator('[data-part="status"]')).toContainText('403 consent_required (AADSTS65001)');
  await expect(run(page).locator('[data-part="error"]')).toContainText('AADSTS65001');

  // The tenant still has bob's session, so the popup goes straight to the consent page: both apps on it.
  const popupPromise = page.waitForEvent('popup');
  await run(page).getByRole('button', { name: 'Consent for the Tasks API and the Profile API' }).click();
  const popup = await popupPromise;
  await expect(popup.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
  await expect(popup.locator('#middle-tier-intro')).toContainText(sandboxApps.api.displayName);
  await expect(popup.getByRole('list', { name: /also lets/ })).toContainText(`${sandboxApps.profileApi.appIdUri}/Profile.Read`);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Accept', exact: true }).click();
  await closed;
  await expect(run(page).locator('[data-part="status"]')).toContainText('200: the Tasks API returned your profile');
  const legs = run(page).locator('[data-part="legs"] li');
  await expect(legs).toHaveCount(6);
  await expect(run(page).locator('li[data-step="obo-request"]')).toContainText('on_behalf_of');
  await expect(run(page).locator('li[data-step="downstream-response"]')).toContainText(sandboxUsers.bob.name);
  await expect(run(page).locator('[data-part="exchange"]')).not.toContainText(sandboxApps.api.sandboxSecret);
  await expect(run(page).locator('tr[data-claim="aud"]')).toContainText(sandboxApps.profileApi.clientId);
  await expect(run(page).locator('tr[data-claim="azp"]')).toContainText(sandboxApps.api.clientId);
  await expect(run(page).locator('tr[data-claim="oid"]')).toContainText('same');

  await expect(tracer(page)).toHaveAttribute('data-cursor', String(steps.length - 1), { timeout: 20_000 });
  for (const step of steps) {
    await expect(tracer(page).locator(`li[data-step="${step.id}"]`)).toHaveAttribute('data-status', 'seen');
    await expect(page.locator(`figure.flow-diagram[data-flow="on-behalf-of"] g.flow-step[data-step="${step.id}"]`).first()).toHaveAttribute(
      'data-trace',
      'seen',
    );
  }
  // The 403 above is the lesson; Chromium logs every 4xx fetch as a console error.
  expect(errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`on-behalf-of guide: 0 axe violations in ${colorScheme} mode`, async ({ page }) => {
    test.slow();
    await page.emulateMedia({ colorScheme });
    await page.goto(PAGE);
    await run(page).hover(); // the page's widget code loads on first use (src/widgets/shared/lazyWidgets.ts)
    await expect(run(page)).toHaveAttribute('data-ready', 'true');
    await expectNoAxeViolations(page);
  });
}
