import { expect, type Page, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';
import { TAMPER_PRESETS } from '../../src/widgets/tamper-lab/presets.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { signInInPopup } from '../support/popup-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const result = (page: Page) => page.locator('tamper-lab [data-part="result"]');

async function loadSandboxToken(page: Page): Promise<void> {
  await page.goto('/tools/tamper-lab/');
  await signInInPopup(page, () => page.getByRole('button', { name: 'Get a sandbox token' }).click());
  await expect(page.locator('tamper-lab [data-part="source-status"]')).toContainText('Token loaded');
}

async function send(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send to /api/explain' }).click();
  await expect(result(page)).toHaveAttribute('data-verdict', /accepted|rejected/);
}

test.describe('Tamper lab against the sample API’s /api/explain', () => {
  test('every classic attack is refused with its expected IDX reason, and the untampered token is accepted', async ({ page }) => {
    test.setTimeout(90_000);
    const errors = collectConsoleErrors(page);
    await loadSandboxToken(page);
    for (const preset of TAMPER_PRESETS) {
      await page.getByRole('button', { name: preset.label, exact: true }).click();
      await expect(page.getByRole('button', { name: preset.label, exact: true })).toHaveAttribute('aria-pressed', 'true');
      await send(page);
      await expect(result(page), preset.id).toHaveAttribute('data-first-code', preset.expected.first);
      if (preset.expected.first === 'accepted') await expect(result(page)).toHaveAttribute('data-verdict', 'accepted');
      else await expect(result(page)).toHaveAttribute('data-verdict', 'rejected');
      const failed = ((await result(page).getAttribute('data-failed-codes')) ?? '').split(' ');
      for (const code of preset.expected.alsoFails ?? []) expect(failed, `${preset.id} also fails ${code}`).toContain(code);
      await expect(result(page)).toContainText('The sample API did exactly that.');
    }
    expect(errors).toEqual([]);
  });

  test('IDX10214: the real, correctly signed ID token is refused by the audience check alone', async ({ page }) => {
    await loadSandboxToken(page);
    await page.getByRole('button', { name: 'Send the ID token instead' }).click();
    await send(page);
    await expect(result(page)).toHaveAttribute('data-first-code', 'IDX10214');
    await expect(result(page).locator('tr[data-step="signature"] td[data-status]')).toHaveAttribute('data-status', 'pass');
    await expect(result(page).locator('tr[data-step="audience"] td[data-status]')).toHaveAttribute('data-status', 'fail');
  });

  test('a hand edit (aud changed, re-signed with the attacker key) is refused at the key lookup and the audience', async ({ page }) => {
    await loadSandboxToken(page);
    const payload = page.getByLabel('Payload: claims (JSON)');
    const claims = JSON.parse(await payload.inputValue()) as Record<string, unknown>;
    await payload.fill(JSON.stringify({ ...claims, aud: 'another-api' }, null, 2));
    await page.getByRole('radio', { name: /Re-sign with a key I own/ }).check();
    await expect(page.locator('tamper-lab [data-part="changes"]')).toContainText('aud → another-api');
    await send(page);
    await expect(result(page)).toHaveAttribute('data-first-code', 'IDX10511');
    expect(((await result(page).getAttribute('data-failed-codes')) ?? '').split(' ')).toContain('IDX10214');
  });

  test('says which part is wrong when the edited JSON does not parse', async ({ page }) => {
    await loadSandboxToken(page);
    await page.getByLabel('Header (JSON)').fill('{"alg": ');
    await page.getByRole('button', { name: 'Send to /api/explain' }).click();
    await expect(result(page)).toContainText('The header is not valid JSON');
  });

  test('API down: the lab says the sample API did not answer and how to start it', async ({ page }) => {
    await loadSandboxToken(page);
    await page.route(`${lab.apiOrigin}/**`, (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Send to /api/explain' }).click();
    await expect(result(page)).toContainText(`The sample API at ${lab.apiOrigin} did not answer`);
    await expect(result(page)).toContainText('npm start');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`has 0 axe violations in ${colorScheme} mode with a result shown`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme });
      await page.goto('/tools/tamper-lab/');
      await expectNoAxeViolations(page);
      await loadSandboxToken(page);
      await page.getByRole('button', { name: 'alg: none, signature removed' }).click();
      await send(page);
      await expectNoAxeViolations(page);
    });
  }
});
