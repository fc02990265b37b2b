import { expect, test } from '@playwright/test';
import { SANDBOX_DIFFERENCES } from '../../servers/tenant/differences.ts';

test('Start here lists every way the sandbox tenant differs from Entra, from the tenant’s own list', async ({ page }) => {
  await page.goto('/guides/start-here/');
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'The sandbox tenant' }) });
  for (const difference of SANDBOX_DIFFERENCES) {
    await expect(table.getByRole('rowheader', { name: difference.topic, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('row')).toHaveCount(SANDBOX_DIFFERENCES.length + 1);
});
