/**
 * `node bench/run.ts signin-legs`: the sandbox sign-in, leg by leg, against a stock oidc-provider.
 *
 *  1. Server-side legs, like for like: one HTTP driver (a browser's requests, cookies and redirects,
 *     no browser) signs alice in at the tenant and at a stock oidc-provider (./stockSignIn.ts: same
 *     version, same RS256 key, a minimal user + password page, no Entra shaping), interleaved:
 *       authorize → sign-in page   GET /authorize (303) + GET the interaction page (200)
 *       credentials → code         POST the form (303) + GET the resumed authorization (303 to the app)
 *       code → tokens              POST /token with the PKCE verifier (200: access, ID, refresh token)
 *     Wall-clock time per leg (median), and the servers' CPU per leg (process CPU minus this
 *     driver's thread: each server runs in a worker, signing in libuv's pool), which stays
 *     meaningful on a busy machine. Goal: the tenant ≤ 1.2× stock on each leg.
 *  2. End to end in Chromium with real MSAL.js: the /tools/sign-in page's "Sign in with a popup",
 *     cut into legs with the browser's own request timings (click → popup's first request,
 *     authorize → sign-in page, credentials → redirect to the app, code → tokens, tokens → the widget
 *     shows them). The time the test spends filling the form is left out. Goal: click → token
 *     ≤ 500 ms on a quiet machine (a figure, not a test). `BENCH_SIGNIN_SKIP_BROWSER=1` skips it.
 *
 * Ports: the tenant on this run's LAB_TENANT_PORT, the site on LAB_SITE_PORT (a built `dist`, built
 * here if stale), the stock provider on BENCH_STOCK_OIDC_PORT (default: the tenant's port + 60).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as oauth from 'oauth4webapi';
import { buildSite, isBuildFresh, sourceHash } from '../scripts/lib/site-build.ts';
import { startSite } from '../servers/site/main.ts';
import { SigningKeys } from '../servers/tenant/keys.ts';
import { startTenant } from '../servers/tenant/main.ts';
import { tenantStatePaths } from '../servers/tenant/state.ts';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import { type LabConfig, loadLabConfig } from '../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../src/config/sandbox.ts';
import { completeSandboxSignIn } from '../tests/support/sandbox-sign-in.ts';
import { CookieJar, navigate } from '../tests/support/tenant-http.ts';
import { median, printRatio } from './report.ts';
import { STOCK_CLIENT_ID, startStockSignInProvider } from './stockSignIn.ts';

const WARM_UP = 5;
const ROUNDS = Number(process.env.BENCH_SIGNIN_ROUNDS) || 30;
const BROWSER_RUNS = 7;
const GOAL_RATIO = 1.2;

const benchConfig = (): LabConfig => loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });

// ── The servers, each in a worker thread ────────────────────────────────────────────────────────

interface ServerData {
  signInLegsServer: 'tenant' | 'stock';
  stateDir: string;
  stockPort: number;
}

if (!isMainThread && (workerData as ServerData | undefined)?.signInLegsServer) {
  const data = workerData as ServerData;
  const config = benchConfig();
  if (data.signInLegsServer === 'tenant') {
    const tenant = await startTenant(config, { stateDir: data.stateDir });
    parentPort?.on('message', (m) => m === 'close' && void tenant.close().then(() => parentPort?.postMessage('closed')));
    parentPort?.postMessage({ origin: config.tenantOrigin });
  } else {
    const keys = await SigningKeys.load(tenantStatePaths(data.stateDir).signingKeys);
    const stock = await startStockSignInProvider(config, keys.providerJwks(), data.stockPort);
    parentPort?.on('message', (m) => m === 'close' && void stock.close().then(() => parentPort?.postMessage('closed')));
    parentPort?.postMessage({ origin: stock.origin });
  }
}

async function startServer(data: ServerData): Promise<{ origin: string; stop(): Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const { origin } = await new Promise<{ origin: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    origin,
    stop: async () => {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

// ── 1. The HTTP driver ──────────────────────────────────────────────────────────────────────────

/** What differs between the two servers; the driver is the same. */
interface Subject {
  name: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
}

const LEGS = ['authorize → sign-in page', 'credentials → code', 'code → tokens'] as const;
type Leg = (typeof LEGS)[number];
interface LegSample {
  ms: number;
  /** CPU the servers used during the leg (everything but this thread), µs. */
  serverCpuMicros: number;
}
type SignInSample = Record<Leg, LegSample> & { consentShown: boolean };

/** Runs `step`, timing it on the wall clock and counting the CPU of every thread but this one. */
async function timed(step: () => Promise<void>): Promise<LegSample> {
  const process0 = process.cpuUsage();
  const thread0 = process.threadCpuUsage();
  const start = performance.now();
  await step();
  const ms = performance.now() - start;
  const all = process.cpuUsage(process0);
  const mine = process.threadCpuUsage(thread0);
  return { ms, serverCpuMicros: Math.max(0, all.user + all.system - mine.user - mine.system) };
}

async function expectStatus(response: Response, status: number, what: string): Promise<string> {
  const body = await response.text();
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status}, expected ${status}\n${body.slice(0, 400)}`);
  return body;
}

function formAction(page: string, pageUrl: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form on the page:\n${page.slice(0, 400)}`);
  return new URL(action.replaceAll('&amp;', '&'), pageUrl).href;
}

const location = (response: Response, base: string) => new URL(response.headers.get('location') ?? '', base).href;
const formPost = (body: Record<string, string>, origin?: string): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(body),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
});

/** One sign-in of alice, as a browser does it: fresh cookies, PKCE S256, the app's redirect URI. */
async function signInOverHttp(config: LabConfig, subject: Subject): Promise<SignInSample> {
  const jar = new CookieJar();
  const redirectUri = config.redirectUris.find((uri) => uri.endsWith('/redirect.html')) as string;
  const verifier = oauth.generateRandomCodeVerifier();
  const authorize = new URL(subject.authorizeEndpoint);
  for (const [name, value] of Object.entries({
    client_id: subject.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `openid profile offline_access ${config.delegatedScopes.join(' ')}`,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    response_mode: 'fragment',
  }))
    authorize.searchParams.set(name, value);

  let page = '';
  let pageUrl = '';
  const authorizeLeg = await timed(async () => {
    const redirected = await navigate(jar, authorize.href);
    await expectStatus(redirected, 303, `${subject.name} GET /authorize`);
    pageUrl = location(redirected, authorize.href);
    page = await expectStatus(await navigate(jar, pageUrl), 200, `${subject.name} sign-in page`);
  });

  let callback: URL | undefined;
  let consentShown = false;
  const credentialsLeg = await timed(async () => {
    const body = { username: sandboxUsers.alice.preferredUsername, password: SANDBOX_PASSWORD };
    let response = await navigate(jar, formAction(page, pageUrl), formPost(body));
    let url = pageUrl;
    for (let hop = 0; hop < 6; hop++) {
      if (response.status === 200) {
        // The consent page (the tenant's first sign-in of alice): accept, as the warm-up does.
        const consent = await response.text();
        if (!consent.includes('Permissions requested')) throw new Error(`${subject.name}: unexpected page\n${consent.slice(0, 400)}`);
        consentShown = true;
        response = await navigate(jar, formAction(consent, url), formPost({ decision: 'accept' }));
        continue;
      }
      await expectStatus(response, 303, `${subject.name} hop ${hop} from ${url}`);
      url = location(response, url);
      if (url.startsWith(redirectUri)) {
        callback = new URL(url);
        return;
      }
      response = await navigate(jar, url);
    }
    throw new Error(`${subject.name}: no redirect to the app`);
  });
  const code = new URLSearchParams(callback?.hash.slice(1)).get('code');
  if (!code) throw new Error(`${subject.name}: no code in ${callback?.href}`);

  const tokenLeg = await timed(async () => {
    const response = await fetch(
      subject.tokenEndpoint,
      formPost(
        { grant_type: 'authorization_code', client_id: subject.clientId, code, redirect_uri: redirectUri, code_verifier: verifier },
        config.siteOrigin,
      ),
    );
    const tokens = JSON.parse(await expectStatus(response, 200, `${subject.name} POST /token`)) as Record<string, string>;
    if (!tokens.access_token || !tokens.id_token || !tokens.refresh_token)
      throw new Error(`${subject.name}: not every token came back: ${Object.keys(tokens).join(', ')}`);
  });
  return {
    'authorize → sign-in page': authorizeLeg,
    'credentials → code': credentialsLeg,
    'code → tokens': tokenLeg,
    consentShown,
  };
}

async function serverSideLegs(config: LabConfig, tenant: Subject, stock: Subject): Promise<void> {
  const subjects = [stock, tenant];
  for (let i = 0; i < WARM_UP; i++) for (const subject of subjects) await signInOverHttp(config, subject);
  const samples = new Map<string, SignInSample[]>(subjects.map((s) => [s.name, []]));
  // Interleaved, so drift on a shared machine hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of subjects) samples.get(subject.name)?.push(await signInOverHttp(config, subject));
  }
  const consents = (samples.get(tenant.name) ?? []).filter((s) => s.consentShown).length;
  console.log(
    `Sign-in legs over HTTP (one driver for both: cookies, redirects, PKCE S256), median of ${ROUNDS} interleaved sign-ins after ${WARM_UP} warm-ups` +
      `${consents ? `; the tenant showed its consent page ${consents} times` : ''}`,
  );
  const of = (subject: Subject, leg: Leg | 'total', field: keyof LegSample) =>
    median((samples.get(subject.name) ?? []).map((s) => (leg === 'total' ? LEGS.reduce((sum, l) => sum + s[l][field], 0) : s[leg][field])));
  const over: string[] = [];
  for (const leg of [...LEGS, 'total'] as const) {
    const wall = printRatio(
      `Sign-in leg "${leg}", wall clock: the tenant vs stock oidc-provider (goal ≤ ${GOAL_RATIO}×)`,
      { label: 'stock oidc-provider', value: of(stock, leg, 'ms'), unit: 'ms' },
      { label: 'sandbox tenant', value: of(tenant, leg, 'ms'), unit: 'ms' },
      'lower',
    );
    const cpu = printRatio(
      `Sign-in leg "${leg}", server CPU: the tenant vs stock oidc-provider (goal ≤ ${GOAL_RATIO}×)`,
      { label: 'stock oidc-provider', value: of(stock, leg, 'serverCpuMicros') / 1000, unit: 'CPU-ms' },
      { label: 'sandbox tenant', value: of(tenant, leg, 'serverCpuMicros') / 1000, unit: 'CPU-ms' },
      'lower',
    );
    if (leg !== 'total' && (wall > GOAL_RATIO || cpu > GOAL_RATIO)) over.push(`${leg} (${wall.toFixed(2)}× wall, ${cpu.toFixed(2)}× CPU)`);
  }
  console.log(over.length ? `Over ${GOAL_RATIO}× stock: ${over.join('; ')}` : `Every server-side leg is within ${GOAL_RATIO}× stock.`);
}

// ── 2. End to end in Chromium, real MSAL.js ─────────────────────────────────────────────────────

interface BrowserSample {
  clickToPopup: number;
  /** Of which: the widget's "does the tenant answer?" discovery fetch, from the click to its answer. */
  clickToReachable: number;
  /** Of which: from the click to MSAL's `window.open`. */
  clickToOpen: number;
  authorizeToPage: number;
  pageToReady: number;
  typing: number;
  credentialsToRedirect: number;
  redirectToTokenRequest: number;
  codeToTokens: number;
  tokensToWidget: number;
  clickToToken: number;
  clickToWidget: number;
}

/** Wall-clock epoch ms of a request's start and end, from the browser's own Resource Timing. */
function span(request: import('@playwright/test').Request): { start: number; end: number } {
  const t = request.timing();
  return { start: t.startTime, end: t.startTime + Math.max(t.responseEnd, 0) };
}

async function signInInBrowser(browser: import('@playwright/test').Browser, config: LabConfig): Promise<BrowserSample> {
  const context = await browser.newContext();
  const requests: import('@playwright/test').Request[] = [];
  context.on('request', (request) => requests.push(request));
  const page = await context.newPage();
  await page.goto(`${config.siteOrigin}/tools/sign-in/`);
  const button = page.locator('sign-in-widget button[data-action="login-popup"]');
  // The widget's code loads on first use (src/widgets/shared/lazyWidgets.ts): point at it, as a reader
  // does, and wait until it runs, so these legs time the sign-in, not the code download
  // (bench/widgets.bench.ts times that: click → popup, lazy vs eager).
  await page.locator('sign-in-widget').hover();
  await page.waitForFunction(() => document.querySelector('sign-in-widget')?.getAttribute('data-lazy') === 'ready');
  // In the page: when the click lands, and when the token decoder shows a token (epoch ms).
  await page.evaluate(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { benchMarks: Record<string, number> }).benchMarks = marks;
    const now = () => performance.timeOrigin + performance.now();
    document.addEventListener('click', () => (marks.click ??= now()), { capture: true, once: true });
    const open = window.open.bind(window);
    window.open = (...args) => {
      marks.open ??= now();
      return open(...args);
    };
    const shown = () => {
      const result = document.querySelector('sign-in-widget token-decoder [data-part="result"]') as HTMLElement | null;
      if (result?.checkVisibility() && result.textContent?.trim()) marks.widget ??= now();
    };
    new MutationObserver(shown).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const popupOpened = context.waitForEvent('page');
  await button.click();
  const popup = await popupOpened;
  await popup.getByLabel('Username').waitFor();
  await popup.waitForLoadState('load');
  // When the sign-in page was ready for the user (its load event), from the popup's own timing.
  const pageReady = await popup.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return performance.timeOrigin + entry.loadEventEnd;
  });
  await completeSandboxSignIn(popup, 'alice', 'accept');
  await page.locator('sign-in-widget token-decoder [data-part="result"]').waitFor({ state: 'visible' });
  await page.waitForFunction(() => (window as unknown as { benchMarks: { widget?: number } }).benchMarks.widget !== undefined);
  const marks = await page.evaluate(
    () => (window as unknown as { benchMarks: { click: number; open: number; widget: number } }).benchMarks,
  );
  await Promise.all(requests.map((r) => r.response().catch(() => null)));
  await context.close();

  const find = (what: string, test: (r: import('@playwright/test').Request) => boolean) => {
    const found = requests.find(test);
    if (!found) throw new Error(`the sign-in made no ${what} request`);
    return span(found);
  };
  const tenant = config.tenantOrigin;
  const reachable = find('discovery (reachability check)', (r) => r.url() === config.tenant.discovery);
  const authorize = find('authorize', (r) => r.url().startsWith(config.tenant.authorization));
  const signInPage = find('sign-in page', (r) => r.url().startsWith(tenant) && /\/interaction\/[\w-]+$/.test(new URL(r.url()).pathname));
  const login = find('login POST', (r) => r.method() === 'POST' && /\/interaction\/[\w-]+\/login$/.test(r.url()));
  const bridge = find('redirect bridge', (r) => r.url().startsWith(`${config.siteOrigin}/redirect.html`));
  const token = find('token', (r) => r.method() === 'POST' && r.url().startsWith(config.tenant.token));
  // What the test spent filling the form (a person would type here): from the page's load to the POST.
  const typing = Math.max(0, login.start - pageReady);
  return {
    clickToPopup: authorize.start - marks.click,
    clickToReachable: reachable.end - marks.click,
    clickToOpen: marks.open - marks.click,
    authorizeToPage: signInPage.end - authorize.start,
    pageToReady: pageReady - signInPage.end,
    typing,
    credentialsToRedirect: bridge.start - login.start,
    redirectToTokenRequest: token.start - bridge.start,
    codeToTokens: token.end - token.start,
    tokensToWidget: marks.widget - token.end,
    clickToToken: token.end - marks.click - typing,
    clickToWidget: marks.widget - marks.click - typing,
  };
}

async function endToEnd(config: LabConfig): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const root = process.env.LAB_SITE_DIST ?? 'dist';
  if (root === 'dist' && !(await isBuildFresh(await sourceHash(config)))) {
    console.log('Building the site for this run’s ports…');
    await buildSite(() => {});
  }
  const site = await startSite(config, root);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const samples: BrowserSample[] = [];
  try {
    await signInInBrowser(browser, config); // warm-up: the site's scripts in the HTTP cache of nobody, JIT on both sides
    for (let i = 0; i < BROWSER_RUNS; i++) samples.push(await signInInBrowser(browser, config));
  } finally {
    await browser.close();
    await site.close();
  }
  const m = (field: keyof BrowserSample) => median(samples.map((s) => s[field]));
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    `Sign-in in Chromium with MSAL.js (/tools/sign-in/, "Sign in with a popup"), median of ${BROWSER_RUNS} after a warm-up:\n` +
      `  click → popup's authorize request     ${ms(m('clickToPopup'))}   (the widget checks the tenant answers, MSAL builds the request)\n` +
      `    of which click → tenant answered     ${ms(m('clickToReachable'))}   (assertTenantReachable: GET discovery)\n` +
      `    of which click → window.open          ${ms(m('clickToOpen'))}   (then the new window starts loading /authorize)\n` +
      `  authorize → sign-in page served       ${ms(m('authorizeToPage'))}\n` +
      `  sign-in page served → loaded          ${ms(m('pageToReady'))}\n` +
      `  (filling the form, excluded)          ${ms(m('typing'))}\n` +
      `  credentials posted → redirect to app  ${ms(m('credentialsToRedirect'))}\n` +
      `  redirect → token request sent         ${ms(m('redirectToTokenRequest'))}   (MSAL reads the code from the popup)\n` +
      `  code → tokens                         ${ms(m('codeToTokens'))}\n` +
      `  tokens → the widget shows them        ${ms(m('tokensToWidget'))}\n` +
      `  click → token, form filling excluded  ${ms(m('clickToToken'))}   (goal ≤ 500 ms on a quiet machine)\n` +
      `  click → token shown, same             ${ms(m('clickToWidget'))}`,
  );
  printRatio(
    'Sign-in in Chromium: click → token (form filling excluded) vs the goal',
    { label: 'goal', value: 500, unit: 'ms' },
    { label: 'click → token, median', value: m('clickToToken'), unit: 'ms' },
    'lower',
  );
}

export default async function signInLegsBench(): Promise<void> {
  const config = benchConfig();
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-tenant-signin-bench-'));
  const stockPort = Number(process.env.BENCH_STOCK_OIDC_PORT) || config.ports.tenant + 60;
  const tenantServer = await startServer({ signInLegsServer: 'tenant', stateDir, stockPort });
  const stockServer = await startServer({ signInLegsServer: 'stock', stateDir, stockPort });
  // Both reached on 127.0.0.1, so no name lookup differs between them.
  const tenantBase = config.tenant.authorization.replace(new URL(config.tenantOrigin).host, `127.0.0.1:${config.ports.tenant}`);
  const tenant: Subject = {
    name: 'sandbox tenant',
    authorizeEndpoint: tenantBase,
    tokenEndpoint: tenantBase.replace(/\/authorize$/, '/token'),
    clientId: config.ids.spaClientId,
  };
  const stock: Subject = {
    name: 'stock oidc-provider',
    authorizeEndpoint: `${stockServer.origin}/auth`,
    tokenEndpoint: `${stockServer.origin}/token`,
    clientId: STOCK_CLIENT_ID,
  };
  try {
    await serverSideLegs(config, tenant, stock);
    if (process.env.BENCH_SIGNIN_SKIP_BROWSER !== '1') await endToEnd(config);
  } finally {
    await Promise.all([tenantServer.stop(), stockServer.stop()]);
    await rm(stateDir, { recursive: true, force: true });
  }
}
