/**
 * The "your own app" guide shows what the tests ran: the CA trust lines are the ones `npm start`
 * prints (src/config/caTrust.ts, through pageTrustLines), and the client code is the tested
 * interop clients' code, region by region. If either drifts, these fail.
 */
import { readFileSync } from 'node:fs';
import { expect, type Locator, test } from '@playwright/test';
import { extractRegion } from '../../src/components/extractRegion.ts';
import { pageTrustLines } from '../../src/components/your-app/pageTrustLines.ts';

const PATH = '/guides/your-app/';

/** The command each trust-line section in `scope` shows, in page order, as [ecosystem, command]. */
function shownTrustLines(scope: Locator) {
  return scope.locator('[data-trust-line]').evaluateAll((sections) =>
    sections.map((section) => [
      section.getAttribute('data-trust-line') as string,
      // Expressive Code keeps the exact code for its copy button, newlines as U+007F.
      (section.querySelector('[data-code]')?.getAttribute('data-code') ?? '').replaceAll('\u007f', '\n'),
    ]),
  );
}

test('the trust lines on the page are caTrustLines’ lines, every ecosystem, in order', async ({ page }) => {
  await page.goto(PATH);
  const expected = pageTrustLines().map((line) => [line.ecosystem, line.command]);
  // The full list under "Trust the lab's certificate authority".
  expect(await shownTrustLines(page.locator('.trust-lines').first())).toEqual(expected);
  // Each language section repeats its own lines, unchanged.
  const everywhere = await shownTrustLines(page.locator('main'));
  const byEcosystem = new Map(expected.map(([ecosystem, command]) => [ecosystem, command]));
  expect(everywhere.length).toBeGreaterThan(expected.length);
  for (const [ecosystem, command] of everywhere) expect(command).toBe(byEcosystem.get(ecosystem as string));
});

const SHOWN_REGIONS = [
  ['tests/interop/clients/azure-identity.ts', 'credential'],
  ['tests/interop/clients/openid-client.ts', 'discovery'],
  ['tests/interop/clients/jsonwebtoken-validate.ts', 'configure'],
  ['tests/interop/clients/msal_python_client_credentials.py', 'app'],
  ['tests/interop/clients/pyjwt_validate_access_token.py', 'validate'],
  ['sandbox.directory.example.yaml', 'spa'],
] as const;

test('the code on the page is the tested clients’ code, region by region', async ({ page }) => {
  await page.goto(PATH);
  const codes = await page
    .locator('[data-code]')
    .evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('data-code') ?? '').replaceAll('\u007f', '\n')));
  for (const [file, region] of SHOWN_REGIONS) {
    const { code } = extractRegion(readFileSync(file, 'utf8'), region, file);
    expect(codes, `${file} #region ${region} is on the page verbatim`).toContain(code);
  }
});

test('the .NET section says plainly that it is not tested here', async ({ page }) => {
  await page.goto(PATH);
  const section = page.getByRole('heading', { name: '.NET (not tested here)' });
  await expect(section).toBeVisible();
  await expect(page.getByRole('complementary').filter({ hasText: 'Not tested here' }).first()).toBeVisible();
});
