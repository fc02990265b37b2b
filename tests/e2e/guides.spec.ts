/**
 * The reading half of the lab: the guide pages load cleanly in both themes, link only to pages and
 * anchors that exist, draw their diagrams as inline SVG without JavaScript, keep copy buttons on
 * code, are searchable offline, and cost no more JavaScript than a plain Starlight page (+5 %), widget
 * pages too until a widget is used (their code loads then: src/widgets/shared/lazyWidgets.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { type Flow, flowSchema } from '../../src/data/schemas.ts';
import { collectConsoleErrors, expectNoAxeViolations } from '../support/page-checks.ts';
import {
  ensurePlainStarlightBuilt,
  measurePageJs,
  PLAIN_PAGE,
  PLAIN_PAGE_WITH_TABS,
  PLAIN_PAGE_WITHOUT_CODE,
  serveDist,
} from '../support/page-weight.ts';

/** The reading pages, in sidebar order. */
const GUIDES = [
  { path: '/guides/start-here/', title: 'Start here' },
  { path: '/guides/which-flow/', title: 'Which flow do I need?' },
  { path: '/guides/client-and-server-apps/', title: 'Client app vs server app' },
  { path: '/guides/auth-code-pkce/', title: 'Authorization Code + PKCE' },
  { path: '/guides/client-credentials/', title: 'Client Credentials' },
  { path: '/guides/on-behalf-of/', title: 'On-behalf-of (an API that calls an API)' },
  { path: '/guides/side-by-side/', title: 'Side by side' },
  { path: '/guides/six-steps/', title: 'The six steps' },
  { path: '/guides/validating-tokens/', title: 'Validating tokens in your API' },
  { path: '/guides/your-app/', title: 'Use the sandbox with your own app' },
] as const;
const READING_PAGES = [{ path: '/', title: 'Entra Flows Lab' }, ...GUIDES];
const DIAGRAM_PAGES = [
  { path: '/guides/auth-code-pkce/', flow: 'auth-code-pkce' },
  { path: '/guides/client-credentials/', flow: 'client-credentials' },
  { path: '/guides/six-steps/', flow: 'six-steps' },
  { path: '/guides/on-behalf-of/', flow: 'on-behalf-of' },
] as const;
const DIST = 'dist';

const readFlow = (id: string): Flow => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`guide pages in ${colorScheme} mode`, () => {
    test.use({ colorScheme });
    for (const { path, title } of READING_PAGES) {
      test(`${path} loads without console errors and has 0 axe violations (WCAG 2.2 AA)`, async ({ page }) => {
        test.setTimeout(90_000); // axe on a long page of highlighted code takes a while on a busy machine
        const errors = collectConsoleErrors(page);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
        await expect(page.locator('h1').first()).toHaveText(title);
        await page.waitForLoadState('networkidle');
        await expectNoAxeViolations(page);
        expect(errors).toEqual([]);
      });
    }
  });
}

// Expressive Code makes a code block that scrolls a focusable region; each needs a name of its own
// (src/integrations/codeBlockNames.ts), or axe's landmark-unique fails on a page with two of them.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`every scrolling code block is a region with a name of its own (${colorScheme})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    for (const path of ['/guides/deploy-static/', '/guides/real-tenant/']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expectNoAxeViolations(page); // waits for Expressive Code to mark the blocks that scroll
      const names = await page
        .locator('.expressive-code pre[role="region"]')
        .evaluateAll((pres) => pres.map((p) => p.getAttribute('aria-label')));
      expect(names.length, `${path}: code blocks that scroll`).toBeGreaterThanOrEqual(2);
      expect(
        names.every((name) => name?.startsWith('Code: ')),
        names.join(' | '),
      ).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      // A block that does not scroll has no role, so no name either (a named generic `pre` is not allowed).
      expect(await page.locator('.expressive-code pre[aria-label]:not([role])').count()).toBe(0);
    }
  });
}

test('the guides appear in the sidebar in reading order', async ({ page }) => {
  await page.goto(GUIDES[0].path);
  const hrefs = await page
    .locator('nav[aria-label="Main"] a[href^="/guides/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const order = GUIDES.map((g) => hrefs.indexOf(g.path));
  expect(
    order.every((i) => i >= 0),
    `all guides in the sidebar: ${hrefs.join(', ')}`,
  ).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
});

/** Every built page, as the path a browser asks for (`/guides/six-steps/`, `/404.html`) and its HTML. */
function builtPages(): { path: string; html: string }[] {
  return (readdirSync(DIST, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.html'))
    .map((file) => ({
      path: `/${file.replace(/(^|\/)index\.html$/, '$1')}`,
      html: readFileSync(join(DIST, file), 'utf8'),
    }));
}

const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

test('no page links to a page or an anchor that does not exist', () => {
  const pages = builtPages();
  const byPath = new Map(pages.map((p) => [p.path, p]));
  const broken: string[] = [];
  for (const { path, html } of pages) {
    for (const [, raw = ''] of html.matchAll(/<a\b[^>]*\shref="([^"]+)"/g)) {
      const href = raw.replace(/&amp;/g, '&');
      if (/^(?:[a-z]+:|\/\/)/i.test(href)) continue; // external, mailto:…
      const url = new URL(href, `http://site${path}`);
      if (url.pathname.startsWith('/_astro/') || url.pathname.startsWith('/pagefind/')) continue;
      const target = byPath.get(url.pathname) ?? byPath.get(`${url.pathname}/`);
      const isFile = existsSync(join(DIST, decodeURIComponent(url.pathname)));
      if (!target && !isFile) {
        broken.push(`${path} → ${href} (no such page)`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && target && !idsOf(target.html).has(fragment)) broken.push(`${path} → ${href} (no element with id "${fragment}")`);
    }
  }
  expect(broken).toEqual([]);
});

test('every page has a description of at least a sentence, and each guide its own', () => {
  const descriptions = builtPages()
    // Starlight pages only: standalone HTML such as MSAL's redirect bridge is not a page to read.
    .filter(({ path, html }) => path !== '/404.html' && html.includes('<meta property="og:site_name"'))
    .map(({ path, html }) => ({ path, description: /<meta name="description" content="([^"]*)"/.exec(html)?.[1] ?? '' }));
  expect(descriptions.filter(({ description }) => description.length < 30)).toEqual([]);
  const guides = descriptions.filter(({ path }) => GUIDES.some((g) => g.path === path));
  expect(guides).toHaveLength(GUIDES.length);
  expect(new Set(guides.map((g) => g.description)).size).toBe(GUIDES.length);
});

for (const { path, flow: flowId } of DIAGRAM_PAGES) {
  test(`${path} draws the ${flowId} diagram as inline SVG with a title, a description and one data-step per flow step`, async ({
    page,
  }) => {
    const flow = readFlow(flowId);
    await page.goto(path);
    const svg = page.locator(`figure.flow-diagram[data-flow="${flowId}"] svg[role="img"]`);
    await expect(svg).toHaveCount(1);
    await expect(svg).toBeVisible();
    // The accessible name and description come from the SVG's own <title> and <desc>.
    await expect(svg).toHaveAccessibleName(`${flow.title}: sequence diagram`);
    await expect(svg).toHaveAccessibleDescription(new RegExp(`^${flow.summary.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const steps = await svg.locator('g.flow-step').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-step')));
    expect(steps).toEqual(flow.steps.map((s) => s.id));
    // Each message's arrow is drawn: a visible stroke, not Mermaid's stroke="none" default.
    const stroke = await svg
      .locator('g.flow-step [data-et="message"]')
      .first()
      .evaluate((el) => getComputedStyle(el).stroke);
    expect(stroke).not.toBe('none');
  });
}

test('diagrams ship no JavaScript: no script in their markup, and a diagram page without widgets loads only what a plain page does', async ({
  page,
}) => {
  const scriptsOf = async (path: string) => {
    const urls = new Set<string>();
    const onRequest = (request: import('@playwright/test').Request) => {
      if (request.resourceType() === 'script') urls.add(new URL(request.url()).pathname);
    };
    page.on('request', onRequest);
    await page.goto(path, { waitUntil: 'networkidle' });
    page.off('request', onRequest);
    const inline = await page.$$eval('script:not([src])', (els) =>
      els.filter((e) => !e.getAttribute('type') || e.getAttribute('type') === 'module').map((e) => e.textContent ?? ''),
    );
    return { urls, inline: new Set(inline) };
  };
  for (const { path, flow } of DIAGRAM_PAGES) {
    await page.goto(path);
    const figure = page.locator(`figure.flow-diagram[data-flow="${flow}"]`);
    await expect(figure).toHaveCount(1);
    const scripted = await figure.evaluate((el) =>
      [...el.querySelectorAll('*')].some((n) => n.localName === 'script' || [...n.attributes].some((a) => /^on/i.test(a.name))),
    );
    expect(scripted, `${path}: script or event handler inside the diagram`).toBe(false);
  }
  // Start here has prose and code blocks (Expressive Code's copy-button script) and no diagram; The six steps has a diagram and no widget.
  const plain = await scriptsOf('/guides/start-here/');
  const diagram = await scriptsOf('/guides/six-steps/');
  expect([...diagram.urls].filter((url) => !plain.urls.has(url))).toEqual([]);
  expect([...diagram.inline].filter((code) => !plain.inline.has(code))).toEqual([]);
});

test('code blocks have a copy button', async ({ page }) => {
  await page.goto('/guides/start-here/');
  const blocks = page.locator('.expressive-code');
  expect(await blocks.count()).toBeGreaterThan(0);
  await expect(blocks.first().getByRole('button', { name: 'Copy to clipboard' })).toBeAttached();
  await expect(page.locator('.expressive-code').getByRole('button', { name: 'Copy to clipboard' })).toHaveCount(await blocks.count());
});

test('Pagefind search works offline: typing a term finds the guide that explains it', async ({ page }) => {
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== 'localhost' && url.protocol !== 'data:') external.push(request.url());
  });
  await page.goto('/guides/start-here/');
  await page.getByRole('button', { name: 'Search' }).click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.getByRole('textbox').fill('code_verifier');
  await expect(dialog.locator('a[href*="/guides/auth-code-pkce/"]').first()).toBeVisible();
  expect(external).toEqual([]);
});

test('every page, widgets included, ships no more JavaScript than a plain Starlight page + 5 % until a widget is used', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const fixture = await serveDist(await ensurePlainStarlightBuilt());
  try {
    // Like for like: a page with code blocks is compared with a plain page that has one (Expressive Code's
    // copy button), a page with Starlight's <Tabs> with a plain page that has them (their own script).
    const withCode = await measurePageJs(page, fixture.origin, PLAIN_PAGE);
    const withoutCode = await measurePageJs(page, fixture.origin, PLAIN_PAGE_WITHOUT_CODE);
    const withTabs = await measurePageJs(page, fixture.origin, PLAIN_PAGE_WITH_TABS);
    expect(withoutCode.totalGzipBytes, 'the baseline page loads Starlight’s scripts').toBeGreaterThan(10_000);
    const over: string[] = [];
    const widgetPages: string[] = [];
    const paths = builtPages()
      .map((p) => p.path)
      .filter((path) => !path.endsWith('redirect.html'));
    for (const path of paths) {
      // Nothing is touched: the page as a reader who only reads gets it (measurePageJs waits for the network to go idle).
      const weight = await measurePageJs(page, baseURL as string, path);
      if ((await page.locator('[data-widget]').count()) > 0) widgetPages.push(path);
      const baseline =
        (await page.locator('starlight-tabs').count()) > 0
          ? withTabs
          : (await page.locator('.expressive-code').count()) > 0
            ? withCode
            : withoutCode;
      const ratio = weight.totalGzipBytes / baseline.totalGzipBytes;
      if (ratio > 1.05) {
        const extra = weight.scripts.filter((s) => !baseline.scripts.some((b) => b.url.split('.')[0] === s.url.split('.')[0]));
        over.push(
          `${path}: ${weight.totalGzipBytes} B gz vs ${baseline.totalGzipBytes} B for ${baseline.path} (${ratio.toFixed(3)}×); ` +
            `scripts a plain page does not load: ${extra.map((s) => `${s.url} ${s.gzipBytes} B`).join(', ')}`,
        );
      }
    }
    for (const path of ['/guides/auth-code-pkce/', '/tools/sign-in/', '/tools/token-decoder/', '/workshop/exercises/'])
      expect(widgetPages, 'pages with live widgets are measured too').toContain(path);
    expect(paths.length).toBeGreaterThanOrEqual(30);
    expect(over).toEqual([]);
  } finally {
    await fixture.close();
  }
});
