/**
 * Drives the sandbox tenant's real sign-in and consent pages the way a person does: by label and
 * button name. Used by the widget specs and the widgets benchmark.
 */
import { expect, type Page } from '@playwright/test';
import { SANDBOX_PASSWORD, type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';

/** Fills the tenant's sign-in form; accepts (or cancels) the consent page when the tenant shows one. */
export async function completeSandboxSignIn(
  page: Page,
  user: SandboxUserName,
  consent: 'accept' | 'cancel' = 'accept',
  siteOrigin?: string,
): Promise<void> {
  await page.getByLabel('Username').fill(sandboxUsers[user].preferredUsername);
  await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const consentButton = page.getByRole('button', { name: consent === 'accept' ? 'Accept' : 'Cancel', exact: true });
  // Whichever comes first: the consent page, the way back to the site, or (for a popup) the popup closing.
  const outcomes: Promise<'consent' | 'site' | 'closed'>[] = [
    consentButton.waitFor().then(
      () => 'consent' as const,
      () => 'closed' as const,
    ),
    new Promise((resolve) => page.once('close', () => resolve('closed' as const))),
  ];
  if (siteOrigin) {
    outcomes.push(
      page
        .waitForURL((url) => url.origin === siteOrigin && !url.pathname.endsWith('/redirect.html'))
        .then(
          () => 'site' as const,
          () => 'closed' as const,
        ),
    );
  }
  const first = await Promise.race(outcomes);
  if (first === 'consent') await consentButton.click();
  else expect(consent, 'the tenant did not show the consent page').toBe('accept');
}
