/**
 * Widgets load their code on first use (src/widgets/shared/lazyWidgets.ts): a page nobody touches
 * fetches none of it; the widget says it is loading (visible text and aria-busy); and a keyboard user
 * who reaches a button and presses Enter before the code is there gets the action, exactly once.
 * Against the real lab: the sandbox tenant, the daemon and the sample API.
 */
import { expect, type Page, type Route, test } from '@playwright/test';
import { completeSandboxSignIn } from '../support/sandbox-sign-in.ts';

/** Holds a widget component's script until `release()`, so the test acts before the code is there. */
async function holdWidgetScript(page: Page, component: string): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  let route: Route | undefined;
  let arrived: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  await page.route(`**/_astro/${component}.astro_astro_type_script_index_0_lang.*.js`, (r) => {
    route = r;
    arrived();
  });
  return { held, release: async () => route?.continue() };
}

test('a page nobody touches fetches no widget code; the first pointer over a widget loads it', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto('/guides/auth-code-pkce/');
  await page.waitForLoadState('networkidle');
  const widgetCode = (list: string[]) => list.filter((path) => /\/(SignIn|Pkce|TokenDecoder|ApiCaller|FlowTracer)\.astro_/.test(path));
  expect(widgetCode(scripts)).toEqual([]);
  const signIn = page.locator('sign-in-widget');
  await expect(signIn).not.toHaveAttribute('data-lazy');
  await expect(page.locator('flow-tracer').first()).not.toHaveAttribute('data-connection');

  await signIn.hover();
  await expect(signIn).toHaveAttribute('data-lazy', 'ready');
  await expect(signIn).toHaveAttribute('data-ready', 'true'); // the element's own code ran
  // The whole page's widget code came with it: the tracer connects to see what the reader starts.
  await expect(page.locator('flow-tracer').first()).toHaveAttribute('data-connection', 'up');
  expect(widgetCode(scripts).length).toBeGreaterThanOrEqual(4);
});

test('keyboard only: Tab to Run, Enter before the code is there; the widget says it is loading, then runs once', async ({ page }) => {
  const runs: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/daemon/run') runs.push(request.url());
  });
  const script = await holdWidgetScript(page, 'ClientCredentials');
  await page.goto('/tools/client-credentials/');
  const widget = page.locator('client-credentials-run');
  await widget.getByLabel('Client secret').focus(); // the widget's first control: its credential choice
  await page.keyboard.press('Tab');
  const run = widget.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeFocused(); // enabled and focusable before the code is there
  await page.keyboard.press('Enter');
  await script.held;

  // Loading: said in words and to assistive technology.
  await expect(widget).toHaveAttribute('aria-busy', 'true');
  await expect(widget).toHaveAttribute('data-lazy', 'loading');
  await expect(widget.getByText('Loading this widget…')).toBeVisible();
  await page.keyboard.press('Enter'); // impatient: a second press while loading is not a second run
  expect(runs).toEqual([]);

  await script.release();
  await expect(widget).toHaveAttribute('data-lazy', 'ready');
  await expect(widget).not.toHaveAttribute('aria-busy');
  await expect(widget.getByText('Loading this widget…')).toHaveCount(0);
  await expect(widget.locator('li[data-step="token-response"]')).toHaveAttribute('data-http', '200');
  await expect(widget.locator('li[data-step="api-call-write"]')).toHaveAttribute('data-http', '403');
  await page.waitForLoadState('networkidle');
  expect(runs).toHaveLength(1);
});

test('keyboard only: Enter on "Sign in with a popup" before the code is there opens one popup, and the sign-in completes', async ({
  page,
  context,
}) => {
  const popups: Page[] = [];
  context.on('page', (opened) => popups.push(opened));
  const script = await holdWidgetScript(page, 'SignIn');
  await page.goto('/tools/sign-in/');
  const widget = page.locator('sign-in-widget');
  await widget.getByRole('button', { name: 'Sign in', exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(widget.getByRole('button', { name: 'Sign in with a popup' })).toBeFocused();
  const popup = context.waitForEvent('page');
  await page.keyboard.press('Enter');
  await script.held; // the press came before the widget's code (and MSAL): it is held, then replayed
  await expect(widget).toHaveAttribute('aria-busy', 'true');
  await script.release();
  await completeSandboxSignIn(await popup, 'alice');
  await expect(widget.locator('[data-part="who"]')).toContainText('Signed in as');
  expect(popups).toHaveLength(1);
});
