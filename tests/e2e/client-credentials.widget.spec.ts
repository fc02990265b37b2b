/**
 * The client-credentials run: the daemon (MSAL Node, server-side) against the real sandbox tenant
 * and the real sample API, with a secret and with a certificate, and each "break it" button.
 */
import { expect, type Page, test } from '@playwright/test';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';

const widget = (page: Page) => page.locator('client-credentials-run');
const step = (page: Page, id: string) => widget(page).locator(`li[data-step="${id}"]`);

for (const credential of ['Client secret', 'Certificate (client assertion)'] as const) {
  test(`RFC 6749 §4.4 with ${credential}: app-only token with roles → GET /api/tasks 200, POST /api/tasks 403`, async ({ page }) => {
    const errors = collectConsoleErrors(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));
    await page.goto('/tools/client-credentials/');
    await widget(page).getByLabel(credential).check();
    await widget(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(step(page, 'token-response')).toHaveAttribute('data-http', '200');
    await expect(step(page, 'api-call')).toHaveAttribute('data-http', '200');
    await expect(step(page, 'api-call-write')).toHaveAttribute('data-http', '403');
    await expect(step(page, 'api-call-write')).toContainText('insufficient_scope');
    const tokenRequest = step(page, 'token-request');
    await expect(tokenRequest).toContainText('grant_type=client_credentials');
    await expect(tokenRequest).toContainText('/.default');
    const decoders = widget(page).locator('token-decoder');
    const accessToken = decoders.nth(1);
    await expect(accessToken.locator('tr[data-claim="roles"]')).toContainText(sandboxApps.daemon.grantedAppRoles[0]);
    await expect(accessToken.locator('tr[data-claim="idtyp"]')).toContainText('app');
    await expect(accessToken.locator('tr[data-claim="scp"]')).toHaveCount(0);
    await expect(accessToken.locator('output')).toContainText('Signature valid');
    if (credential === 'Client secret') {
      await expect(tokenRequest).toContainText('client_secret=');
      await expect(tokenRequest).toContainText('masked');
    } else {
      await expect(tokenRequest).toContainText('client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      await expect(decoders.nth(0).locator('output')).toContainText('Client assertion');
      await expect(decoders.nth(0).locator('tr[data-claim="x5t#S256"]')).toBeVisible();
    }
    // The secret never reached the page, in any request or in the page itself.
    expect(requests.join('\n')).not.toContain(sandboxApps.daemon.sandboxSecret);
    expect(await page.content()).not.toContain(sandboxApps.daemon.sandboxSecret);
    expect(errors).toEqual([]);
  });
}

for (const [button, code] of [
  ['Wrong secret', 'AADSTS7000215'],
  ['Scope without /.default', 'AADSTS1002012'],
  ['Expired certificate', 'AADSTS700027'],
] as const) {
  test(`break it: "${button}" shows the sandbox's real ${code}`, async ({ page }) => {
    await page.goto('/tools/client-credentials/');
    await widget(page).getByRole('button', { name: button }).click();
    const card = widget(page).locator('[data-part="error"]');
    await expect(card).toContainText(code);
    await expect(card).toContainText('Fix:');
    await expect(step(page, 'api-call')).toHaveAttribute('data-status', 'skipped');
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`client-credentials page after a run: 0 axe violations in ${colorScheme} mode`, async ({ page }) => {
    test.slow(); // axe over a page full of decoded claims takes a while on a busy machine
    await page.emulateMedia({ colorScheme });
    await page.goto('/tools/client-credentials/');
    await widget(page).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(step(page, 'api-call')).toHaveAttribute('data-http', '200');
    await expectNoAxeViolations(page);
  });
}
