import { expect, test } from '@playwright/test';
import { SANDBOX_DIFFERENCES } from '../../servers/tenant/differences.ts';

test('Sandbox vs Entra lists every way the sandbox tenant differs from Entra, from the tenant’s own list, each with its source', async ({
  page,
}) => {
  await page.goto('/reference/sandbox-differences/');
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'The sandbox tenant' }) });
  for (const difference of SANDBOX_DIFFERENCES) {
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: difference.topic, exact: true }) });
    await expect(row).toBeVisible();
    const { source } = difference;
    if (source.kind === 'microsoft-learn') {
      await expect(row).toContainText(`Source: Microsoft Learn, ${source.title}`);
      await expect(row.getByRole('link', { name: source.title, exact: true })).toHaveAttribute('href', source.url);
    } else if (source.kind === 'rfc') {
      await expect(row.getByRole('link', { name: source.title, exact: true })).toHaveAttribute('href', source.url);
    } else if (source.kind === 'unverified') {
      await expect(row).toContainText(`Not documented by Microsoft: ${source.reason}`);
    } else {
      await expect(row).toContainText(`Sandbox only: ${source.reason}`);
    }
  }
  await expect(table.getByRole('row')).toHaveCount(SANDBOX_DIFFERENCES.length + 1);
});

test('Start here explains the lab first: no differences table, a link to Sandbox vs Entra instead', async ({ page }) => {
  await page.goto('/guides/start-here/');
  await expect(page.getByRole('columnheader', { name: 'The sandbox tenant' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /sandbox does differently/i })).toHaveCount(0);
  await expect(page.locator('main a[href="/reference/sandbox-differences/"]').first()).toBeVisible();
});

test('each guide where a sandbox difference shows links to Sandbox vs Entra', async ({ page }) => {
  for (const path of ['/guides/troubleshooting/', '/guides/real-tenant/', '/guides/auth-code-pkce/', '/guides/side-by-side/']) {
    await page.goto(path);
    await expect(page.locator('main a[href^="/reference/sandbox-differences/"]'), path).not.toHaveCount(0);
  }
});
