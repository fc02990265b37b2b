/**
 * The workshop pages: accessible in both themes, the cheat sheets print on one page each, and the
 * exercises pass only once the lab has seen the learner really do them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parse } from 'yaml';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import { lab, signInWithKeyboard } from '../support/workshop-keyboard.ts';

const PAGES = [
  '/workshop/',
  '/workshop/exercises/',
  '/workshop/speaker-notes/',
  '/workshop/attendees/',
  '/workshop/facilitator/',
  '/workshop/cheat-sheet-auth-code-pkce/',
  '/workshop/cheat-sheet-client-credentials/',
  '/workshop/cheat-sheet-workload-identity/',
  '/workshop/cheat-sheet-on-behalf-of/',
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`workshop pages in ${colorScheme}`, () => {
    test.use({ colorScheme });
    for (const path of PAGES) {
      test(`${path}: 0 axe violations, no console errors`, async ({ page }) => {
        const errors = collectConsoleErrors(page);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-workshop-ready', '');
        await expectNoAxeViolations(page);
        expect(errors).toEqual([]);
      });
    }
  });
}

/** Pages in a PDF: one `/Type /Page` object per page (`/Type /Pages` is the tree). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

for (const flow of ['auth-code-pkce', 'client-credentials', 'workload-identity', 'on-behalf-of']) {
  test(`the ${flow} cheat sheet prints on one page (A4 and Letter), with its diagram, claims and errors`, async ({ page }) => {
    await page.goto(`/workshop/cheat-sheet-${flow}/`);
    const sheet = page.locator(`.lab-cheat-sheet[data-flow="${flow}"]`);
    await expect(sheet.locator('figure.flow-diagram svg')).toBeVisible();
    await expect(sheet.getByRole('heading', { name: 'Claims to know' })).toBeVisible();
    await expect(sheet.locator('.lab-cheat-sheet__errors tbody tr').first()).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('header.header')).toBeHidden();
    for (const format of ['A4', 'Letter'] as const) {
      expect(pdfPages(await page.pdf({ format, printBackground: false })), `${flow} on ${format}`).toBe(1);
    }
  });
}

const talks = readdirSync('content/workshop/notes').map(
  (f) => parse(readFileSync(`content/workshop/notes/${f}`, 'utf8')) as { id: string; beats: { id: string }[] },
);

test.describe('speaker notes without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('every flow’s notes are on the page, every beat with its diagram steps, and they print without the live panel', async ({ page }) => {
    await page.goto('/workshop/speaker-notes/');
    await expect(page.locator('[data-widget="speaker-notes"]')).toBeHidden();
    for (const talk of talks) {
      const flow = page.locator(`[data-notes-flow="${talk.id}"]`);
      await expect(flow.locator('[data-beat]')).toHaveCount(talk.beats.length);
      await expect(flow.locator('[data-beat]').first()).toContainText(/lights diagram steps? \d/);
      await expect(flow.locator('dt', { hasText: 'Ask the room' }).first()).toBeVisible();
    }
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('header.header')).toBeHidden();
    await expect(page.locator('.lab-notes-intro')).toBeHidden();
    await expect(page.locator('[data-printed-notes]')).toBeVisible();
    // One flow per sheet at least: the second flow starts on a new page.
    expect(pdfPages(await page.pdf({ format: 'A4', printBackground: false }))).toBeGreaterThanOrEqual(talks.length);
  });

  test('the agendas on /workshop/ add up to 30, 45 and 60 minutes', async ({ page }) => {
    await page.goto('/workshop/');
    const tables = page.locator('table[data-agenda]');
    await expect(tables).toHaveCount(3);
    for (const table of await tables.all()) {
      const minutes = Number(await table.getAttribute('data-minutes'));
      const rows = (await table.locator('tbody td[data-part="minutes"]').allTextContents()).map(Number);
      expect(rows.reduce((a, b) => a + b, 0)).toBe(minutes);
      await expect(table.locator('[data-part="total"]')).toHaveText(String(minutes));
      await expect(table.locator('tbody tr').first()).toHaveAttribute('data-kind', 'intro');
      await expect(table.locator('tbody tr').last()).toHaveAttribute('data-kind', 'buffer');
    }
    expect(await page.locator('table[data-agenda]').evaluateAll((t) => t.map((e) => e.getAttribute('data-minutes')))).toEqual([
      '30',
      '45',
      '60',
    ]);
  });

  test('the answer key and the fallback plan cover every exercise and every live step', async ({ page }) => {
    await page.goto('/workshop/facilitator/');
    await expect(page.locator('[data-exercise-key]')).toHaveCount(3);
    await expect(page.locator('tr[data-fallback]')).toHaveCount(talks.reduce((n, t) => n + t.beats.length, 0));
    // Each recorded-exchange link lands on an anchor its guide really has.
    for (const href of await page
      .locator('tr[data-fallback] a[href*="-wire-"]')
      .evaluateAll((a) => a.map((e) => e.getAttribute('href') ?? ''))) {
      const [path, anchor] = href.split('#');
      await page.goto(path as string);
      await expect(page.locator(`[id="${anchor}"]`)).toHaveCount(1);
    }
  });
});

test('the home page links to the workshop', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Running a workshop' }).first().click();
  await expect(page).toHaveURL(/\/workshop\/$/);
});

const exercise = (page: Page, id: string) => page.locator(`[data-exercise="${id}"]`);
const bench = (page: Page) => page.locator('[data-widget="workbench"]');

async function check(page: Page, id: string): Promise<string> {
  await exercise(page, id).getByRole('button', { name: 'Check' }).click();
  const result = exercise(page, id).locator('[data-part="result"]');
  await expect(result).not.toBeEmpty();
  await expect(exercise(page, id).getByRole('button', { name: 'Check' })).toBeEnabled();
  return (await result.textContent()) ?? '';
}

test('exercises pass only after the learner really did it: 403, AADSTS50011 then fixed, roles without scp', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/workshop/exercises/');
  await expect(page.locator('html')).toHaveAttribute('data-workshop-ready', '');

  // Answers alone are not enough.
  await exercise(page, 'api-403').getByLabel('Which permission was missing?').fill('Tasks.ReadWrite');
  await exercise(page, 'api-403').getByLabel('An app-only token').check();
  expect(await check(page, 'api-403')).toMatch(/^Not yet\..*not seen the API answer 403/);
  await expect(exercise(page, 'api-403').locator('[data-part="debrief"]')).toBeHidden();

  // Hints come one at a time.
  await exercise(page, 'api-403').getByRole('button', { name: 'Show a hint (1 of 3)' }).click();
  await expect(exercise(page, 'api-403').locator('[data-part="hint-list"] li:not([hidden])')).toHaveCount(1);

  // The real thing: the daemon's app-only token, POSTed to an endpoint that needs a user.
  await bench(page).getByRole('button', { name: 'Run the daemon’s token request' }).click();
  await expect(bench(page).locator('[data-part="log"] li').first()).toContainText('Daemon token request: 200 OK');
  await bench(page).getByLabel('Token').selectOption('app');
  await bench(page).getByLabel('Endpoint').selectOption('POST /api/tasks');
  await bench(page).getByRole('button', { name: 'Call the API' }).click();
  await expect(bench(page).locator('[data-part="log"] li').first()).toContainText('403 insufficient_scope');
  expect(await check(page, 'api-403')).toMatch(/^Done/);
  await expect(exercise(page, 'api-403').locator('[data-part="debrief"]')).toBeVisible();

  // Roles, not scp: the same daemon token already counts; the answer must be right too.
  await exercise(page, 'roles-not-scp').getByLabel('Which claim does the API check on this token?').fill('scp');
  expect(await check(page, 'roles-not-scp')).toMatch(/^Not yet\..*does not authorize this token by "scp"/);
  await exercise(page, 'roles-not-scp').getByLabel('Which claim does the API check on this token?').fill('roles');
  expect(await check(page, 'roles-not-scp')).toMatch(/^Done.*roles \[Tasks\.Read\.All\] and no scp/);

  // AADSTS50011: the tenant shows its error page and never redirects to the unregistered URI.
  expect(await check(page, 'fix-redirect-uri')).toMatch(/^Not yet/);
  const redirect = bench(page).getByLabel('redirect_uri the app sends');
  await expect(redirect).toHaveValue(`${lab.siteOrigin}/auth/callback`);
  let popupPromise = page.waitForEvent('popup');
  await bench(page).getByRole('button', { name: 'Sign in' }).click();
  const errorPage = await popupPromise;
  await expect(errorPage.getByText('AADSTS50011')).toBeVisible();
  await errorPage.close();
  await expect(bench(page).locator('[data-part="log"] li').first()).toContainText('closed before the tenant sent a code');
  expect(await check(page, 'fix-redirect-uri')).toMatch(/^Not yet\..*No authorization code was issued after that/);

  await redirect.fill(lab.redirectUris.find((uri) => uri.endsWith('/redirect.html')) as string);
  popupPromise = page.waitForEvent('popup');
  await bench(page).getByRole('button', { name: 'Sign in' }).click();
  await signInWithKeyboard(await popupPromise);
  await expect(bench(page).locator('[data-part="log"] li').first()).toContainText('Token request: 200 OK');
  expect(await check(page, 'fix-redirect-uri')).toMatch(/^Done/);
});
