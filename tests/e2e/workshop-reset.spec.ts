/**
 * The one-key sandbox reset against the real lab: R, then Enter, and everything issued before is
 * worthless — access tokens refused by the API (their key left the JWKS: IDX10503), refresh tokens
 * refused by the tenant (invalid_grant), the tenant asks for the password and consent again — and
 * the API's data is back to the seed.
 */
import { type APIRequestContext, expect, test } from '@playwright/test';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { lab, openPresenting, signInWithKeyboard, stage, stepThroughAuthCode } from '../support/workshop-keyboard.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** A real client-credentials token from the sandbox tenant (RFC 6749 §4.4), as the daemon gets it. */
async function daemonToken(request: APIRequestContext): Promise<string> {
  const response = await request.post(lab.tenant.token, {
    headers: formHeaders,
    data: form({
      grant_type: 'client_credentials',
      client_id: sandboxApps.daemon.clientId,
      client_secret: sandboxApps.daemon.sandboxSecret,
      scope: lab.defaultScope,
    }),
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The SPA's refresh-token grant (RFC 6749 §6), cross-origin from the site as Entra requires for SPAs. */
const refresh = (request: APIRequestContext, refreshToken: string) =>
  request.post(lab.tenant.token, {
    headers: { ...formHeaders, Origin: lab.siteOrigin },
    data: form({
      grant_type: 'refresh_token',
      client_id: sandboxApps.spa.clientId,
      refresh_token: refreshToken,
      scope: lab.delegatedScopes.join(' '),
    }),
  });

const tasks = (request: APIRequestContext, token: string) =>
  request.get(`${lab.apiOrigin}/api/tasks`, { headers: { Authorization: `Bearer ${token}` } });

test('R + Enter resets the sandbox: old tokens refused, everyone signed out, data back to the seed', async ({ page, request }) => {
  // The tokens the step-through really received, read off the wire.
  let issued: { access_token: string; refresh_token: string } | undefined;
  page.on('response', async (response) => {
    if (response.request().method() === 'POST' && response.url().startsWith(lab.tenant.token) && response.ok())
      issued = await response.json();
  });
  await openPresenting(page, '/guides/auth-code-pkce/');
  await stepThroughAuthCode(page);
  expect(issued?.refresh_token, 'offline_access gives the SPA a refresh token').toBeTruthy();
  const user = issued as { access_token: string; refresh_token: string };

  // Before: both kinds of token work, and alice changes the data.
  const daemon = await daemonToken(request);
  const seedCount = ((await (await tasks(request, daemon)).json()) as { tasks: unknown[] }).tasks.length;
  const written = await request.post(`${lab.apiOrigin}/api/tasks`, {
    headers: { Authorization: `Bearer ${user.access_token}`, 'Content-Type': 'application/json' },
    data: { title: 'Written before the reset' },
  });
  expect(written.status()).toBe(201);
  expect(((await (await tasks(request, daemon)).json()) as { tasks: unknown[] }).tasks).toHaveLength(seedCount + 1);
  const renewed = await refresh(request, user.refresh_token);
  expect(renewed.status()).toBe(200);
  const refreshToken = ((await renewed.json()) as { refresh_token: string }).refresh_token;

  // The reset, by keyboard: R opens the confirmation with "Reset the sandbox" focused, Enter confirms.
  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog', { name: 'Reset the sandbox?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Reset the sandbox' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.locator('output')).toHaveText(/The sandbox is reset/);
  await expect(dialog.getByRole('listitem')).toHaveText([
    /^tenant: Signed everyone out/,
    /^api: Tasks back to the seed/,
    /^profileApi: Forgot the cached signing keys/,
    /^webapp: Signed out of the web app/,
    /^daemon:/,
    /^events:/,
    /^this browser:/,
  ]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(stage(page), 'the step-through starts over').toHaveAttribute('data-shown', '0');

  // After: tokens from before are refused, with the reason a .NET API would log.
  for (const token of [user.access_token, daemon]) {
    const refused = await tasks(request, token);
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toContain('error="invalid_token"');
    expect(((await refused.json()) as { code?: string }).code).toBe('IDX10503');
  }
  const noRefresh = await refresh(request, refreshToken);
  expect(noRefresh.status()).toBe(400);
  expect(((await noRefresh.json()) as { error: string }).error).toBe('invalid_grant');

  // The data is the seed again, seen with a token minted after the reset.
  const after = await tasks(request, await daemonToken(request));
  expect(after.status()).toBe(200);
  const titles = ((await after.json()) as { tasks: { title: string }[] }).tasks.map((t) => t.title);
  expect(titles).toHaveLength(seedCount);
  expect(titles).not.toContain('Written before the reset');

  // Signed out: the next sign-in needs the password and the consent again (no session, no remembered consent).
  await page.keyboard.press('ArrowRight');
  await expect(stage(page)).toHaveAttribute('data-status', 'done');
  const popupPromise = page.waitForEvent('popup');
  await page.keyboard.press('ArrowRight');
  expect(await signInWithKeyboard(await popupPromise), 'password and consent asked again').toBe('consented');
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(stage(page)).toHaveAttribute('data-shown', '2');
});

test('a reset needs the confirmation and the lab’s own page', async ({ request }) => {
  const bare = await request.post(`${lab.siteOrigin}/_lab/workshop/reset`, {
    headers: { 'Content-Type': 'application/json' },
    data: { confirm: 'reset' },
  });
  expect(bare.status(), 'no Origin: not from the lab’s page').toBe(403);
  const unconfirmed = await request.post(`${lab.siteOrigin}/_lab/workshop/reset`, {
    headers: { 'Content-Type': 'application/json', Origin: lab.siteOrigin },
    data: {},
  });
  expect(unconfirmed.status()).toBe(400);
  expect(((await unconfirmed.json()) as { error_description: string }).error_description).toMatch(/Confirm with \{"confirm": "reset"\}/);
});

test('an attendee signed in with MSAL.js is signed out at their next page load after the presenter’s reset', async ({ browser, page }) => {
  const attendeeContext = await browser.newContext();
  const attendee = await attendeeContext.newPage();
  await attendee.goto('/tools/sign-in/');
  await expect(attendee.locator('html')).toHaveAttribute('data-workshop-ready', '');
  const popupPromise = attendee.waitForEvent('popup');
  await attendee.getByRole('button', { name: 'Sign in with a popup' }).click();
  await signInWithKeyboard(await popupPromise, 'bob');
  const who = attendee.locator('[data-widget] [data-part="who"]').first();
  await expect(who).toHaveText(/Signed in as Bob Jones/);
  // MSAL's cache entries: its indexes, and the tokens and account keyed with the client and tenant IDs.
  const cached = () =>
    attendee.evaluate(
      (ids) =>
        Object.keys(sessionStorage).filter(
          (key) => (key.startsWith('msal.') && key !== 'msal.version') || ids.some((id) => key.includes(id)),
        ),
      [sandboxApps.spa.clientId, lab.ids.tenantId],
    );
  expect((await cached()).length).toBeGreaterThan(0);
  await attendee.reload();
  await expect(who, 'without a reset, a reload keeps the sign-in').toHaveText(/Signed in as Bob Jones/);

  await page.goto('/workshop/?present');
  await expect(page.locator('html')).toHaveAttribute('data-workshop-ready', '');
  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog', { name: 'Reset the sandbox?' });
  await expect(dialog.getByRole('button', { name: 'Reset the sandbox' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.locator('output')).toHaveText(/The sandbox is reset/);

  await attendee.reload();
  await expect(who).toHaveText('Not signed in.');
  expect(await cached()).toEqual([]);
  await attendeeContext.close();
});
