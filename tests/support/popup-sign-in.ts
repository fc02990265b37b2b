/**
 * Completes a sign-in that a widget opened in a popup (PKCE step-through, tamper lab, side by side):
 * the sandbox's sign-in page when the tenant has no session yet, consent when it asks, and nothing
 * at all when the tenant already has a session (the popup then closes by itself).
 */
import type { Page } from '@playwright/test';
import { SANDBOX_PASSWORD, type SandboxUserName, sandboxUsers } from '../../src/config/sandbox.ts';

export async function signInInPopup(page: Page, open: () => Promise<void>, user: SandboxUserName = 'alice'): Promise<void> {
  const popupPromise = page.waitForEvent('popup');
  await open();
  const popup = await popupPromise;
  const closed = popup.waitForEvent('close').then(() => 'closed' as const);
  const username = popup.getByLabel('Username');
  const first = await Promise.race([
    closed,
    username.waitFor().then(
      () => 'sign-in' as const,
      () => 'closed' as const,
    ),
  ]);
  if (first === 'closed') return;
  await username.fill(sandboxUsers[user].preferredUsername);
  await popup.getByLabel('Password').fill(SANDBOX_PASSWORD);
  await popup.getByRole('button', { name: 'Sign in', exact: true }).click();
  const accept = popup.getByRole('button', { name: 'Accept', exact: true });
  const next = await Promise.race([
    closed,
    accept.waitFor().then(
      () => 'consent' as const,
      () => 'closed' as const,
    ),
  ]);
  if (next === 'consent') await accept.click();
  await closed;
}
