import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'yaml';
import { loadLabConfig } from '../../src/config/lab.ts';
import { type Flow, flowSchema } from '../../src/data/schemas.ts';
import { signInInPopup } from '../support/popup-sign-in.ts';

const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const flow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));

/** Records, in the page, the order in which each tracer's steps light up. */
async function recordLighting(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const order: Record<string, string[]> = {};
    (window as unknown as { __lit: typeof order }).__lit = order;
    document.addEventListener('lab:trace', (event) => {
      const trace = (event as CustomEvent<{ flowId: string; steps: { id: string }[]; status: string[] }>).detail;
      order[trace.flowId] ??= [];
      const list = order[trace.flowId] as string[];
      trace.steps.forEach((step, i) => {
        if (trace.status[i] !== 'waiting' && !list.includes(step.id)) list.push(step.id);
      });
    });
  });
}

const lit = (page: Page) => page.evaluate(() => (window as unknown as { __lit: Record<string, string[]> }).__lit);

test.describe('Live flow tracer: diagram messages light up as the real legs happen', () => {
  test('both flows light every step, in the order of content/flows, with the diagram messages marked', async ({ page }) => {
    await recordLighting(page);
    await page.goto('/tools/side-by-side/');
    const tracer = (id: string) => page.locator(`flow-tracer[data-flow="${id}"]`);
    // The page's widget code loads on first use (src/widgets/shared/lazyWidgets.ts): pointing at a trace starts it.
    await tracer('auth-code-pkce').hover();
    await expect(tracer('auth-code-pkce')).toHaveAttribute('data-connection', 'up');
    await expect(tracer('client-credentials')).toHaveAttribute('data-connection', 'up');
    await signInInPopup(page, () => page.getByRole('button', { name: 'Run both flows' }).click(), 'bob');
    for (const id of ['auth-code-pkce', 'client-credentials']) {
      const steps = flow(id).steps;
      await expect(tracer(id)).toHaveAttribute('data-cursor', String(steps.length - 1), { timeout: 20_000 });
      for (const step of steps) {
        // Every step lit: observed, implied for one no program can see, or failed (the daemon's run ends
        // with a POST the API refuses with 403, on purpose); none waiting or skipped.
        const lit = /^(seen|implied|failed)$/;
        await expect(tracer(id).locator(`li[data-step="${step.id}"]`), `${id} ${step.id}`).toHaveAttribute('data-status', lit);
        await expect(page.locator(`figure.flow-diagram[data-flow="${id}"] g.flow-step[data-step="${step.id}"]`).first()).toHaveAttribute(
          'data-trace',
          lit,
        );
      }
      // Up to the token, every leg really was observed.
      const tokenResponse = steps.findIndex((s) => s.id === 'token-response');
      for (const step of steps.slice(0, tokenResponse + 1).filter((s) => s.event)) {
        await expect(tracer(id).locator(`li[data-step="${step.id}"]`), `${id} ${step.id}`).toHaveAttribute('data-status', 'seen');
      }
      expect((await lit(page))[id], `${id} lit in flow order`).toEqual(steps.map((s) => s.id));
    }
  });

  test('the timeline expands to the masked request and response of a leg, with no token in it', async ({ page }) => {
    await page.goto('/tools/side-by-side/');
    await signInInPopup(page, () => page.getByRole('button', { name: 'Run both flows' }).click(), 'alice');
    const tokenStep = page.locator('flow-tracer[data-flow="auth-code-pkce"] li[data-step="token-response"]');
    await expect(tokenStep).toHaveAttribute('data-status', 'seen', { timeout: 20_000 });
    await tokenStep.getByText('Request and response').click();
    await expect(tokenStep.locator('.lab-tracer__leg[data-source="tenant"]')).toBeVisible();
    const text = (await tokenStep.textContent()) ?? '';
    // A full JWT (three base64url segments) never appears: tokens are shortened or decoded without signature.
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/);
  });

  test('one attendee never sees another’s events: a second browser context’s tracer stays idle', async ({ browser, page }) => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto('/tools/side-by-side/');
    await otherPage.locator('flow-tracer[data-flow="auth-code-pkce"]').hover(); // widget code loads on first use
    await expect(otherPage.locator('flow-tracer[data-flow="auth-code-pkce"]')).toHaveAttribute('data-connection', 'up');
    await page.goto('/tools/side-by-side/');
    await signInInPopup(page, () => page.getByRole('button', { name: 'Run both flows' }).click(), 'alice');
    await expect(page.locator('flow-tracer[data-flow="client-credentials"]')).toHaveAttribute('data-cursor', /^[1-9]/, { timeout: 20_000 });
    await expect(otherPage.locator('flow-tracer[data-flow="auth-code-pkce"]')).toHaveAttribute('data-cursor', '-1');
    await expect(otherPage.locator('flow-tracer[data-flow="client-credentials"]')).toHaveAttribute('data-cursor', '-1');
    await other.close();
  });

  test('event stream down: the tracer says so and how to start the lab, and still traces what the browser sees', async ({ page }) => {
    await page.route(`${lab.tenantOrigin}/_lab/**`, (route) => route.abort('connectionrefused'));
    await page.goto('/tools/side-by-side/');
    const tracer = page.locator('flow-tracer[data-flow="auth-code-pkce"]');
    await tracer.hover(); // widget code loads on first use
    await expect(tracer).toHaveAttribute('data-connection', 'down');
    await expect(tracer.locator('[data-part="connection"]')).toContainText('npm start');
    await signInInPopup(page, () => page.getByRole('button', { name: 'Run both flows' }).click(), 'alice');
    // Legs the page itself ran are still traced from the browser's side.
    await expect(tracer.locator('li[data-step="token-request"]')).toHaveAttribute('data-status', 'seen', { timeout: 20_000 });
    await expect(tracer.locator('li[data-step="token-request"] [data-part="status"]')).toHaveText(/^seen by browser: POST /);
  });
});
