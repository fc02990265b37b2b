/**
 * The presenter's step-through of on-behalf-of, keyboard only, against the real lab: → signs alice in
 * (combined consent for the Tasks API's /.default) and makes the one real call to GET /api/me/profile;
 * the next two presses show the exchange and the Profile API call the Tasks API ran.
 */
import { expect, test } from '@playwright/test';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { lab, nextStep, openPresenting, signInWithKeyboard, stage, stageFields } from '../support/workshop-keyboard.ts';

test.use({ viewport: { width: 1920, height: 1080 } });

const diagramStep = (page: import('@playwright/test').Page, step: string) =>
  page.locator(`figure.flow-diagram[data-flow="on-behalf-of"] g.flow-step[data-step="${step}"]`).first();

test('on-behalf-of by keyboard alone: sign-in with combined consent and the call, the exchange, the Profile API', async ({ page }) => {
  await openPresenting(page, '/guides/on-behalf-of/');
  await expect(stage(page)).toHaveAttribute('data-shown', '0');

  const popupPromise = page.waitForEvent('popup');
  await page.keyboard.press('ArrowRight');
  const popup = await popupPromise;
  await expect(popup).toHaveURL(new RegExp(`^${lab.tenantOrigin}/`));
  await signInWithKeyboard(popup);
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  const tokenA = await stageFields(page);
  expect(tokenA.aud).toBe(sandboxApps.api.clientId);
  expect(tokenA.oid).toBe(sandboxUsers.alice.oid);

  expect(await nextStep(page, 2)).toMatch(/jwt-bearer|MSAL Node’s cache/);
  const exchange = await stageFields(page);
  expect(exchange['token B aud']).toBe(sandboxApps.profileApi.clientId);
  expect(exchange['token B azp']).toBe(sandboxApps.api.clientId);
  expect(JSON.stringify(exchange)).not.toContain(sandboxApps.api.sandboxSecret);

  expect(await nextStep(page, 3)).toMatch(/^200: the Profile API returned Alice Smith/);
  expect((await stageFields(page))['calledBy.azp']).toBe(sandboxApps.api.clientId);
  await expect(diagramStep(page, 'api-response')).toHaveAttribute('data-present-step', 'current');
  await expect(diagramStep(page, 'obo-request')).toHaveAttribute('data-present-step', 'done');
});
