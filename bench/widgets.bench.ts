/**
 * Widgets: JavaScript bytes each widget adds to its page (gzipped, as Chromium loaded them) and
 * click-to-token times for the sandbox sign-in and the client-credentials run, in real Chromium
 * against the real lab. Baselines are measured in the same run: a plain docs page for bytes, the
 * page load for the sign-in, and the server-side run alone for the client-credentials run.
 */
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { backendServers, startServers } from '../scripts/lib/lab-servers.ts';
import { buildSite, isBuildFresh, sourceHash } from '../scripts/lib/site-build.ts';
import type { RunningServer } from '../servers/listen.ts';
import { startSite } from '../servers/site/main.ts';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import { loadLabConfig } from '../src/config/lab.ts';
import { completeSandboxSignIn } from '../tests/support/sandbox-sign-in.ts';
import { median, printRatio } from './report.ts';

const WIDGET_PAGES = {
  'token decoder': '/tools/token-decoder/',
  'sign-in (with MSAL.js)': '/tools/sign-in/',
  'API caller (+ sign-in)': '/tools/api-caller/',
  'client-credentials run': '/tools/client-credentials/',
} as const;
const RUNS = 5;

/** Gzipped size of every script the page loads, by URL. */
async function scriptBytes(browser: Browser, url: string): Promise<Map<string, number>> {
  const page = await browser.newPage();
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      response
        .body()
        .then((body) => {
          sizes.set(response.url(), gzipSync(body).length);
        })
        .catch(() => {}),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await Promise.all(pending);
  // Inline scripts count too: they are part of what the page runs.
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join('\n'));
  sizes.set(`${url}#inline`, gzipSync(inline).length);
  await page.close();
  return sizes;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

async function signInOnce(browser: Browser, origin: string): Promise<{ loadMs: number; clickToTokenMs: number }> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const loadStart = performance.now();
  await page.goto(`${origin}/tools/sign-in/`);
  const button = page.locator('sign-in-widget').getByRole('button', { name: 'Sign in', exact: true });
  await button.waitFor();
  await page.waitForFunction(
    () => !document.querySelector('sign-in-widget button[data-action="login-redirect"]')?.hasAttribute('disabled'),
  );
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
    const baseline = await scriptBytes(browser, `${origin}/`);
    const baselineKb = sum(baseline.values()) / 1024;
    for (const [name, path] of Object.entries(WIDGET_PAGES)) {
      const page = await scriptBytes(browser, `${origin}${path}`);
      const own = [...page].filter(([url]) => !baseline.has(url) && !url.endsWith('#inline'));
      const widgetKb = sum(own.map(([, size]) => size)) / 1024;
      printRatio(
        `JavaScript on ${path} (${name}), gzipped; widget's own scripts: ${widgetKb.toFixed(1)} KB`,
        { label: 'plain docs page (Starlight only)', value: baselineKb, unit: 'KB' },
        { label: `${name} page`, value: sum(page.values()) / 1024, unit: 'KB' },
        'lower',
      );
    }

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
