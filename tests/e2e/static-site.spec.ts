/**
 * The static build (issue 20): `npm run build:static` under a base path, served by a plain static
 * host mounted at that path (tests/support/static-host.ts: no tenant, no API, no lab routes), then
 * crawled once in Chromium, every page: links and assets stay under the base and load, no console
 * error, no request leaves the static host (least of all to a lab port on loopback), every live
 * widget shows its "no lab" card and replays its recording, axe finds nothing in light and in dark,
 * and reading pages stay within the reading-page JavaScript budget (plain Starlight + 5 %).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { staticBuildEnv } from '../../scripts/build-static.ts';
import { loadLabConfig, STATIC_SITE_OUT_DIR } from '../../src/config/lab.ts';
import { AXE_TAGS, codeBlocksSettled, collectConsoleErrors } from '../support/page-checks.ts';
import { ensurePlainStarlightBuilt, measurePageJs, type PageWeight, PLAIN_PAGE, PLAIN_PAGE_WITHOUT_CODE } from '../support/page-weight.ts';
import { serveStatic } from '../support/static-host.ts';

const BASE = '/entra-flows-lab/';
const SITE = 'https://readers.example.org';
const REPOSITORY = 'https://github.com/example-org/entra-flows-lab';
const ARGS = ['--site', SITE, '--base', BASE, '--repository', REPOSITORY];
const OUT = STATIC_SITE_OUT_DIR;
/** Widgets that need a lab behind the page; the token decoder and the settings page run without one. */
const LIVE_WIDGETS = [
  'sign-in',
  'api-caller',
  'pkce',
  'client-credentials',
  'side-by-side',
  'tamper-lab',
  'flow-tracer',
  'workbench',
  'exercise',
];

/** Widgets that show more than one flow replay each of them, in this order (one column each). */
const RECORDINGS_SHOWN: Record<string, string[]> = { 'side-by-side': ['auth-code-pkce', 'client-credentials'] };

test.describe.configure({ mode: 'serial' });

function buildStatic(): Promise<void> {
  const env = staticBuildEnv(ARGS, process.env);
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(process.execPath, ['scripts/build-static.ts', ...ARGS], {
      env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`build:static exited with ${code}:\n${output.join('')}`))));
  });
}

const files = () => (readdirSync(OUT, { recursive: true }) as string[]).filter((f) => !f.startsWith('pagefind/') || f.endsWith('.js'));

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await buildStatic();
});

test('npm run build:static refuses a bad base path or site URL, naming the fix', () => {
  expect(() => staticBuildEnv(['--site', SITE, '--base', '/../etc/'], {})).toThrow(/LAB_BASE_PATH="\/..\/etc\/" is not a URL path/);
  expect(() => staticBuildEnv(['--site', 'github.io', '--base', BASE], {})).toThrow(/LAB_SITE_URL="github.io" is not the site's URL/);
});

test('the output calls no lab: no loopback URL with a port outside code shown to the reader', () => {
  // A lab origin is a loopback URL with a port (http://localhost:4400). Pages may show one as code, to
  // tell a reader what `npm start` serves; nothing may link to one, load one, or hold one in a
  // script, a style, or data a script reads. Entra's documented exception ("http://localhost", no
  // port) is prose and may appear anywhere.
  const labOrigin = /(?:https?|wss?):\/\/(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]):\d+/gi;
  const found: string[] = [];
  for (const file of files()) {
    if (!/\.(html|js|mjs|css|json|xml|webmanifest|txt)$/.test(file)) continue;
    let text = readFileSync(join(OUT, file), 'utf8');
    if (file.endsWith('.html')) {
      const config = /<script type="application\/json" data-lab-config>([\s\S]*?)<\/script>/.exec(text)?.[1] ?? '';
      if (/localhost|127\.0\.0\.1/.test(config)) found.push(`${file}: the embedded lab config names this machine`);
      // Code shown to the reader: <code>, <pre> and Expressive Code's copy text.
      text = text.replace(/<(code|pre)\b[\s\S]*?<\/\1>/g, '').replace(/\sdata-code="[^"]*"/g, '');
    }
    for (const [url] of text.matchAll(labOrigin)) found.push(`${file}: ${url}`);
  }
  expect(found).toEqual([]);
  // The recorded runs the pages show name the lab's hosts by role, not as this machine's ports.
  expect(readFileSync(join(OUT, 'guides/auth-code-pkce/index.html'), 'utf8')).toContain('sandbox-tenant.invalid');
});

/** axe with the rule sets of tests/support/page-checks.ts, as a list (the crawl reports every page at once). */
async function axeProblems(page: Page, label: string): Promise<string[]> {
  await codeBlocksSettled(page);
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations.map((v) => `${label}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface Visit {
  path: string;
  weight: PageWeight;
  widgets: string[];
  hasCode: boolean;
}

async function checkNoLabCards(page: Page, problems: string[], path: string): Promise<number> {
  let replays = 0;
  const widgets = await page
    .locator('[data-widget]')
    .evaluateAll((roots) =>
      roots.map((root) => ({ kind: (root as HTMLElement).dataset.widget ?? '', card: root.querySelector('lab-no-lab') !== null })),
    );
  for (const { kind, card } of widgets)
    if (LIVE_WIDGETS.includes(kind) && !card) problems.push(`${path}: the ${kind} widget has no "no lab" card`);
  const cards = page.locator('lab-no-lab');
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    await expect(card).toBeVisible();
    await expect(card).toContainText('No lab behind this page');
    await expect(card).toContainText('npm install && npm start');
    await expect(card.getByRole('link', { name: 'the repository' })).toHaveAttribute('href', REPOSITORY);
    await expect(card.getByRole('link', { name: 'Settings page' })).toHaveAttribute('href', `${BASE}tools/settings/`);
    // The widget's own controls do nothing without a lab, so they say so by being disabled.
    const live = await card.evaluate((el) => {
      const host = el.closest('[data-widget]');
      return [...(host?.querySelectorAll('button, input, select, textarea') ?? [])]
        .filter((b) => !el.contains(b) && !(b as HTMLButtonElement).disabled && !b.closest('[data-works-without-lab]'))
        .map((b) => b.textContent?.trim() || b.getAttribute('name'));
    });
    if (live.length) problems.push(`${path}: enabled controls beside the "no lab" card: ${live.join(', ')}`);
    // One recording per flow the widget shows, each replayed on its own, lighting its flow's diagram.
    const recordings = card.locator('.lab-replay');
    const flows = await recordings.evaluateAll((groups) => groups.map((g) => (g as HTMLElement).dataset.flow ?? ''));
    const kind = await card.evaluate((el) => el.closest<HTMLElement>('[data-widget]')?.dataset.widget);
    if (kind && kind in RECORDINGS_SHOWN && flows.join(' ') !== RECORDINGS_SHOWN[kind]?.join(' '))
      problems.push(`${path}: the ${kind} widget replays [${flows.join(', ')}], not [${RECORDINGS_SHOWN[kind]?.join(', ')}]`);
    for (let j = 0; j < flows.length; j++) {
      const recording = recordings.nth(j);
      const flow = flows[j];
      await expect(recording).toHaveAttribute('aria-label', /^Recording: /);
      await expect(recording).toContainText('Recording');
      await recording.getByRole('button', { name: 'Play step 1' }).click();
      await expect(recording.locator('li[aria-current="step"]')).toHaveCount(1);
      await expect(recording.locator('[data-part="replay-announce"]')).toContainText('Recording, step 1 of');
      await recording.getByRole('button', { name: 'Play step 2' }).click();
      await expect(recording.locator('li[data-status="seen"]')).toHaveCount(2);
      const diagram = page.locator(`figure.flow-diagram[data-flow="${flow}"]`).first();
      if (await diagram.count()) await expect(diagram.locator('g.flow-step[data-trace="seen"]').first()).toBeAttached();
      await recording.getByRole('button', { name: 'Start over' }).click();
      await expect(recording.locator('li[data-status="seen"]')).toHaveCount(0);
      replays++;
    }
  }
  return replays;
}

test('crawled once in Chromium under the base path: every page, link, asset, widget and theme', async ({ page }) => {
  test.setTimeout(1_200_000); // the whole site, with axe twice per page, on a shared CI machine
  const host = await serveStatic(OUT, BASE);
  // The baseline on a plain static host too: the lab's site server would send a page without a policy
  // `default-src 'none'` (servers/site/main.ts), blocking the plain page's scripts.
  const plain = await serveStatic(await ensurePlainStarlightBuilt(), '/');
  const problems: string[] = [];
  const errors = collectConsoleErrors(page);
  page.on('request', (request) => {
    const url = request.url();
    if (/^(data|blob):/.test(url)) return;
    if (!url.startsWith(`${host.origin}/`)) problems.push(`${page.url()}: request to ${url}`);
    else if (!new URL(url).pathname.startsWith(BASE)) problems.push(`${page.url()}: request outside the base path: ${url}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${page.url()}: ${response.status()} for ${response.url()}`);
  });
  try {
    const withCode = await measurePageJs(page, plain.origin, PLAIN_PAGE);
    const withoutCode = await measurePageJs(page, plain.origin, PLAIN_PAGE_WITHOUT_CODE);
    problems.length = 0; // the baseline site is not under test
    expect(withoutCode.totalGzipBytes, 'the baseline page loads Starlight’s scripts').toBeGreaterThan(10_000);
    const queue = [BASE];
    const seen = new Set(queue);
    const visits: Visit[] = [];
    let replays = 0;
    while (queue.length) {
      const path = queue.shift() as string;
      errors.length = 0;
      await page.emulateMedia({ colorScheme: 'light' });
      const weight = await measurePageJs(page, host.origin, path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      const links = await page
        .locator('a[href], link[href], script[src], img[src], form[action]')
        .evaluateAll((elements) => elements.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? ''));
      for (const raw of links) {
        const url = new URL(raw, `${host.origin}${path}`);
        if (url.origin !== host.origin) continue;
        if (!url.pathname.startsWith(BASE)) {
          problems.push(`${path}: link outside the base path: ${raw}`);
          continue;
        }
        const target = url.pathname;
        if (seen.has(target)) continue;
        seen.add(target);
        if (target.endsWith('/') || target.endsWith('.html')) queue.push(target);
        else {
          const response = await page.request.get(`${host.origin}${target}`);
          if (!response.ok()) problems.push(`${path}: ${response.status()} for ${raw}`);
        }
      }
      // As tests/e2e/guides.spec.ts: a page that embeds an interactive element (a widget, the error filter) pays for it there.
      const widgets = await page.$$eval('*', (els) =>
        els
          .map((e) => e.localName)
          .filter((name) => name.includes('-') && !/^(starlight-|mobile-starlight-|sl-|site-search$|astro-)/.test(name)),
      );
      visits.push({ path, weight, widgets, hasCode: (await page.locator('.expressive-code').count()) > 0 });
      if (path.endsWith('/redirect.html')) continue; // MSAL's redirect bridge: a blank page, no Starlight
      problems.push(...(await axeProblems(page, `${path} (light)`)));
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      problems.push(...(await axeProblems(page, `${path} (dark)`)));
      replays += await checkNoLabCards(page, problems, path);
      for (const error of errors) problems.push(`${path}: console error: ${error}`);
    }
    expect(problems).toEqual([]);
    // Every page the build wrote was reached by links alone (not the 404 page, nor MSAL's redirect bridge).
    const built = files()
      .filter((f) => f.endsWith('.html') && f !== '404.html' && f !== 'redirect.html')
      .map((f) => `${BASE}${f.replace(/(^|\/)index\.html$/, '$1')}`);
    expect(visits.map((v) => v.path).sort(), 'pages crawled').toEqual(built.sort());
    expect(replays, 'recordings replayed').toBeGreaterThanOrEqual(10);

    // Reading pages (no widget) cost what a plain Starlight page costs, +5 % (as tests/e2e/guides.spec.ts).
    const over: string[] = [];
    const reading = visits.filter((v) => v.widgets.length === 0 && /guides\/[^/]+\/$|^\/entra-flows-lab\/$/.test(v.path));
    for (const visit of reading) {
      // Like for like: a page with code blocks against the plain page with one (Expressive Code's copy button).
      const baseline = visit.hasCode ? withCode : withoutCode;
      const ratio = visit.weight.totalGzipBytes / baseline.totalGzipBytes;
      if (ratio > 1.05)
        over.push(`${visit.path}: ${visit.weight.totalGzipBytes} B gz vs ${baseline.totalGzipBytes} B (${ratio.toFixed(3)}×)`);
    }
    expect(reading.length, `reading pages: ${reading.map((v) => v.path).join(', ')}`).toBeGreaterThanOrEqual(5);
    expect(over).toEqual([]);
  } finally {
    await host.close();
    await plain.close();
  }
});

test('search, dark mode, copy buttons and diagrams work under the base path', async ({ page, context }) => {
  const host = await serveStatic(OUT, BASE);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`${host.origin}${BASE}guides/auth-code-pkce/`);
    // Diagrams: drawn at build time as inline SVG.
    await expect(page.locator('figure.flow-diagram[data-flow="auth-code-pkce"] svg[role="img"]').first()).toBeVisible();
    // Copy buttons (Expressive Code): the first one on screen (the captured legs' are in closed <details>).
    const copy = page.locator('.expressive-code .copy button').filter({ visible: true }).first();
    await copy.click();
    expect((await page.evaluate(() => navigator.clipboard.readText())).length).toBeGreaterThan(0);
    // Dark mode: Starlight's theme picker, kept across pages under the base path.
    await page.getByRole('combobox', { name: 'Select theme' }).first().selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.goto(`${host.origin}${BASE}guides/start-here/`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // Search: Pagefind's index and results under the base path.
    await page
      .getByRole('button', { name: /^Search/ })
      .first()
      .click();
    await page.getByRole('dialog', { name: 'Search' }).getByRole('textbox').fill('code_verifier');
    const result = page.locator('.pagefind-ui__result-link').first();
    await expect(result).toBeVisible({ timeout: 20_000 });
    expect(await result.getAttribute('href')).toMatch(new RegExp(`^${BASE}`));
  } finally {
    await host.close();
  }
});

test('the static config names the repository and no lab origin; the lab config is unchanged', () => {
  const staticConfig = loadLabConfig(staticBuildEnv(ARGS, {}));
  expect(staticConfig).toMatchObject({ mode: 'static', tenantOrigin: '', apiOrigin: '', basePath: BASE, repositoryUrl: REPOSITORY });
  expect(staticConfig.redirectUris).toEqual([`${SITE}${BASE}`, `${SITE}${BASE}redirect.html`]);
  expect(loadLabConfig({}).basePath).toBe('/');
  // Azure Static Web Apps' headers, written beside the pages: CSP with frame-ancestors, immutable /_astro/.
  const swa = JSON.parse(readFileSync(join(OUT, 'staticwebapp.config.json'), 'utf8'));
  expect(swa.globalHeaders['Content-Security-Policy']).toContain("frame-ancestors 'self'");
  expect(swa.globalHeaders['Content-Security-Policy']).not.toMatch(/localhost|default-src/);
  expect(swa.routes).toContainEqual({ route: `${BASE}_astro/*`, headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } });
});
