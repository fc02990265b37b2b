import { expect, type Page, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { signInInPopup } from '../support/popup-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const widget = (page: Page) => page.locator('pkce-step-through');
const step = (page: Page, name: string) => widget(page).locator(`li[data-step="${name}"]`);

/** Steps 1–3 for real: a fresh verifier, its challenge, and a code from the sandbox tenant. */
async function getCode(page: Page, method: 'S256' | 'plain' = 'S256'): Promise<void> {
  await page.getByRole('button', { name: 'Generate code verifier' }).click();
  await expect(step(page, 'verifier').locator('dd').first()).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await page.getByRole('radio', { name: method === 'S256' ? /S256/ : /plain/ }).check();
  await page.getByRole('button', { name: 'Compute code challenge' }).click();
  await expect(step(page, 'challenge')).toHaveAttribute('data-state', 'done');
  await signInInPopup(page, () => page.getByRole('button', { name: 'Sign in and get a code' }).click());
}

test.describe('PKCE step-through (RFC 7636) against the sandbox tenant', () => {
  test('RFC 7636 §4.6: the right verifier redeems the code; RFC 6749 §4.1.2: the same code a second time is AADSTS54005', async ({
    page,
  }) => {
    const errors = collectConsoleErrors(page);
    await page.goto('/tools/pkce/');
    await getCode(page);
    await expect(step(page, 'authorize')).toHaveAttribute('data-state', 'done');
    await expect(step(page, 'authorize')).toContainText('one-time code');
    // The code travels back; the verifier never appears in the authorize request shown.
    await page.getByRole('button', { name: 'Redeem code' }).click();
    await expect(step(page, 'redeem')).toHaveAttribute('data-state', 'done');
    await expect(step(page, 'redeem')).toContainText('They are equal');
    await expect(step(page, 'redeem')).toContainText('issued tokens');
    await page.getByRole('button', { name: 'Redeem the same code again' }).click();
    const reuse = step(page, 'reuse').locator('[data-error-code]');
    await expect(reuse).toHaveAttribute('data-error-code', 'AADSTS54005');
    await expect(reuse).toHaveAttribute('data-error', 'invalid_grant');
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  test('RFC 7636 §4.6: another verifier is refused with invalid_grant AADSTS501481', async ({ page }) => {
    await page.goto('/tools/pkce/');
    await getCode(page);
    await page.getByRole('radio', { name: /another, freshly generated verifier/ }).check();
    await page.getByRole('button', { name: 'Redeem code' }).click();
    await expect(step(page, 'redeem')).toContainText('They differ');
    const answer = step(page, 'redeem').locator('[data-error-code]');
    await expect(answer).toHaveAttribute('data-error-code', 'AADSTS501481');
    await expect(answer).toHaveAttribute('data-error', 'invalid_grant');
  });

  test('RFC 7636 §4.5: no code_verifier for a code issued with a challenge is refused with invalid_grant', async ({ page }) => {
    await page.goto('/tools/pkce/');
    await getCode(page);
    await page.getByRole('radio', { name: /no code_verifier at all/ }).check();
    await page.getByRole('button', { name: 'Redeem code' }).click();
    const answer = step(page, 'redeem').locator('[data-error-code]');
    await expect(answer).toHaveAttribute('data-error', 'invalid_grant');
    await expect(answer).toHaveAttribute('data-error-code', /^AADSTS\d+$/);
  });

  test('RFC 7636 §7.2: an eavesdropper who copies the S256 challenge from the authorize URL cannot redeem the code (AADSTS501481)', async ({
    page,
  }) => {
    await page.goto('/tools/pkce/');
    await getCode(page);
    await page.getByRole('radio', { name: /what an eavesdropper saw/ }).check();
    await page.getByRole('button', { name: 'Redeem code' }).click();
    await expect(step(page, 'redeem').locator('[data-error-code]')).toHaveAttribute('data-error-code', 'AADSTS501481');
  });

  test('RFC 7636 §4.2 plain: the sandbox accepts it as Entra does, and the challenge copied from the URL redeems the code', async ({
    page,
  }) => {
    await page.goto('/tools/pkce/');
    await getCode(page, 'plain');
    await expect(step(page, 'challenge')).toContainText('the challenge is the verifier itself');
    await expect(step(page, 'authorize')).toHaveAttribute('data-state', 'done');
    await page.getByRole('radio', { name: /what an eavesdropper saw/ }).check();
    await page.getByRole('button', { name: 'Redeem code' }).click();
    await expect(step(page, 'redeem')).toHaveAttribute('data-state', 'done');
    await expect(step(page, 'redeem')).toContainText('issued tokens');
  });

  test('keyboard only: Enter runs each step and focus moves on to the next step’s button', async ({ page }) => {
    await page.goto('/tools/pkce/');
    await page.getByRole('button', { name: 'Generate code verifier' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Compute code challenge' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Sign in and get a code' })).toBeFocused();
    await signInInPopup(page, () => page.keyboard.press('Enter'));
    await expect(page.getByRole('button', { name: 'Redeem code' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Redeem the same code again' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(step(page, 'reuse').locator('[data-error-code]')).toHaveAttribute('data-error-code', 'AADSTS54005');
  });

  test('tenant down: the step-through says the tenant did not answer and how to start it, instead of a broken popup', async ({ page }) => {
    await page.goto('/tools/pkce/');
    await page.getByRole('button', { name: 'Generate code verifier' }).click();
    await page.getByRole('button', { name: 'Compute code challenge' }).click();
    await page.route(`${lab.tenantOrigin}/**`, (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Sign in and get a code' }).click();
    await expect(step(page, 'authorize')).toHaveAttribute('data-state', 'failed');
    await expect(step(page, 'authorize')).toContainText('did not answer');
    await expect(step(page, 'authorize')).toContainText('npm start');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`has 0 axe violations in ${colorScheme} mode, before and after a run`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme });
      await page.goto('/tools/pkce/');
      await expectNoAxeViolations(page);
      await getCode(page);
      await page.getByRole('button', { name: 'Redeem code' }).click();
      await expect(step(page, 'redeem')).toHaveAttribute('data-state', 'done');
      await expectNoAxeViolations(page);
    });
  }
});
