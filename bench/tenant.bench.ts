/**
 * The sandbox tenant's speed, measured against a baseline in the same run:
 * - Client Credentials tokens per second (RS256-signed JWTs, 10 connections, interleaved rounds) vs
 *   oauth2-mock-server, a minimal OAuth mock that signs the same kind of token and checks nothing,
 *   and vs a stock oidc-provider signing with the tenant's own key. The tenant does more per
 *   request (Entra's client authentication and scope rules, token shaping, events); the ratios say
 *   what that fidelity costs. The goals use the plain-http path (what the browser uses); the https
 *   path (TLS on the same port, keep-alive: what Node clients use) is reported next to it.
 *   `BENCH_TENANT_SKIP_BROWSER=1` skips the Chromium part.
 * - Click-to-token time of an MSAL.js sign-in (popup, sign-in page, token redemption) in Chromium,
 *   compared with MSAL's silent refresh-token renewal on the same page.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { OAuth2Server } from 'oauth2-mock-server';
import { SigningKeys } from '../servers/tenant/keys.ts';
import { startTenant } from '../servers/tenant/main.ts';
import { tenantStatePaths } from '../servers/tenant/state.ts';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import { authorityEndpoints, loadLabConfig } from '../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxApps, sandboxUsers } from '../src/config/sandbox.ts';
import { fixtureSpaPage } from '../tests/fixtures/msal-spa/bundle.ts';
import { median, printRatio } from './report.ts';

const DURATION_SECONDS = 3;
const CONNECTIONS = 10;
const ROUNDS = 3;
const SIGN_INS = 5;

interface Target {
  name: string;
  url: string;
  body: string;
}

interface LoadResult {
  tokensPerSecond: number;
  /** CPU the servers used per token, in µs: the process's CPU minus the load generator's thread. */
  cpuMicrosPerToken: number;
}

/** In a worker: autocannon, so the load generator never shares the servers' event loop. */
if (!isMainThread && (workerData as { tenantBenchLoad?: Target } | undefined)?.tenantBenchLoad) {
  const { target, duration } = workerData as { tenantBenchLoad: Target; target: Target; duration: number };
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: target.body,
    connections: CONNECTIONS,
    duration,
  });
  const { user, system } = process.threadCpuUsage();
  // In a worker thread autocannon hands back its raw counters, not the aggregated summary.
  const raw = result as unknown as { totalCompletedRequests: number; duration: number; non2xx: number; errors: number };
  parentPort?.postMessage({
    rate: raw.totalCompletedRequests / raw.duration,
    total: raw.totalCompletedRequests,
    bad: raw.non2xx + raw.errors,
    cpu: user + system,
  });
}

async function tokensPerSecond(target: Target, duration: number): Promise<LoadResult> {
  const before = process.cpuUsage();
  const worker = new Worker(new URL(import.meta.url), { workerData: { tenantBenchLoad: target, target, duration } });
  const outcome = await new Promise<{ rate: number; total: number; bad: number; cpu: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const used = process.cpuUsage(before);
  await worker.terminate();
  if (outcome.bad > 0) throw new Error(`${target.name}: ${outcome.bad} non-2xx answers or errors`);
  return { tokensPerSecond: outcome.rate, cpuMicrosPerToken: (used.user + used.system - outcome.cpu) / Math.max(1, outcome.total) };
}

/**
 * A stock oidc-provider (no Entra shaping, no pre-checks, no events) with the tenant's own signing
 * key, issuing the same kind of token: an RS256 JWT access token for the Tasks API, client_secret_post.
 */
async function startStockProvider(config: ReturnType<typeof loadLabConfig>, jwks: { keys: object[] }) {
  const { default: Provider } = await import('oidc-provider');
  const apiScope = config.defaultScope;
  const resource = apiScope.slice(0, -'/.default'.length);
  const provider = new Provider('http://127.0.0.1/stock', {
    clients: [
      {
        client_id: 'stock-daemon',
        client_secret: 'stock-daemon-secret',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: jwks as never,
    scopes: [apiScope],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: apiScope,
          audience: config.ids.apiClientId,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'stock-daemon',
      client_secret: 'stock-daemon-secret',
      scope: apiScope,
    }).toString(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function clientCredentials(config: ReturnType<typeof loadLabConfig>, stateDir: string): Promise<void> {
  const mock = new OAuth2Server();
  await mock.issuer.keys.generate('RS256');
  await mock.start(0, 'localhost');
  const keys = await SigningKeys.load(tenantStatePaths(stateDir).signingKeys);
  const stock = await startStockProvider(config, keys.providerJwks());
  const tenantBody = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.ids.daemonClientId,
    client_secret: sandboxApps.daemon.sandboxSecret,
    scope: config.defaultScope,
  }).toString();
  const targets: Target[] = [
    {
      name: 'oauth2-mock-server',
      url: `${mock.issuer.url}/token`,
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: config.defaultScope }).toString(),
    },
    { name: 'stock oidc-provider', url: stock.url, body: stock.body },
    { name: 'tenant (http)', url: config.tenant.token, body: tenantBody },
    // What Node clients use by default: the https authority, TLS on the same port, keep-alive.
    { name: 'tenant (https)', url: authorityEndpoints(config).token, body: tenantBody },
  ];
  try {
    for (const target of targets) await tokensPerSecond(target, 1); // warm-up: JIT, keep-alive sockets
    // Interleaved rounds, so drift on a shared machine hits every target alike.
    const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) runs.get(target.name)?.push(await tokensPerSecond(target, DURATION_SECONDS));
    }
    const rate = (name: string) => median((runs.get(name) ?? []).map((r) => r.tokensPerSecond));
    // Tokens per CPU-second of the serving side (signing threads included): steady when other
    // programs compete for the cores, unlike wall-clock throughput.
    const perCpu = (name: string) => 1e6 / median((runs.get(name) ?? []).map((r) => r.cpuMicrosPerToken));
    const title = (what: string) => `Client Credentials ${what} (${CONNECTIONS} connections, median of ${ROUNDS} × ${DURATION_SECONDS} s)`;
    const w = (label: string, name: string) => ({ label, value: rate(name), unit: 'tokens/s' });
    const c = (label: string, name: string) => ({ label, value: perCpu(name), unit: 'tokens/CPU-s' });
    const pairs: [string, string, string, string, string][] = [
      [
        'tenant over http vs oauth2-mock-server (goal ≥ 2×)',
        'oauth2-mock-server',
        'oauth2-mock-server',
        'sandbox tenant, http',
        'tenant (http)',
      ],
      [
        'tenant over http vs stock oidc-provider, same key (goal ≥ 0.8×)',
        'stock oidc-provider',
        'stock oidc-provider',
        'sandbox tenant, http',
        'tenant (http)',
      ],
      [
        'tenant over https (keep-alive) vs oauth2-mock-server',
        'oauth2-mock-server',
        'oauth2-mock-server',
        'sandbox tenant, https',
        'tenant (https)',
      ],
      [
        'tenant over https (keep-alive) vs stock oidc-provider',
        'stock oidc-provider',
        'stock oidc-provider',
        'sandbox tenant, https',
        'tenant (https)',
      ],
      ['tenant over https (keep-alive) vs over http', 'sandbox tenant, http', 'tenant (http)', 'sandbox tenant, https', 'tenant (https)'],
    ];
    for (const [what, baseLabel, base, subjectLabel, subject] of pairs) {
      printRatio(title(`tokens per CPU-second, ${what}`), c(baseLabel, base), c(subjectLabel, subject), 'higher');
      printRatio(title(`tokens per second (wall clock), ${what}`), w(baseLabel, base), w(subjectLabel, subject), 'higher');
    }
  } finally {
    await mock.stop();
    await stock.close();
  }
}

/** Serves the MSAL fixture SPA and the real bridge page on the site origin (no site build needed). */
async function serveFixtureSite(config: ReturnType<typeof loadLabConfig>) {
  const html = await fixtureSpaPage(config);
  const bridge = await readFile('public/redirect.html');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', config.siteOrigin).pathname;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(path === '/redirect.html' ? bridge : html);
  });
  await new Promise<void>((resolve) => server.listen(config.ports.site, 'localhost', resolve));
  return server;
}

type LabWindow = Window & { lab: Record<string, (arg?: unknown) => Promise<{ error?: unknown } | undefined>> & { ready?: boolean } };

async function clickToToken(config: ReturnType<typeof loadLabConfig>): Promise<void> {
  const site = await serveFixtureSite(config);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const interactive: number[] = [];
  const silent: number[] = [];
  try {
    for (let i = 0; i < SIGN_INS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${config.siteOrigin}/`);
      await page.waitForFunction(() => (window as unknown as LabWindow).lab?.ready === true);
      const started = performance.now();
      const popupOpened = page.waitForEvent('popup');
      const result = page.evaluate(() => (window as unknown as LabWindow).lab.loginPopup?.());
      const popup = await popupOpened;
      await popup.getByLabel('Username').fill(sandboxUsers.alice.preferredUsername);
      await popup.getByLabel('Password').fill(SANDBOX_PASSWORD);
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Sign in' }).click();
      const accept = popup.getByRole('button', { name: 'Accept' });
      await Promise.race([closed, accept.click().catch(() => undefined)]);
      const outcome = await result;
      interactive.push(performance.now() - started);
      if (outcome?.error) throw new Error(`sign-in failed: ${JSON.stringify(outcome.error)}`);
      const renewStarted = performance.now();
      const renewed = await page.evaluate(() => (window as unknown as LabWindow).lab.acquireTokenSilent?.(true));
      silent.push(performance.now() - renewStarted);
      if (renewed?.error) throw new Error(`silent renewal failed: ${JSON.stringify(renewed.error)}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => site.close(resolve));
  }
  printRatio(
    `MSAL.js sign-in, click to token (popup, typed credentials, median of ${SIGN_INS})`,
    { label: 'silent renewal (refresh token, same page)', value: median(silent), unit: 'ms' },
    { label: 'interactive sign-in (popup)', value: median(interactive), unit: 'ms' },
    'lower',
  );
}

export default async function tenantBench(): Promise<void> {
  const config = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-tenant-bench-'));
  const tenant = await startTenant(config, { stateDir });
  try {
    await clientCredentials(config, stateDir);
    if (process.env.BENCH_TENANT_SKIP_BROWSER !== '1') await clickToToken(config);
  } finally {
    await tenant.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
