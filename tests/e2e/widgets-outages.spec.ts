/**
 * Errors never leave a widget blank: with the tenant, the API or the configuration missing, each
 * widget says what happened and what to do. Outages are simulated by failing the browser's
 * requests to that server (the servers themselves keep running for the other specs).
 */
import { expect, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sandboxShapedToken = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k' })}.${b64({ iss: lab.tenant.issuer, scp: 'Tasks.Read', aud: lab.ids.apiClientId })}.c2ln`;

test('tenant down: Sign in explains that the tenant is not reachable instead of leaving the page', async ({ page }) => {
  await page.route(`${lab.tenantOrigin}/**`, (route) => route.abort('connectionrefused'));
  await page.goto('/tools/sign-in/');
  const widget = page.locator('sign-in-widget');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(widget.locator('[data-part="error"]')).toContainText('The tenant is not reachable');
  await expect(widget.locator('[data-part="error"]')).toContainText('npm start');
  expect(new URL(page.url()).pathname).toBe('/tools/sign-in/');
});

test('tenant down: the decoder still decodes, and says the signature was not checked and why', async ({ page }) => {
  await page.route(`${lab.tenantOrigin}/**`, (route) => route.abort('connectionrefused'));
  await page.goto('/tools/token-decoder/');
  await page.getByLabel('Token (JWT)').fill(sandboxShapedToken);
  await page.getByRole('button', { name: 'Decode', exact: true }).click();
  await expect(page.locator('token-decoder output')).toContainText('Signature not checked');
  await expect(page.locator('token-decoder [data-part="signature"]')).toContainText('Is the tenant running');
  await expect(page.locator('token-decoder tr[data-claim="scp"]')).toBeVisible();
});

test('API down: the API caller and the client-credentials run say the server is not reachable', async ({ page }) => {
  await page.route(`${lab.apiOrigin}/**`, (route) => route.abort('connectionrefused'));
  await page.goto('/tools/api-caller/');
  const caller = page.locator('api-caller');
  await caller.getByLabel('A token I paste').check();
  await caller.getByRole('textbox', { name: 'Access token' }).fill(sandboxShapedToken);
  await caller.getByRole('button', { name: 'Call API' }).click();
  await expect(caller.locator('[data-part="error"]')).toContainText('The sample API is not reachable');
  await expect(caller.getByRole('button', { name: 'Call API' })).toBeEnabled();

  await page.goto('/tools/client-credentials/');
  const run = page.locator('client-credentials-run');
  await run.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(run.locator('[data-part="error"]')).toContainText('The daemon is not reachable');
  await expect(run.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});

test('bad config: a page without the lab configuration says how to fix it', async ({ page }) => {
  await page.route('**/tools/client-credentials/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<script type="application\/json" data-lab-config>[\s\S]*?<\/script>/g, '');
    await route.fulfill({ response, body: html });
  });
  await page.goto('/tools/client-credentials/');
  await page.locator('client-credentials-run').hover(); // its code loads on first use (src/widgets/shared/lazyWidgets.ts)
  await expect(page.locator('client-credentials-run [data-part="error"]')).toContainText('cannot find the lab configuration');
});
