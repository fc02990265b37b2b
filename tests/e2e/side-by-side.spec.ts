import { expect, type Page, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { signInInPopup } from '../support/popup-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const row = (page: Page, claim: string) => page.locator(`side-by-side tr[data-claim="${claim}"]`);
const cell = (page: Page, claim: string, side: 'delegated' | 'app-only') => row(page, claim).locator(`td[data-side="${side}"]`);

async function runBoth(page: Page): Promise<void> {
  await page.goto('/tools/side-by-side/');
  await signInInPopup(page, () => page.getByRole('button', { name: 'Run both flows' }).click(), 'alice');
  await expect(page.locator('side-by-side [data-part="status"]')).toHaveText(/Done: both tokens compared/, { timeout: 20_000 });
}

test.describe('Side by side: Authorization Code + PKCE and Client Credentials against the same API', () => {
  test('the claim diff shows scp vs roles, idtyp, oid/sub, azp/azpacr, name, preferred_username and the refresh token', async ({
    page,
  }) => {
    const errors = collectConsoleErrors(page);
    await runBoth(page);
    // Delegated scopes only in the user's token, app roles only in the daemon's (Entra access token claims reference).
    await expect(row(page, 'scp')).toHaveAttribute('data-kind', 'delegated-only');
    await expect(cell(page, 'scp', 'delegated')).toContainText(sandboxApps.api.scopes[0]);
    await expect(row(page, 'roles')).toHaveAttribute('data-kind', 'app-only');
    await expect(cell(page, 'roles', 'app-only')).toHaveText(sandboxApps.daemon.grantedAppRoles.join(', '));
    await expect(cell(page, 'idtyp', 'app-only')).toHaveText('app');
    await expect(cell(page, 'oid', 'delegated')).toHaveText(sandboxUsers.alice.oid);
    await expect(row(page, 'oid')).toHaveAttribute('data-kind', 'different');
    // App-only: sub equals oid, the daemon's service principal.
    expect(await cell(page, 'sub', 'app-only').textContent()).toBe(await cell(page, 'oid', 'app-only').textContent());
    await expect(cell(page, 'azp', 'delegated')).toHaveText(sandboxApps.spa.clientId);
    await expect(cell(page, 'azp', 'app-only')).toHaveText(sandboxApps.daemon.clientId);
    await expect(cell(page, 'azpacr', 'delegated')).toHaveText('0');
    await expect(cell(page, 'azpacr', 'app-only')).toHaveText('1');
    await expect(cell(page, 'name', 'delegated')).toHaveText(sandboxUsers.alice.name);
    await expect(row(page, 'preferred_username')).toHaveAttribute('data-kind', 'delegated-only');
    await expect(cell(page, 'preferred_username', 'delegated')).toHaveText(sandboxUsers.alice.preferredUsername);
    await expect(row(page, 'aud')).toHaveAttribute('data-kind', 'same');
    await expect(cell(page, 'aud', 'delegated')).toHaveText(sandboxApps.api.clientId);
    await expect(row(page, 'refresh token')).toHaveAttribute('data-kind', 'delegated-only');
    expect(errors).toEqual([]);
  });

  test('which endpoints each token may call: the API’s own verdicts (RFC 6750 §3.1 insufficient_scope for the daemon’s POST)', async ({
    page,
  }) => {
    await runBoth(page);
    const decision = (endpoint: string, column: 2 | 3) =>
      page.locator(`side-by-side tr[data-endpoint="${endpoint}"] td:nth-child(${column})`);
    await expect(decision('GET /api/tasks', 2)).toHaveAttribute('data-verdict', 'accepted');
    await expect(decision('GET /api/tasks', 3)).toHaveAttribute('data-verdict', 'accepted');
    await expect(decision('POST /api/tasks', 2)).toHaveAttribute('data-verdict', 'accepted');
    await expect(decision('POST /api/tasks', 3)).toHaveAttribute('data-verdict', 'rejected');
    // Creating a task needs the delegated Tasks.ReadWrite: an app-only token has no scp to hold it.
    await expect(decision('POST /api/tasks', 3)).toHaveAttribute('data-code', /^IDW1020[23]$/);
    await expect(decision('POST /api/tasks', 3)).toContainText('insufficient_scope');
    await expect(decision('POST /api/tasks', 3)).toContainText('403');
    await expect(decision('GET /api/me', 2)).toHaveAttribute('data-verdict', 'accepted');
    await expect(decision('GET /api/me', 3)).toHaveAttribute('data-verdict', 'accepted');
  });

  test('tenant and daemon down: each flow says what did not answer, and no table is left half filled', async ({ page }) => {
    await page.goto('/tools/side-by-side/');
    await page.route(`${lab.tenantOrigin}/**`, (route) => route.abort('connectionrefused'));
    await page.route(`${lab.apiOrigin}/**`, (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Run both flows' }).click();
    const errors = page.locator('side-by-side [data-part="errors"]');
    await expect(errors).toContainText('Authorization Code + PKCE: tenant_unreachable');
    await expect(errors).toContainText(`Client Credentials: The lab's daemon at ${lab.apiOrigin} did not answer`);
    await expect(page.locator('side-by-side [data-part="result"]')).toBeHidden();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`has 0 axe violations in ${colorScheme} mode with both tokens compared`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme });
      await runBoth(page);
      await expectNoAxeViolations(page);
    });
  }
});
