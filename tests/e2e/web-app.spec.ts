/**
 * The confidential web app in Chromium, against the real sandbox tenant and Tasks API that the
 * Playwright config starts with `npm start`: alice signs in through the tenant's pages, sees her
 * tasks, and no token reaches the browser (web storage, IndexedDB, a cookie a script can read, the
 * page itself); sign-out ends the session. Once with the client secret, once with the certificate.
 * Its pages and its guide have 0 axe violations in light and dark mode.
 */
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { completeSandboxSignIn } from '../support/sandbox-sign-in.ts';
import { lab } from '../support/tenant-pages.ts';
import { nextStep, openPresenting, stage, stageFields } from '../support/workshop-keyboard.ts';

const web = lab.webapp.origin;
/** One message of the page's sequence diagram. */
const diagramStep = (page: Page, flow: string, step: string) =>
  page.locator(`figure.flow-diagram[data-flow="${flow}"] g.flow-step[data-step="${step}"]`).first();
/** A JWT: two base64url JSON segments and a signature. Shortened tokens (`eyJ0eXAi…Qssw5c`) do not match. */
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

/** Everything a script on the web app's origin could read, and every cookie the browser holds. */
async function browserHeldValues(
  page: Page,
  context: BrowserContext,
): Promise<{ storage: string; cookies: Awaited<ReturnType<BrowserContext['cookies']>> }> {
  const storage = await page.evaluate(async () => {
    const dump = (store: Storage) => Object.keys(store).map((key) => `${key}=${store.getItem(key)}`);
    const databases = 'databases' in indexedDB ? (await indexedDB.databases()).map((db) => db.name ?? '') : [];
    return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), indexedDB: databases, cookie: document.cookie });
  });
  return { storage, cookies: await context.cookies() };
}

for (const credential of ['secret', 'certificate'] as const) {
  test(`alice signs in to the web app (${credential}), sees her tasks, no token reaches the browser, sign-out ends the session`, async ({
    page,
    context,
  }) => {
    const errors = collectConsoleErrors(page);
    await page.goto(`${web}/`);
    await expect(page.getByRole('heading', { name: 'Your tasks, kept on the server' })).toBeVisible();
    await page.getByRole('radio', { name: credential === 'secret' ? /Client secret/ : /Certificate/ }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await completeSandboxSignIn(page, 'alice', 'accept', web);

    await expect(page.getByRole('heading', { name: `Hello, ${sandboxUsers.alice.name}` })).toBeVisible();
    await expect(page).toHaveURL(`${web}/`);
    const tasks = page.getByRole('region', { name: 'Your tasks' }).getByRole('listitem');
    await expect(tasks.first()).toBeVisible();
    expect(await tasks.count()).toBeGreaterThan(0);
    const legs = page.getByRole('region', { name: 'What the server did' });
    await expect(legs).toContainText('Code redemption');
    await expect(legs).toContainText(credential === 'secret' ? 'client_secret' : 'client_assertion');
    await expect(legs).toContainText('acquireTokenSilent');

    // No token anywhere the browser keeps things, nor in the page.
    const held = await browserHeldValues(page, context);
    expect(held.storage).not.toMatch(JWT);
    expect(JSON.parse(held.storage)).toMatchObject({ local: [], session: [], indexedDB: [] });
    for (const cookie of held.cookies) {
      expect(cookie.value, cookie.name).not.toMatch(JWT);
      if (!cookie.httpOnly) expect(cookie.value.length, `${cookie.name} is readable by scripts`).toBeLessThan(200);
    }
    const session = held.cookies.find((cookie) => cookie.name === 'webapp_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(await page.content()).not.toMatch(JWT);

    // Sign out: the web app forgets the session, the tenant signs the browser out, back at the web app.
    await page.getByRole('button', { name: `Sign out ${sandboxUsers.alice.name}` }).click();
    await expect(page.getByRole('heading', { name: 'Sign out of the sandbox tenant?' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(`${web}/`);
    await expect(page.getByRole('heading', { name: 'Your tasks, kept on the server' })).toBeVisible();
    expect((await context.cookies()).some((cookie) => cookie.name === 'webapp_session')).toBe(false);
    // The next sign-in must go through the tenant's sign-in page again.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(errors).toEqual([]);
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the web app's pages and its guide have 0 axe violations (${colorScheme})`, async ({ page }) => {
    // Four axe runs, one of them on a long guide page.
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    await page.goto(`${web}/`);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await completeSandboxSignIn(page, 'alice', 'accept', web);
    await expect(page.getByRole('heading', { name: `Hello, ${sandboxUsers.alice.name}` })).toBeVisible();
    await expectNoAxeViolations(page);
    // An error page: a response with a state this session never sent.
    await page.goto(`${web}/auth/redirect?code=x&state=forged`);
    await expect(page.getByRole('heading', { name: /does not belong to a sign-in started here/ })).toBeVisible();
    await expectNoAxeViolations(page);

    await page.goto('/guides/web-app/');
    await expect(page.getByRole('heading', { level: 1, name: 'Confidential web app' })).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('the guide lights its trace while the web app runs in another tab', async ({ page, context }) => {
  await page.goto('/guides/web-app/');
  const tracer = page.locator('flow-tracer[data-flow="web-app"]');
  await expect(tracer.locator('[data-part="connection"]')).not.toHaveText(/Connecting/);
  const [app] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Open the web app/ }).click()]);
  await app.getByRole('button', { name: 'Sign in' }).click();
  await completeSandboxSignIn(app, 'alice', 'accept', web);
  await expect(app.getByRole('heading', { name: `Hello, ${sandboxUsers.alice.name}` })).toBeVisible();
  for (const step of ['sign-in-click', 'authorize-request', 'token-request', 'token-response', 'session-start', 'api-call', 'page']) {
    await expect(tracer.locator(`li[data-step="${step}"]`), step).toHaveAttribute('data-status', 'seen');
  }
});

test('presenter step-through by keyboard: → signs in to the web app, shows the server’s code redemption, then its API call', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openPresenting(page, '/guides/web-app/');
  await expect(stage(page)).toHaveAttribute('data-shown', '0');
  const popupPromise = page.waitForEvent('popup');
  await page.keyboard.press('ArrowRight');
  const popup = await popupPromise;
  await expect(popup).toHaveURL(new RegExp(`^${lab.tenantOrigin}/`));
  await completeSandboxSignIn(popup, 'alice', 'accept', web);
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(stage(page).locator('[data-part="status"]')).toContainText('redeemed the code itself');
  for (const step of ['sign-in-click', 'authorize-response', 'redirect-arrives']) {
    await expect(diagramStep(page, 'web-app', step)).toHaveAttribute('data-present-step', 'current');
  }

  expect(await nextStep(page, 2)).toMatch(/^200 authorization_code/);
  const token = await stageFields(page);
  expect(token.client_secret).toMatch(/•/);
  expect(token.azp).toBe(lab.ids.webappClientId);
  expect(token.azpacr).toBe('1');

  expect(await nextStep(page, 3)).toMatch(/tasks as HTML/);
  await expect(diagramStep(page, 'web-app', 'page')).toHaveAttribute('data-present-step', 'current');
  await expect(popup.getByRole('heading', { name: `Hello, ${sandboxUsers.alice.name}` })).toBeVisible();
});
