import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';

/** The reference pages and the troubleshooting catalog, all rendered from content/*.yaml. */
const pages = [
  { path: '/reference/claims/', heading: 'Token claims' },
  { path: '/reference/endpoints/', heading: 'Endpoints' },
  { path: '/reference/glossary/', heading: 'Glossary' },
  { path: '/reference/standards/', heading: 'Standards' },
  { path: '/reference/sandbox-differences/', heading: 'Sandbox vs Entra' },
  { path: '/guides/troubleshooting/', heading: 'Troubleshooting' },
] as const;

const ids = (file: string) => (parse(readFileSync(file, 'utf8')) as { id: string }[]).map((entry) => entry.id);

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`reference pages in ${colorScheme} mode`, () => {
    test.use({ colorScheme });

    for (const { path, heading } of pages) {
      test(`${path} loads, logs no console errors and has 0 axe violations`, async ({ page }) => {
        const errors = collectConsoleErrors(page);
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
        await page.waitForLoadState('networkidle');
        // Checked before axe runs: axe injects its own script and styles, which the page's CSP reports.
        expect(errors).toEqual([]);
        await expectNoAxeViolations(page);
      });
    }
  });
}

test.describe('troubleshooting catalog', () => {
  const codes = ids('content/errors.yaml');

  test('has one anchor per catalog code, named after the code (#aadsts50011)', async ({ page }) => {
    await page.goto('/guides/troubleshooting/');
    await expect(page.locator('article.error-card')).toHaveCount(codes.length);
    for (const code of codes) await expect(page.locator(`#${code.toLowerCase()}`)).toHaveCount(1);
  });

  test('a link to a code lands on its entry, with the message Entra prints', async ({ page }) => {
    await page.goto('/guides/troubleshooting/#aadsts50011');
    const card = page.locator('#aadsts50011');
    await expect(card).toBeInViewport();
    await expect(card.getByRole('heading', { level: 3 })).toContainText('AADSTS50011');
    await expect(card).toContainText('AADSTS50011: The redirect URI');
  });

  test('the filter narrows the catalog from the keyboard and announces how many codes match', async ({ page }) => {
    await page.goto('/guides/troubleshooting/');
    const filter = page.getByRole('searchbox', { name: 'Filter the catalog' });
    await filter.focus();
    await page.keyboard.type('invalid_client');
    const shown = page.locator('article.error-card:visible');
    const count = await shown.count();
    expect(count).toBeGreaterThan(3);
    expect(count).toBeLessThan(codes.length);
    for (const card of await shown.all()) await expect(card).toContainText('invalid_client');
    await expect(page.locator('output[for="error-filter-input"]')).toHaveText(`${count} of ${codes.length} codes match`);

    await filter.fill('');
    await expect(page.locator('article.error-card:visible')).toHaveCount(codes.length);
  });

  test('a filter that matches nothing in a section says so in that section', async ({ page }) => {
    await page.goto('/guides/troubleshooting/');
    await page.getByRole('searchbox', { name: 'Filter the catalog' }).fill('IDX10214');
    await expect(page.locator('article.error-card:visible')).toHaveCount(1);
    await expect(page.getByText('No code in this section matches the filter.').first()).toBeVisible();
  });
});

test.describe('claims reference', () => {
  test('lists every claim of content/claims.yaml and links each matrix row to its explanation', async ({ page }) => {
    await page.goto('/reference/claims/');
    const claims = ids('content/claims.yaml');
    await expect(page.locator('section.claim')).toHaveCount(claims.length);
    await page.getByRole('table').getByRole('link', { name: 'scp', exact: true }).click();
    await expect(page).toHaveURL(/#claim-scp$/);
    await expect(page.locator('#claim-scp')).toBeInViewport();
    await expect(page.locator('#claim-scp')).toContainText('Decide access');
  });

  test('says in words, not only colour, which tokens carry a claim', async ({ page }) => {
    await page.goto('/reference/claims/');
    const scpRow = page.getByRole('row', { name: /^scp\b/ });
    // ID token, access token (user), access token (app-only)
    await expect(scpRow.getByRole('cell')).toHaveText(['No', 'Yes', 'No', '1.0, 2.0', 'Decide access']);
  });
});

test('glossary: every term has its own anchor', async ({ page }) => {
  await page.goto('/reference/glossary/');
  for (const id of ids('content/glossary.yaml')) await expect(page.locator(`[id="${id}"]`)).toHaveCount(1);
});

test.describe('every fact shows its source', () => {
  test('each catalog entry links its Microsoft Learn page, RFC or source file by title', async ({ page }) => {
    await page.goto('/guides/troubleshooting/');
    const card = page.locator('#aadsts50011');
    const link = card.getByRole('link', { name: 'Microsoft Learn, Redirect URI (reply URL) best practices and limitations' });
    await expect(link).toHaveAttribute('href', 'https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions');
    await expect(card).toContainText('Source: Microsoft Learn, Redirect URI (reply URL) best practices and limitations');
    // Every card names its source, or says why there is none (schemas.ts: source or verification).
    const sourced = page.locator('article.error-card').filter({ hasText: /Source: |Not documented by Microsoft: |Sandbox only: / });
    await expect(sourced).toHaveCount(ids('content/errors.yaml').length);
    await expect(page.locator('#aadsts28000')).toContainText(
      "Not documented by Microsoft: AADSTS28000 is not in Microsoft's error-code reference",
    );
  });

  test('each claim links its source, and an unverified statement says why', async ({ page }) => {
    await page.goto('/reference/claims/');
    await expect(page.locator('#claim-aud').getByRole('link', { name: 'Microsoft Learn, Access token claims reference' })).toBeVisible();
    await expect(page.locator('#claim-jti').getByRole('link', { name: /^Microsoft Learn, .*certificate credentials$/ })).toBeVisible();
    await expect(page.locator('#claim-sub')).toContainText('Not documented by Microsoft: Microsoft does not say which application');
  });

  test('each standard names the Microsoft docs behind its "In Entra" statement', async ({ page }) => {
    await page.goto('/reference/standards/');
    await expect(
      page.locator('#rfc9700').getByRole('link', { name: 'Microsoft Learn, Refresh tokens in the Microsoft identity platform' }),
    ).toBeVisible();
  });
});
