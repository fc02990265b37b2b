/**
 * Workload identity federation, live: the daemon runs as a CI job against the real sandbox tenant,
 * its real workload issuer and the real sample API. Each "break it" button shows Entra's real error,
 * the tracer lights every leg, the controls work from the keyboard, and the pages pass axe in both
 * themes.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'yaml';
import { sandboxApps, workloadIdentity } from '../../src/config/sandbox.ts';
import { type Flow, flowSchema } from '../../src/data/schemas.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { nextStep, openPresenting, stage, stageFields } from '../support/workshop-keyboard.ts';

const flow: Flow = flowSchema.parse(parse(readFileSync('content/flows/workload-identity.yaml', 'utf8')));
const widget = (page: Page) => page.locator('workload-identity-run');
const step = (page: Page, id: string) => widget(page).locator(`li[data-step="${id}"]`);
const WHOLE_JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

test('RFC 7523 §2.2: the job’s token for an app-only token, no secret anywhere, both tokens compared', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto('/tools/workload-identity/');
  await widget(page).getByRole('button', { name: 'Run the CI job' }).click();
  await expect(step(page, 'workload-token')).toHaveAttribute('data-http', '200');
  await expect(step(page, 'token-response')).toHaveAttribute('data-http', '200');
  await expect(step(page, 'api-call')).toHaveAttribute('data-http', '200');
  const tokenRequest = step(page, 'token-request');
  await expect(tokenRequest).toContainText('client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  await expect(tokenRequest).not.toContainText('client_secret');
  const compare = widget(page).locator('table.compare');
  await expect(compare.locator('tr', { hasText: 'sub' }).first()).toContainText(workloadIdentity.federatedCredential.subject);
  await expect(compare.locator('tr', { hasText: 'roles' })).toContainText(sandboxApps.daemon.grantedAppRoles[0]);
  await expect(compare.locator('tr', { hasText: 'azp' })).toContainText(sandboxApps.daemon.clientId);
  await expect(widget(page).locator('output.status')).toContainText('Entra trusted the job’s token');
  expect(await widget(page).textContent()).not.toMatch(WHOLE_JWT);
  expect(await page.content()).not.toContain(workloadIdentity.sandboxRequestToken);
  expect(errors).toEqual([]);
});

for (const [button, code] of [
  ['Wrong issuer', 'AADSTS700211'],
  ['Wrong subject', 'AADSTS700213'],
  ['Subject in other case', 'AADSTS7002138'],
  ['Wrong audience', 'AADSTS700212'],
  ['Expired token', 'AADSTS700024'],
  ['Forged signature', 'AADSTS7000272'],
] as const) {
  test(`break it: "${button}" shows Entra's ${code} and no API call`, async ({ page }) => {
    await page.goto('/tools/workload-identity/');
    await widget(page).getByRole('button', { name: button, exact: true }).click();
    const card = widget(page).locator('[data-part="error"]');
    await expect(card).toContainText(code);
    await expect(card).toContainText('Fix:');
    await expect(step(page, 'token-response')).toHaveAttribute('data-status', 'failed');
    await expect(step(page, 'api-call')).toHaveAttribute('data-status', 'skipped');
  });
}

test('pretend to be the CI job, by keyboard only: a subject of your own is refused with AADSTS700213', async ({ page }) => {
  await page.goto('/tools/workload-identity/');
  const summary = widget(page).getByText('Pretend to be the CI job');
  await summary.focus();
  await page.keyboard.press('Enter');
  const subject = widget(page).getByLabel('Subject (sub)');
  await subject.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('repo:contoso/tasks-sync:pull_request');
  await page.keyboard.press('Enter');
  await expect(widget(page).locator('[data-part="error"]')).toContainText('AADSTS700213');
  await expect(widget(page).locator('[data-part="error"]')).toContainText('repo:contoso/tasks-sync:pull_request');
  // The run button answers the keyboard too, and the right subject works again.
  await widget(page).getByRole('button', { name: 'Run the CI job' }).focus();
  await page.keyboard.press('Enter');
  await expect(step(page, 'token-response')).toHaveAttribute('data-http', '200');
});

test('the tracer lights every leg of the flow, observed or implied, in the order of content/flows', async ({ page }) => {
  await page.goto('/guides/workload-identity/');
  const tracer = page.locator('flow-tracer[data-flow="workload-identity"]');
  await tracer.hover(); // the page's widget code loads on first use (src/widgets/shared/lazyWidgets.ts)
  await expect(tracer).toHaveAttribute('data-connection', 'up');
  await widget(page).getByRole('button', { name: 'Run the CI job' }).click();
  await expect(tracer).toHaveAttribute('data-cursor', String(flow.steps.length - 1), { timeout: 20_000 });
  for (const s of flow.steps) {
    const expected = s.event ? 'seen' : 'implied';
    await expect(tracer.locator(`li[data-step="${s.id}"]`), s.id).toHaveAttribute('data-status', expected);
    await expect(
      page.locator(`figure.flow-diagram[data-flow="workload-identity"] g.flow-step[data-step="${s.id}"]`).first(),
    ).toHaveAttribute('data-trace', expected);
  }
  expect((await tracer.textContent()) ?? '').not.toMatch(WHOLE_JWT);
});

test('presenter step-through by keyboard alone: the job’s token, the exchange, the API call, each lighting its legs', async ({ page }) => {
  await openPresenting(page, '/guides/workload-identity/');
  const tracer = page.locator('flow-tracer[data-flow="workload-identity"]');
  await expect(tracer).toHaveAttribute('data-connection', 'up');
  const diagramStep = (id: string) =>
    page.locator(`figure.flow-diagram[data-flow="workload-identity"] g.flow-step[data-step="${id}"]`).first();

  expect(await nextStep(page, 1)).toMatch(/signed by the job’s platform, not by Entra/);
  const job = await stageFields(page);
  expect(job.sub).toBe(workloadIdentity.federatedCredential.subject);
  expect(job.aud).toBe(workloadIdentity.federatedCredential.audience);
  expect(job.token, 'the page only ever sees the token shortened').toMatch(/^eyJ.{7}….{6} \([\d,]+ chars\)$/);
  await expect(diagramStep('workload-token')).toHaveAttribute('data-present-step', 'current');
  await expect(tracer.locator('li[data-step="workload-token"]')).toHaveAttribute('data-status', 'seen');

  expect(await nextStep(page, 2)).toMatch(/app-only access token, no refresh token/);
  expect((await stageFields(page)).roles).toBe(sandboxApps.daemon.grantedAppRoles[0]);
  await expect(diagramStep('token-response')).toHaveAttribute('data-present-step', 'current');
  for (const id of ['token-request', 'issuer-keys', 'token-response'])
    await expect(tracer.locator(`li[data-step="${id}"]`), id).toHaveAttribute('data-status', 'seen');

  expect(await nextStep(page, 3)).toMatch(/^200 OK/);
  await expect(tracer.locator('li[data-step="api-response"]')).toHaveAttribute('data-status', 'seen');
  await page.keyboard.press('ArrowRight');
  await expect(stage(page).locator('[data-part="status"]')).toHaveText(/End of the flow/);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`workload identity pages in ${colorScheme} mode`, () => {
    test.use({ colorScheme });
    for (const path of ['/guides/workload-identity/', '/tools/workload-identity/']) {
      test(`${path} has 0 axe violations before a run, after a failed one and after a successful one`, async ({ page }) => {
        test.setTimeout(180_000); // axe runs three times on a long page of highlighted code
        const errors = collectConsoleErrors(page);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
        await page.waitForLoadState('networkidle');
        await expectNoAxeViolations(page);
        await widget(page).getByRole('button', { name: 'Wrong subject' }).click();
        await expect(widget(page).locator('[data-part="error"]')).toContainText('AADSTS700213');
        await expectNoAxeViolations(page);
        await widget(page).getByRole('button', { name: 'Run the CI job' }).click();
        await expect(widget(page).locator('table.compare')).toBeVisible();
        await expectNoAxeViolations(page);
        expect(errors).toEqual([]);
      });
    }
  });
}
