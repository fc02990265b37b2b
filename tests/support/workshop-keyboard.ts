/**
 * Shared steps of the workshop specs: driving the presenter's step-through with the keyboard only,
 * the sandbox sign-in in its popup with the keyboard only, and reading what the stage shows.
 */
import { expect, type Page } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';

export const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
/** Every origin the lab serves from; nothing else may be contacted in sandbox mode. */
export const labOrigins = [lab.siteOrigin, lab.tenantOrigin, lab.apiOrigin];

export const stage = (page: Page) => page.locator('.lab-present-stage');

/** Waits until the workshop shell is wired (and, in presenter mode on a flow page, the stage is up). */
export async function openPresenting(page: Page, path: string): Promise<void> {
  await page.goto(`${path}${path.includes('?') ? '&' : '?'}present`);
  await expect(page.locator('html')).toHaveAttribute('data-workshop-ready', '');
  await expect(stage(page)).toBeVisible();
}

/** One press of →, then waits for the beat to finish; returns the stage's status line. */
export async function nextStep(page: Page, expectShown: number): Promise<string> {
  await page.keyboard.press('ArrowRight');
  await expect(stage(page)).toHaveAttribute('data-shown', String(expectShown));
  await expect(stage(page)).toHaveAttribute('data-status', /^(done|replayed)$/, { timeout: 20_000 });
  return (await stage(page).locator('[data-part="status"]').textContent()) ?? '';
}

/**
 * The sandbox's sign-in in the popup, keyboard only: with a login_hint the user is pre-filled and the
 * password field has the focus (Shift+Tab reaches the user name to switch users), without one the
 * user name has it; on the consent page "Accept" has the focus. With a tenant session already
 * there, the popup closes by itself.
 */
export async function signInWithKeyboard(
  popup: Page,
  user: SandboxUserName = 'alice',
): Promise<'consented' | 'signed-in' | 'single-sign-on'> {
  const closed = popup.waitForEvent('close').then(() => 'closed' as const);
  const password = popup.getByLabel('Password');
  // A popup that closes by itself (single sign-on) also ends the wait for its fields: that is not an error.
  const first = await Promise.race([
    closed,
    password.waitFor().then(
      () => 'sign-in' as const,
      () => 'closed' as const,
    ),
  ]);
  if (first === 'closed') return 'single-sign-on';
  const username = popup.getByLabel('Username');
  const hinted = await username.inputValue();
  if (!hinted) {
    // No login_hint (MSAL.js sends none): the user name field has the focus.
    await expect(username).toBeFocused();
    await popup.keyboard.type(sandboxUsers[user].preferredUsername);
    await popup.keyboard.press('Tab');
  } else {
    await expect(password).toBeFocused();
    if (hinted !== sandboxUsers[user].preferredUsername) {
      await popup.keyboard.press('Shift+Tab');
      await popup.keyboard.press('ControlOrMeta+A');
      await popup.keyboard.type(sandboxUsers[user].preferredUsername);
      await popup.keyboard.press('Tab');
    }
  }
  await popup.keyboard.type(SANDBOX_PASSWORD);
  await pressEnterThatMayClose(popup);
  const accept = popup.getByRole('button', { name: 'Accept', exact: true });
  const next = await Promise.race([
    closed,
    accept.waitFor().then(
      () => 'consent' as const,
      () => 'closed' as const,
    ),
  ]);
  if (next === 'consent') {
    await expect(accept).toBeFocused();
    await pressEnterThatMayClose(popup);
    await closed;
    return 'consented';
  }
  return 'signed-in';
}

/** Runs the whole Authorization Code + PKCE step-through with the keyboard; the page must be presenting it. */
export async function stepThroughAuthCode(page: Page, user: SandboxUserName = 'alice'): Promise<void> {
  await nextStep(page, 1);
  const popupPromise = page.waitForEvent('popup');
  await page.keyboard.press('ArrowRight');
  await signInWithKeyboard(await popupPromise, user);
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(stage(page)).toHaveAttribute('data-shown', '2');
  await nextStep(page, 3);
  await nextStep(page, 4);
}

/** The stage's labelled values (`aud`, `scp`, `status`…). */
export async function stageFields(page: Page): Promise<Record<string, string>> {
  return stage(page)
    .locator('[data-part="fields"]')
    .evaluate((dl) => {
      const out: Record<string, string> = {};
      for (const dt of dl.querySelectorAll('dt')) out[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? '';
      return out;
    });
}

/**
 * Presses Enter on a form that ends the sign-in: the popup may redirect back to the app and close
 * between the key's down and up (consent already given, a fast machine), which is success, not an error.
 */
async function pressEnterThatMayClose(popup: Page): Promise<void> {
  await popup.keyboard.press('Enter').catch((error: unknown) => {
    if (!popup.isClosed()) throw error;
  });
}
