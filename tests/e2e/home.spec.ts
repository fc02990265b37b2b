import { expect, test } from '@playwright/test';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`home page in ${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test('loads with its title, says how to start, and logs no console errors', async ({ page }) => {
      const errors = collectConsoleErrors(page);
      await page.goto('/');
      await expect(page).toHaveTitle(/Entra Flows Lab/);
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      await expect(page.getByRole('heading', { name: 'Start in two commands' })).toBeVisible();
      await expect(page.getByText('npm install && npm start')).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(errors).toEqual([]);
    });

    test('has 0 axe violations', async ({ page }) => {
      await page.goto('/');
      await expectNoAxeViolations(page);
    });
  });
}
