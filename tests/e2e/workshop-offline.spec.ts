/**
 * Fully offline in sandbox mode: every request the browser makes, on every page of the site and
 * during both live flows, goes to the lab's own origins (site, sandbox tenant, sample API). No web
 * fonts, no CDN, no analytics. Requests are recorded at the browser-context level, so popups, the
 * speaker-notes window, workers and Server-Sent Events are all included.
 */
import { expect, type Page, test } from '@playwright/test';
import { labOrigins, openPresenting, signInWithKeyboard, stage, stepThroughAuthCode } from '../support/workshop-keyboard.ts';

test.use({ viewport: { width: 1920, height: 1080 } });

/** Schemes that never leave the machine. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

function offMachine(urls: string[]): string[] {
  return urls.filter((url) => {
    const parsed = new URL(url);
    return !LOCAL_SCHEMES.has(parsed.protocol) && !labOrigins.includes(parsed.origin);
  });
}

/** Every page of the site, found by following its own links from the home page. */
async function crawl(page: Page): Promise<string[]> {
  const seen = new Set<string>(['/']);
  const queue = ['/'];
  const visited: string[] = [];
  while (queue.length) {
    const path = queue.shift() as string;
    const response = await page.goto(path, { waitUntil: 'networkidle' });
    expect(response?.status(), path).toBeLessThan(400);
    visited.push(path);
    // getAttribute, not .href: SVG <a> elements (in the diagrams) have no string href.
    const links = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    for (const href of links) {
      if (!href || href.startsWith('#') || /^(mailto|javascript):/i.test(href)) continue;
      let url: URL;
      try {
        url = new URL(href, page.url());
      } catch {
        continue; // not a URL at all: nothing a browser would request
      }
      if (url.origin !== new URL(page.url()).origin || /\.(png|svg|ico|xml|txt|json)$/.test(url.pathname)) continue;
      if (!seen.has(url.pathname)) {
        seen.add(url.pathname);
        queue.push(url.pathname);
      }
    }
  }
  return visited;
}

test('every page and both live flows: zero requests leave the machine', async ({ context, page }) => {
  test.setTimeout(240_000);
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));

  const pages = await crawl(page);
  expect(pages.length, 'the crawl reached the whole site').toBeGreaterThan(20);
  for (const path of [
    '/guides/auth-code-pkce/',
    '/guides/client-credentials/',
    '/workshop/',
    '/workshop/exercises/',
    '/workshop/speaker-notes/',
  ]) {
    expect(pages).toContain(path);
  }

  // Presenter mode, the speaker-notes window and both flows, for real.
  await openPresenting(page, '/guides/auth-code-pkce/');
  const notes = page.waitForEvent('popup');
  await page.keyboard.press('n');
  await (await notes).waitForLoadState('networkidle');
  await page.bringToFront();
  await stepThroughAuthCode(page);
  await openPresenting(page, '/guides/client-credentials/');
  await page.keyboard.press('ArrowRight');
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await page.keyboard.press('ArrowRight');
  await expect(stage(page)).toHaveAttribute('data-shown', '2');
  await expect(stage(page)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });

  // The side-by-side page runs both flows through MSAL.js and the daemon, with the tracer's event stream.
  await page.goto('/tools/side-by-side/', { waitUntil: 'networkidle' });
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Run both flows' }).focus();
  await page.keyboard.press('Enter');
  await signInWithKeyboard(await popupPromise);
  await page.waitForLoadState('networkidle');

  expect(requests.length).toBeGreaterThan(pages.length);
  expect(offMachine(requests), 'requests that would leave the machine').toEqual([]);
  const origins = new Set(requests.map((url) => new URL(url).origin));
  expect([...origins].filter((o) => o !== 'null').sort(), 'the lab’s three origins were all used').toEqual([...labOrigins].sort());
});
