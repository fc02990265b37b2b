/**
 * Widgets: the JavaScript each widget page ships before and after the reader first uses a widget
 * (gzipped, fetched + inline, as Chromium loaded it), against a plain Starlight page built in the same
 * run; click → popup for a widget whose code loads on that click (lazy) and one whose code already
 * runs (eager); and click-to-token times for the sandbox sign-in and the client-credentials run, in
 * real Chromium against the real lab. Baselines are measured in the same run: the plain Starlight
 * page for bytes, the eager page for the popup, the page load for the sign-in, and the server-side
 * run alone for the client-credentials run.
 */
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { backendServers, startServers } from '../scripts/lib/lab-servers.ts';
import { buildSite, isBuildFresh, sourceHash } from '../scripts/lib/site-build.ts';
import type { RunningServer } from '../servers/listen.ts';
import { startSite } from '../servers/site/main.ts';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import { loadLabConfig } from '../src/config/lab.ts';
import {
  ensurePlainStarlightBuilt,
  measurePageJs,
  PLAIN_PAGE,
  PLAIN_PAGE_WITH_TABS,
  PLAIN_PAGE_WITHOUT_CODE,
  serveDist,
} from '../tests/support/page-weight.ts';
import { completeSandboxSignIn } from '../tests/support/sandbox-sign-in.ts';
import { median, printRatio } from './report.ts';

const WIDGET_PAGES = {
  'guide: Authorization Code + PKCE (sign-in, PKCE, API caller, tracer)': '/guides/auth-code-pkce/',
  'token decoder': '/tools/token-decoder/',
  'sign-in (with MSAL.js)': '/tools/sign-in/',
  'API caller (+ sign-in)': '/tools/api-caller/',
  'client-credentials run': '/tools/client-credentials/',
  'tamper lab': '/tools/tamper-lab/',
  settings: '/tools/settings/',
} as const;
const RUNS = 5;

const gzipSize = (data: Buffer | string) => gzipSync(data, { level: 9 }).length;

/**
 * The page's JavaScript (gzipped, fetched + inline, as tests/support/page-weight.ts counts it) as it
 * loads, and again after the pointer first moves over its first widget and that widget's code runs.
 */
async function weightBeforeAndAfterUse(browser: Browser, url: string): Promise<{ before: number; after: number; plain: string }> {
  const page = await browser.newPage();
  const fetched: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    fetched.push(response.body().then(gzipSize, () => 0));
  });
  const inline = () =>
    page.$$eval('script:not([src])', (elements) =>
      elements
        .filter((e) => !e.getAttribute('type') || /^(module|text\/javascript)$/.test(e.getAttribute('type') ?? ''))
        .map((e) => e.textContent ?? '')
        .filter((code) => code.trim()),
    );
  const total = async () => sum(await Promise.all(fetched)) + sum((await inline()).map(gzipSize));
  await page.goto(url, { waitUntil: 'networkidle' });
  const before = await total();
  // Like for like, as the budget test in tests/e2e/guides.spec.ts picks its baseline.
  const plain =
    (await page.locator('starlight-tabs').count()) > 0
      ? PLAIN_PAGE_WITH_TABS
      : (await page.locator('.expressive-code').count()) > 0
        ? PLAIN_PAGE
        : PLAIN_PAGE_WITHOUT_CODE;
  const widget = page.locator('[data-widget]').first();
  await widget.hover();
  await page.waitForFunction(() => document.querySelector('[data-widget]')?.getAttribute('data-lazy') === 'ready');
  await page.waitForLoadState('networkidle');
  const after = await total();
  await page.close();
  return { before, after, plain };
}

/**
 * Click "Sign in with a popup" → the popup opens. Lazy: a fresh page, clicked at once (the widget's
 * code and MSAL load on the click). Eager: the same page with the code already running (the pointer
 * went over the widget and MSAL is ready) before the click. The popup is closed, not signed in.
 */
async function clickToPopup(browser: Browser, origin: string, warm: boolean): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/tools/sign-in/`, { waitUntil: 'networkidle' });
  const widget = page.locator('sign-in-widget');
  if (warm) {
    await widget.hover();
    await page.waitForFunction(() => document.querySelector('sign-in-widget')?.getAttribute('data-lazy') === 'ready');
    await page.waitForFunction(() =>
      document.querySelector('sign-in-widget > [data-part="status"]')?.textContent?.includes('Not signed in'),
    );
  }
  const button = widget.getByRole('button', { name: 'Sign in with a popup' });
  const start = performance.now();
  const popup = context.waitForEvent('page');
  await button.click();
  await popup;
  const ms = performance.now() - start;
  await context.close();
  return ms;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

async function signInOnce(browser: Browser, origin: string): Promise<{ loadMs: number; clickToTokenMs: number }> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const loadStart = performance.now();
  await page.goto(`${origin}/tools/sign-in/`);
  const button = page.locator('sign-in-widget').getByRole('button', { name: 'Sign in', exact: true });
  await button.waitFor();
  // The widget's code loads on first use: the pointer goes over it, then MSAL gets ready.
  await page.locator('sign-in-widget').hover();
  await page.waitForFunction(() => document.querySelector('sign-in-widget > [data-part="status"]')?.textContent?.includes('Not signed in'));
  const loadMs = performance.now() - loadStart;
  const clickStart = performance.now();
  await button.click();
  await completeSandboxSignIn(page, 'alice', 'accept', origin);
  await page.locator('sign-in-widget token-decoder [data-part="result"]').waitFor({ state: 'visible' });
  const clickToTokenMs = performance.now() - clickStart;
  await context.close();
  return { loadMs, clickToTokenMs };
}

/** Measured inside the page (click event → token-response step in the DOM), so test-driver latency is not counted. */
async function clientCredentialsOnce(browser: Browser, origin: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(`${origin}/tools/client-credentials/`);
  await page.locator('client-credentials-run').hover(); // its code loads on first use
  await page.waitForFunction(() => customElements.get('client-credentials-run') !== undefined);
  const measured = page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const widget = document.querySelector('client-credentials-run') as HTMLElement;
        let start = 0;
        widget.addEventListener(
          'click',
          () => {
            start = performance.now();
          },
          { capture: true, once: true },
        );
        new MutationObserver((_, observer) => {
          if (start && widget.querySelector('li[data-step="token-response"]')) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        }).observe(widget, { childList: true, subtree: true });
      }),
  );
  await page.locator('client-credentials-run').getByRole('button', { name: 'Run', exact: true }).click();
  const ms = await measured;
  await page.close();
  return ms;
}

export default async function widgetsBench(): Promise<void> {
  const config = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
  const root = process.env.LAB_SITE_DIST ?? 'dist';
  if (root === 'dist') {
    const hash = await sourceHash(config);
    if (!(await isBuildFresh(hash))) await buildSite(() => {});
  }
  const running: RunningServer[] = await startServers(backendServers, config);
  running.push(await startSite(config, root));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const origin = config.siteOrigin;
    const plain = await serveDist(await ensurePlainStarlightBuilt());
    const plainPage = await browser.newPage();
    const baselines = new Map<string, number>();
    for (const path of [PLAIN_PAGE, PLAIN_PAGE_WITHOUT_CODE, PLAIN_PAGE_WITH_TABS])
      baselines.set(path, (await measurePageJs(plainPage, plain.origin, path)).totalGzipBytes);
    await plainPage.close();
    await plain.close();
    for (const [name, path] of Object.entries(WIDGET_PAGES)) {
      const { before, after, plain: baselinePath } = await weightBeforeAndAfterUse(browser, `${origin}${path}`);
      const baseline = { label: `plain Starlight ${baselinePath}`, value: (baselines.get(baselinePath) as number) / 1024, unit: 'KB' };
      printRatio(
        `JavaScript on ${path} (${name}), gzipped, before a widget is used (goal ≤ 1.05×)`,
        baseline,
        { label: 'as loaded', value: before / 1024, unit: 'KB' },
        'lower',
      );
      printRatio(
        `JavaScript on ${path} (${name}), gzipped, after the first use of a widget`,
        baseline,
        { label: 'after first use', value: after / 1024, unit: 'KB' },
        'lower',
      );
    }

    const eager: number[] = [];
    const lazy: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      eager.push(await clickToPopup(browser, origin, true));
      lazy.push(await clickToPopup(browser, origin, false));
    }
    printRatio(
      `Click "Sign in with a popup" → popup opens (median of ${RUNS}; the test driver's latency is in both)`,
      { label: 'eager: widget code and MSAL already running', value: median(eager), unit: 'ms' },
      { label: 'lazy: fresh page, code loads on the click', value: median(lazy), unit: 'ms' },
      'lower',
    );

    const signIns: { loadMs: number; clickToTokenMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) signIns.push(await signInOnce(browser, origin));
    printRatio(
      `Sandbox sign-in, click "Sign in" → token shown (median of ${RUNS}; includes the sign-in form filled by the test; goal ≤ 1 s)`,
      { label: 'loading the sign-in page until MSAL is ready', value: median(signIns.map((s) => s.loadMs)), unit: 'ms' },
      { label: 'click-to-token', value: median(signIns.map((s) => s.clickToTokenMs)), unit: 'ms' },
      'lower',
    );

    const serverSide: number[] = [];
    const clicks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const response = await fetch(`${config.apiOrigin}/daemon/run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ credential: 'secret' }),
      });
      await response.json();
      serverSide.push(performance.now() - start);
      clicks.push(await clientCredentialsOnce(browser, origin));
    }
    printRatio(
      `Client-credentials run, click "Run" → token shown (median of ${RUNS})`,
      { label: 'the server-side run alone (token + 2 API calls)', value: median(serverSide), unit: 'ms' },
      { label: 'click-to-token in the page', value: median(clicks), unit: 'ms' },
      'lower',
    );
  } finally {
    await browser.close();
    await Promise.all(running.map((r) => r.close()));
  }
}
