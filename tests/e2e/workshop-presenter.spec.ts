/**
 * Presenter mode against the real lab (sandbox tenant, sample API, daemon; nothing mocked):
 * the step-through runs both flows end to end by keyboard alone, ← and → move the diagram and the
 * live trace, the speaker notes follow in a second window, and the colours pass axe's AAA contrast
 * rule. Also takes the projector screenshots (1920×1080, light and dark).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors } from '../support/page-checks.ts';
import {
  lab,
  nextStep,
  openPresenting,
  signInWithKeyboard,
  stage,
  stageFields,
  stepThroughAuthCode,
} from '../support/workshop-keyboard.ts';

test.use({ viewport: { width: 1920, height: 1080 } });

const diagramStep = (page: import('@playwright/test').Page, flow: string, step: string) =>
  page.locator(`figure.flow-diagram[data-flow="${flow}"] g.flow-step[data-step="${step}"]`).first();

test.describe('presenter mode', () => {
  test('?present turns it on for the browser session; the header toggle turns it off', async ({ page }) => {
    await page.goto('/workshop/?present');
    await expect(page.locator('html')).toHaveAttribute('data-present', '');
    const toggle = page.getByRole('button', { name: 'Presenter mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await page.goto('/guides/which-flow/');
    await expect(page.locator('html'), 'remembered for the session').toHaveAttribute('data-present', '');
    const size = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(size, 'projector type: 125–150 % of 16 px').toBeGreaterThanOrEqual(20);
    await page.getByRole('button', { name: 'Presenter mode' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).not.toHaveAttribute('data-present', '');
    await page.goto('/workshop/');
    await expect(page.locator('html')).not.toHaveAttribute('data-present', '');
  });
});

test.describe('step-through by keyboard alone (→ runs the next real leg)', () => {
  test('Authorization Code + PKCE: PKCE pair, sign-in, code redemption, API call; ← and → move the diagram', async ({ page }) => {
    const errors = collectConsoleErrors(page);
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().startsWith(lab.tenant.token)) tokenRequests.push(request.url());
    });
    await openPresenting(page, '/guides/auth-code-pkce/');
    await expect(stage(page)).toHaveAttribute('data-shown', '0');

    const first = await nextStep(page, 1);
    expect(first).toMatch(/code_verifier is created/);
    expect((await stageFields(page)).code_challenge_method).toBe('S256');
    await expect(diagramStep(page, 'auth-code-pkce', 'sign-in-click')).toHaveAttribute('data-present-step', 'current');
    await expect(diagramStep(page, 'auth-code-pkce', 'token-request')).toHaveAttribute('data-present-step', 'ahead');

    // → opens the tenant's sign-in window; the presenter types the password and presses Enter.
    const popupPromise = page.waitForEvent('popup');
    await page.keyboard.press('ArrowRight');
    const popup = await popupPromise;
    await expect(popup).toHaveURL(new RegExp(`^${lab.tenantOrigin}/`));
    await signInWithKeyboard(popup);
    await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
    expect((await stageFields(page)).redirect_uri).toBe(lab.redirectUris.find((uri) => uri.endsWith('/redirect.html')));

    expect(await nextStep(page, 3)).toMatch(/^200 OK: access token, ID token, refresh token/);
    const token = await stageFields(page);
    expect(token.aud, 'aud: the API, not the SPA').toBe(sandboxApps.api.clientId);
    expect(token.scp).toBe('Tasks.Read Tasks.ReadWrite');
    expect(token.oid).toBe(sandboxUsers.alice.oid);
    expect(tokenRequests).toHaveLength(1);

    expect(await nextStep(page, 4)).toMatch(/^200 OK: 3 tasks/);
    for (const step of ['api-call', 'api-validate', 'api-authorize', 'api-response']) {
      await expect(diagramStep(page, 'auth-code-pkce', step)).toHaveAttribute('data-present-step', 'current');
    }
    await expect(diagramStep(page, 'auth-code-pkce', 'token-response')).toHaveAttribute('data-present-step', 'done');

    // ← goes back one beat; → shows it again without redeeming the code a second time.
    await page.keyboard.press('ArrowLeft');
    await expect(stage(page)).toHaveAttribute('data-shown', '3');
    await expect(diagramStep(page, 'auth-code-pkce', 'token-request')).toHaveAttribute('data-present-step', 'current');
    await expect(diagramStep(page, 'auth-code-pkce', 'api-call')).toHaveAttribute('data-present-step', 'ahead');
    await page.keyboard.press('ArrowLeft');
    await expect(diagramStep(page, 'auth-code-pkce', 'authorize-response')).toHaveAttribute('data-present-step', 'current');
    await page.keyboard.press('ArrowRight');
    await expect(stage(page)).toHaveAttribute('data-status', 'replayed');
    await expect(stage(page)).toHaveAttribute('data-shown', '3');
    expect(tokenRequests, 'a shown-again step sends nothing (codes are single-use)').toHaveLength(1);

    // Home starts a new run.
    await page.keyboard.press('Home');
    await expect(stage(page)).toHaveAttribute('data-shown', '0');
    expect(errors).toEqual([]);
  });

  test('Client Credentials: the daemon’s token request, then its API call, run on the lab’s server', async ({ page }) => {
    await openPresenting(page, '/guides/client-credentials/');
    expect(await nextStep(page, 1)).toMatch(/app-only access token, no refresh token/);
    const token = await stageFields(page);
    expect(token.roles).toBe('Tasks.Read.All');
    expect(token.scp).toBe('(absent)');
    expect(token.idtyp).toBe('app');
    expect(token.oid).toBe(sandboxApps.daemon.servicePrincipalId);
    expect(token.access_token, 'the page only ever sees the token shortened').toMatch(/^eyJ.{7}….{6} \([\d,]+ chars\)$/);
    await expect(diagramStep(page, 'client-credentials', 'token-response')).toHaveAttribute('data-present-step', 'current');

    expect(await nextStep(page, 2)).toMatch(/^200 OK: 5 tasks \(everyone’s\)/);
    await expect(diagramStep(page, 'client-credentials', 'api-authorize')).toHaveAttribute('data-present-step', 'current');
    await page.keyboard.press('ArrowRight');
    await expect(stage(page).locator('[data-part="status"]')).toHaveText(/End of the flow/);
  });
});

test.describe('the live tracer follows the step-through', () => {
  test('→ lights the legs as they happen; ← puts the trace back as it was at that step', async ({ page }) => {
    await openPresenting(page, '/guides/auth-code-pkce/');
    const tracer = page.locator('flow-tracer[data-flow="auth-code-pkce"]');
    await expect(tracer).toHaveAttribute('data-connection', 'up');
    const status = (step: string) => tracer.locator(`li[data-step="${step}"]`);

    await stepThroughAuthCode(page);
    await expect(status('token-response')).toHaveAttribute('data-status', 'seen');
    await expect(status('api-response')).toHaveAttribute('data-status', 'seen');

    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(stage(page)).toHaveAttribute('data-shown', '2');
    await expect(status('authorize-response')).toHaveAttribute('data-status', 'seen');
    await expect(status('token-request')).toHaveAttribute('data-status', 'waiting');
    await expect(status('api-response')).toHaveAttribute('data-status', 'waiting');

    await page.keyboard.press('ArrowRight');
    await expect(status('token-response')).toHaveAttribute('data-status', 'seen');
    await expect(status('api-response')).toHaveAttribute('data-status', 'waiting');
    // The diagram's messages follow the trace too (the tracer marks them; the step-through highlights the beat).
    await expect(diagramStep(page, 'auth-code-pkce', 'token-response')).toHaveAttribute('data-trace', 'seen');
    await expect(diagramStep(page, 'auth-code-pkce', 'token-response')).toHaveAttribute('data-present-step', 'current');
    await expect(diagramStep(page, 'auth-code-pkce', 'api-response')).not.toHaveAttribute('data-trace', /./);
  });
});

test.describe('speaker notes in a second window', () => {
  test('N opens them; they follow → over a BroadcastChannel, and their own → drives the page', async ({ page }) => {
    await openPresenting(page, '/guides/client-credentials/');
    const notesPromise = page.waitForEvent('popup');
    await page.keyboard.press('n');
    const notes = await notesPromise;
    await expect(notes).toHaveURL(/\/workshop\/speaker-notes\/$/);
    const title = notes.locator('[data-part="title"]');
    await expect(title).toHaveText('Before the first step');
    await expect(notes.locator('[data-part="say"]')).toContainText('No user, no browser');

    // The notes window only listens: nothing it shows comes from a server (static files it loads lazily, such
    // as the search UI, are not state).
    const notesRequests: string[] = [];
    notes.on('request', (request) => {
      const url = new URL(request.url());
      if (!(request.method() === 'GET' && url.origin === lab.siteOrigin && /^\/(_astro|pagefind)\//.test(url.pathname)))
        notesRequests.push(request.url());
    });
    await nextStep(page, 1);
    await expect(title).toHaveText('The daemon asks /token for an app-only token');
    await expect(notes.locator('[data-part="result"]')).toContainText('app-only access token');
    await expect(notes.locator('[data-part="extra"]')).toContainText('AADSTS1002012');

    await notes.keyboard.press('ArrowRight');
    await expect(stage(page)).toHaveAttribute('data-shown', '2');
    await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
    await expect(title).toHaveText('The daemon calls the API; the API checks roles, not scp');
    await expect(notes.locator('[data-part="next"]')).toContainText('Closing');
    await notes.keyboard.press('ArrowLeft');
    await expect(stage(page)).toHaveAttribute('data-shown', '1');
    expect(notesRequests).toEqual([]);
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`presenter mode in ${colorScheme}`, () => {
    test.use({ colorScheme });

    test('meets WCAG AAA contrast (axe color-contrast-enhanced) mid step-through, and is photographed for a 1920×1080 projector', async ({
      page,
    }, testInfo) => {
      await openPresenting(page, '/guides/auth-code-pkce/');
      await nextStep(page, 1);
      const popupPromise = page.waitForEvent('popup');
      await page.keyboard.press('ArrowRight');
      await signInWithKeyboard(await popupPromise);
      await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
      await nextStep(page, 3);
      await page.evaluate(() => document.fonts.ready);
      const { violations } = await new AxeBuilder({ page }).withRules(['color-contrast', 'color-contrast-enhanced']).analyze();
      const readable = violations.flatMap((v) =>
        v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`),
      );
      expect(readable, 'contrast problems in presenter mode').toEqual([]);
      const path = testInfo.outputPath(`presenter-${colorScheme}.png`);
      await page.screenshot({ path });
      await page.screenshot({ path: `test-results/workshop/presenter-${colorScheme}-1920x1080.png` });
    });
  });
}
