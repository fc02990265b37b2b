import { expect, test } from '@playwright/test';
import { loadLabConfig } from '../../src/config/lab.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

test('CSP: every script is hashed or from the site, and pages may only connect to the lab and the authority', async ({ page }) => {
  await page.goto('/');
  const policy = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(policy).toBeTruthy();
  const csp = directives(policy as string);
  const scriptSrc = csp.get('script-src') ?? [];
  expect(scriptSrc).toContain("'self'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(scriptSrc.filter((s) => !s.startsWith("'sha256-") && s !== "'self'")).toEqual([]);
  expect(csp.get('connect-src')).toEqual(
    expect.arrayContaining(["'self'", lab.apiOrigin, lab.tenantOrigin, new URL(lab.tenant.authority).origin]),
  );
  expect(csp.get('connect-src')?.every((s) => s === "'self'" || s.startsWith('http://localhost:') || s.startsWith('https://'))).toBe(true);
  expect(csp.get('object-src')).toEqual(["'none'"]);
});

test('CSP: an injected inline script is blocked', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await page.goto('/');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.append(script);
  });
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  expect(violations.length).toBeGreaterThan(0);
});
