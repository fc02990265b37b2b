/**
 * The settings page against the real sandbox tenant and sample API: validation messages, a secret
 * refused and never stored, the header badge on every page (also in another tab), the share link
 * with its confirmation, reset, and "Check my setup" — passing when the sandbox tenant is named the
 * way a real tenant would be, and explaining AADSTS700016 / AADSTS90002 as the sandbox answers them.
 */
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ENTRA_PUBLIC_CLOUD, loadLabConfig } from '../../src/config/lab.ts';
import { SANDBOX_TENANT_ID, sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { SETTINGS_STORAGE_KEY } from '../../src/widgets/lab-config/storedSettings.ts';
import { expectNoAxeViolations } from '../support/page-checks.ts';
import { signInInPopup } from '../support/popup-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const sandboxAuthority = new URL(lab.tenant.authority).origin;
const SETTINGS = '/tools/settings/';

const widget = (page: Page) => page.locator('lab-settings');
const badge = (page: Page) => page.locator('header [data-tenant-badge]');
const step = (page: Page, id: string) => widget(page).locator(`li[data-step="${id}"]`);
const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), SETTINGS_STORAGE_KEY);

interface Ids {
  tenantId: string;
  spaClientId: string;
  apiClientId: string;
  authority?: string;
}

/** Fills the form as a person does, by label. */
async function fillSettings(page: Page, ids: Ids): Promise<void> {
  const form = widget(page);
  await form.getByLabel('Directory (tenant) ID').fill(ids.tenantId);
  await form.getByLabel('SPA: Application (client) ID').fill(ids.spaClientId);
  await form.getByLabel('API: Application (client) ID').fill(ids.apiClientId);
  await form.getByLabel('Cloud (authority host)').selectOption(ids.authority ?? ENTRA_PUBLIC_CLOUD);
}

async function save(page: Page): Promise<void> {
  await widget(page).getByRole('button', { name: 'Save settings' }).click();
  await expect(widget(page).locator('[data-part="status"]')).toContainText('Saved in this browser');
}

const realIds = (): Ids => ({ tenantId: crypto.randomUUID(), spaClientId: crypto.randomUUID(), apiClientId: crypto.randomUUID() });

/** The sandbox tenant named exactly as a real tenant would be: its IDs, its authority host. */
const sandboxIds: Ids = {
  tenantId: SANDBOX_TENANT_ID,
  spaClientId: sandboxApps.spa.clientId,
  apiClientId: sandboxApps.api.clientId,
  authority: sandboxAuthority,
};

/**
 * Console errors, except "Failed to load resource … 400" for requests the tenant must refuse: the
 * SPA-registration probe at the token endpoint, and whatever a test points at an unknown tenant.
 */
function collectUnexpectedConsoleErrors(page: Page, refusedUrls: string[]): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const refused = message.text().includes('status of 400') && refusedUrls.some((url) => message.location().url.startsWith(url));
    if (!refused) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('each bad value gets its own message, beside the field and in a summary that links to it (keyboard only)', async ({ page }) => {
  await page.goto(SETTINGS);
  const form = widget(page);
  await form.getByLabel('Directory (tenant) ID').focus();
  await page.keyboard.type('contoso');
  await page.keyboard.press('Tab'); // → SPA client ID
  await page.keyboard.type('my-spa');
  await page.keyboard.press('Tab'); // → API client ID
  await page.keyboard.type(`api://${sandboxApps.api.clientId}`);
  await page.keyboard.press('Tab'); // → App ID URI
  await page.keyboard.type(`api://${sandboxApps.api.clientId}/${sandboxApps.api.scopes[0]}`);
  await page.keyboard.press('Enter'); // submits the form

  const summary = form.locator('[data-part="error-summary"]');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('There are 4 problems');
  const tenant = form.getByLabel('Directory (tenant) ID');
  await expect(tenant).toHaveAttribute('aria-invalid', 'true');
  await expect(tenant).toHaveAccessibleDescription(
    /“contoso” is not a GUID — copy the Directory \(tenant\) ID from the app registration’s Overview page\./,
  );
  await expect(form.getByLabel('SPA: Application (client) ID')).toHaveAccessibleDescription(
    /“my-spa” is not a GUID — copy the Application \(client\) ID from the SPA registration’s Overview page\./,
  );
  await expect(form.getByLabel('API: Application (client) ID')).toHaveAccessibleDescription(
    /is an Application ID URI — put it in the App ID URI field/,
  );
  await expect(form.getByLabel('API: Application ID URI (optional)')).toHaveAccessibleDescription(/ends with a scope/);
  expect(await stored(page)).toBeNull();

  // The summary's first link takes keyboard focus to the field it names.
  await page.keyboard.press('Tab');
  await expect(summary.getByRole('link', { name: 'Directory (tenant) ID' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tenant).toBeFocused();
  expect(new URL(page.url()).hash).toBe('');
});

test('a client secret pasted into a field is cleared at once, explained, and never stored or put in the URL', async ({ page }) => {
  await page.goto(SETTINGS);
  const form = widget(page);
  const secret = sandboxApps.daemon.sandboxSecret;
  const spa = form.getByLabel('SPA: Application (client) ID');
  await spa.fill(secret);
  await expect(spa).toHaveValue('');
  await expect(spa).toHaveAccessibleDescription(
    /This looks like a client secret, so it was cleared and not saved\. Secrets never go in the browser/,
  );
  await expect(spa).toHaveAccessibleDescription(/\.env/);
  await form.getByLabel('Directory (tenant) ID').fill(SANDBOX_TENANT_ID);
  await form.getByLabel('API: Application (client) ID').fill(sandboxApps.api.clientId);
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.locator('[data-part="status"]')).toHaveText('Not saved: fix the fields listed above.');
  const everything = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href);
  expect(everything).not.toContain(secret);
  expect(await stored(page)).toBeNull();
});

test('saving a real tenant moves the header badge on every page, in another open tab too; reset brings the sandbox back', async ({
  page,
  context,
}) => {
  const other = await context.newPage();
  await other.goto('/guides/real-tenant/');
  await expect(badge(other)).toContainText('Sandbox tenant');

  await page.goto(SETTINGS);
  await expect(badge(page)).toHaveAttribute('data-kind', 'sandbox');
  await expect(badge(page)).toContainText('server config');
  const ids = realIds();
  await fillSettings(page, ids);
  await save(page);
  const text = `Real tenant · ${ids.tenantId.slice(0, 8)}…`;
  await expect(badge(page)).toContainText(text);
  await expect(badge(page)).toContainText('browser settings');
  await expect(badge(page)).toHaveAttribute('data-kind', 'real');
  expect(JSON.parse((await stored(page)) as string)).toEqual({
    tenantId: ids.tenantId,
    spaClientId: ids.spaClientId,
    apiClientId: ids.apiClientId,
    authorityHost: ENTRA_PUBLIC_CLOUD,
  });
  await expect(widget(page).locator('[data-part="effective"]')).toContainText(`${ENTRA_PUBLIC_CLOUD}/${ids.tenantId}/v2.0`);
  await expect(widget(page).locator('[data-part="effective"]')).toContainText(`api://${ids.apiClientId}/${sandboxApps.api.scopes[0]}`);

  // The other tab was open all along: the storage event updates its badge without a reload.
  await expect(badge(other)).toContainText(text);
  await other.goto('/tools/sign-in/');
  await expect(badge(other)).toContainText(text);
  await expect(badge(other)).toHaveAttribute('href', SETTINGS);

  await widget(page).getByRole('button', { name: 'Reset to sandbox' }).click();
  await expect(badge(page)).toContainText('Sandbox tenant');
  await expect(badge(page)).toContainText('server config');
  await expect(badge(other)).toContainText('Sandbox tenant');
  expect(await stored(page)).toBeNull();
  await expect(widget(page).getByLabel('Directory (tenant) ID')).toHaveValue('');
});

test('the widgets on other pages use the saved settings: the sign-in widget asks the tenant for the SPA client ID saved here', async ({
  page,
}) => {
  await page.goto(SETTINGS);
  const unknownSpa = crypto.randomUUID();
  await fillSettings(page, { ...sandboxIds, spaClientId: unknownSpa });
  await save(page);
  await page.goto('/tools/sign-in/');
  const signIn = page.locator('sign-in-widget').getByRole('button', { name: 'Sign in', exact: true });
  await expect(signIn).toBeEnabled();
  await signIn.click();
  // Entra (and the sandbox) show an unknown client on their own error page, never redirecting back.
  await page.waitForURL((url) => url.origin === lab.tenantOrigin && url.searchParams.get('client_id') === unknownSpa);
  await expect(page.getByText('AADSTS700016').first()).toBeVisible();
});

test('share link: carries the five public IDs in the fragment; opening it pre-fills the form and applies only after "Use these settings"', async ({
  page,
  context,
}) => {
  await page.goto(SETTINGS);
  const ids = realIds();
  await fillSettings(page, ids);
  await widget(page).getByLabel('API: Application ID URI (optional)').fill(`api://${ids.apiClientId}`);
  await widget(page).getByRole('button', { name: 'Copy share link' }).click();
  const link = await widget(page).getByLabel('Share link (public IDs only)').inputValue();
  const url = new URL(link);
  expect(url.pathname).toBe(SETTINGS);
  expect(url.search).toBe('');
  expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({
    tenant: ids.tenantId,
    spa: ids.spaClientId,
    api: ids.apiClientId,
    appIdUri: `api://${ids.apiClientId}`,
    authority: ENTRA_PUBLIC_CLOUD,
  });
  expect(await stored(page)).toBeNull(); // copying a link saves nothing

  const colleague = await context.newPage();
  await colleague.goto(link);
  const panel = widget(colleague).locator('[data-part="shared"]');
  await expect(panel).toBeVisible();
  await expect(widget(colleague).getByLabel('Directory (tenant) ID')).toHaveValue(ids.tenantId);
  await expect(widget(colleague).getByLabel('SPA: Application (client) ID')).toHaveValue(ids.spaClientId);
  // Not applied yet: nothing stored, the badge still says sandbox.
  expect(await stored(colleague)).toBeNull();
  await expect(badge(colleague)).toContainText('Sandbox tenant');

  await panel.getByRole('button', { name: 'Use these settings' }).click();
  await expect(badge(colleague)).toContainText(`Real tenant · ${ids.tenantId.slice(0, 8)}…`);
  await expect(panel).toBeHidden();
  expect(new URL(colleague.url()).hash).toBe('');
  expect(JSON.parse((await stored(colleague)) as string)).toMatchObject({
    tenantId: ids.tenantId,
    apiAppIdUri: `api://${ids.apiClientId}`,
  });
});

test('share link with a bad value, a secret and an unknown parameter: each shown as refused, nothing applied', async ({ page }) => {
  const secret = sandboxApps.daemon.sandboxSecret;
  const fragment = new URLSearchParams({ tenant: 'not-a-tenant', spa: sandboxApps.spa.clientId, api: secret, client_secret: secret });
  await page.goto(`${SETTINGS}#${fragment}`);
  const form = widget(page);
  const refused = form.locator('[data-part="shared-refused"]');
  await expect(refused).toContainText('“api” holds what looks like a client secret; it was discarded.');
  await expect(refused).toContainText('“client_secret” is not a setting, so it was ignored');
  await expect(refused).not.toContainText(secret);
  await expect(form.getByLabel('Directory (tenant) ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Directory (tenant) ID')).toHaveAccessibleDescription(/“not-a-tenant” is not a GUID/);
  await expect(form.getByLabel('API: Application (client) ID')).toHaveValue('');

  await form.getByRole('button', { name: 'Use these settings' }).click();
  await expect(form.locator('[data-part="status"]')).toHaveText('Not saved: fix the fields listed above.');
  expect(await stored(page)).toBeNull();
  await expect(badge(page)).toContainText('Sandbox tenant');

  await form.getByRole('button', { name: 'Ignore the link' }).click();
  await expect(form.locator('[data-part="shared"]')).toBeHidden();
  await expect(form.getByLabel('Directory (tenant) ID')).toHaveValue('');
  expect(await page.evaluate(() => location.href)).not.toContain(secret);
});

async function runCheck(page: Page): Promise<void> {
  await widget(page).getByRole('button', { name: 'Check my setup' }).click();
  await expect(step(page, 'daemon')).not.toHaveAttribute('data-status', /idle|running/, { timeout: 20_000 });
}

test('check my setup passes every step against the sandbox tenant configured as a real tenant would be', async ({ page }) => {
  const errors = collectUnexpectedConsoleErrors(page, [lab.tenant.token]);
  await page.goto(SETTINGS);
  await fillSettings(page, sandboxIds);
  await save(page);
  await expect(badge(page)).toContainText('Sandbox tenant');
  await expect(badge(page)).toContainText('browser settings');

  await runCheck(page);
  for (const id of ['discovery', 'keys', 'client', 'daemon']) await expect(step(page, id)).toHaveAttribute('data-status', 'pass');
  await expect(step(page, 'discovery')).toContainText(lab.tenant.issuer);
  await expect(step(page, 'keys')).toContainText(/\d+ signing keys? published/);
  await expect(step(page, 'client')).toContainText(`The tenant knows client ${sandboxApps.spa.clientId}`);
  await expect(step(page, 'daemon')).toContainText('GET /api/tasks answered 200');
  await expect(step(page, 'sign-in')).toHaveAttribute('data-status', 'waiting');

  await signInInPopup(page, () => step(page, 'sign-in').getByRole('button', { name: 'Try a sign-in' }).click(), 'alice');
  await expect(step(page, 'sign-in')).toHaveAttribute('data-status', 'pass');
  await expect(step(page, 'sign-in')).toContainText(`Signed in as ${sandboxUsers.alice.preferredUsername}`);
  await expect(step(page, 'sign-in')).toContainText(`aud: ${sandboxApps.api.clientId}`);
  await expect(step(page, 'api')).toHaveAttribute('data-status', 'pass');
  await expect(step(page, 'api')).toContainText('The API accepted the token (200)');
  await expect(widget(page)).not.toContainText('eyJ'); // no token on the page
  expect(errors).toEqual([]);
});

test('check my setup explains AADSTS700016 when the SPA client ID is not an app of the tenant', async ({ page }) => {
  await page.goto(SETTINGS);
  await fillSettings(page, { ...sandboxIds, spaClientId: crypto.randomUUID() });
  await save(page);
  await runCheck(page);
  await expect(step(page, 'discovery')).toHaveAttribute('data-status', 'pass');
  const client = step(page, 'client');
  await expect(client).toHaveAttribute('data-status', 'fail');
  const card = client.locator('.lab-error-card');
  await expect(card).toContainText('AADSTS700016');
  await expect(card).toContainText('Application not found in the tenant');
  await expect(card).toContainText('Fix:');
  await expect(client.getByRole('link', { name: 'AADSTS700016 in Troubleshooting' })).toHaveAttribute(
    'href',
    '/guides/troubleshooting/#aadsts700016',
  );
});

test('check my setup explains AADSTS90002 when the tenant ID is not a tenant; steps that need it are skipped', async ({ page }) => {
  await page.goto(SETTINGS);
  await fillSettings(page, { ...sandboxIds, tenantId: crypto.randomUUID() });
  await save(page);
  await expect(badge(page)).toHaveAttribute('data-kind', 'real');
  await runCheck(page);
  const discovery = step(page, 'discovery');
  await expect(discovery).toHaveAttribute('data-status', 'fail');
  await expect(discovery.locator('.lab-error-card')).toContainText('AADSTS90002');
  await expect(discovery.locator('.lab-error-card')).toContainText('Tenant not found');
  await expect(discovery.locator('.lab-error-card')).toContainText('Fix:');
  await expect(step(page, 'keys')).toHaveAttribute('data-status', 'skipped');
  await expect(step(page, 'client')).toHaveAttribute('data-status', 'skipped');
  // The daemon uses the server's .env, not the browser settings: it still passes.
  await expect(step(page, 'daemon')).toHaveAttribute('data-status', 'pass');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`settings page with errors and check results: 0 axe violations and no console errors in ${colorScheme} mode`, async ({ page }) => {
    test.slow();
    const unknownTenant = crypto.randomUUID();
    const errors = collectUnexpectedConsoleErrors(page, [`${lab.tenantOrigin}/${unknownTenant}/`]);
    await page.emulateMedia({ colorScheme });
    await page.goto(SETTINGS);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await widget(page).getByRole('button', { name: 'Save settings' }).click();
    await expect(widget(page).locator('[data-part="error-summary"]')).toBeVisible();
    // An unknown tenant: the badge turns to "Real tenant" and the first step shows an error card.
    await fillSettings(page, { ...sandboxIds, tenantId: unknownTenant });
    await save(page);
    await expect(badge(page)).toHaveAttribute('data-kind', 'real');
    await runCheck(page);
    await expect(step(page, 'discovery').locator('.lab-error-card')).toBeVisible();
    await widget(page).getByLabel('Directory (tenant) ID').fill('nope');
    await widget(page).getByRole('button', { name: 'Save settings' }).click();
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });
}

test('on a 360 px phone, the settings page with its check results never scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(SETTINGS);
  await fillSettings(page, { ...sandboxIds, tenantId: crypto.randomUUID() });
  await save(page);
  await runCheck(page);
  await expect(step(page, 'discovery').locator('.lab-error-card')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('the cloud list offers only authorities the Content-Security-Policy lets the page reach', async ({ page }) => {
  await page.goto(SETTINGS);
  const policy = (await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content')) ?? '';
  const connect = /connect-src ([^;]*)/.exec(policy)?.[1]?.split(/\s+/) ?? [];
  const offered = await widget(page)
    .getByLabel('Cloud (authority host)')
    .locator('option')
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  expect(offered).toContain(ENTRA_PUBLIC_CLOUD);
  expect(offered).toContain(sandboxAuthority);
  for (const authority of offered) expect(connect).toContain(authority);
});

async function badgeFits(context: BrowserContext, width: number, colorScheme: 'light' | 'dark'): Promise<void> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 740 });
  await page.emulateMedia({ colorScheme });
  await page.goto('/guides/start-here/');
  await expect(badge(page)).toBeVisible();
  await expect(badge(page)).toHaveAccessibleName(/Widgets use: Sandbox tenant · server config/);
  const header = page.locator('header');
  const controls = [badge(page), header.getByRole('button', { name: /search/i }).first()];
  if (width < 800) controls.push(page.getByRole('button', { name: /menu/i }).first());
  else controls.push(header.getByRole('combobox', { name: /theme/i }).first());
  for (const control of controls) {
    await expect(control).toBeVisible();
    const box = await control.boundingBox();
    expect(box, 'header control is laid out').not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0), 'header control stays on screen').toBeLessThanOrEqual(width);
  }
  await page.close();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`header badge fits beside search, theme and menu at 360 px and 1280 px in ${colorScheme} mode`, async ({ context }) => {
    await badgeFits(context, 360, colorScheme);
    await badgeFits(context, 1280, colorScheme);
  });
}
