/**
 * The sandbox tenant's speed, measured against a baseline in the same run:
 * - Client Credentials tokens per second (RS256-signed JWTs over HTTP, 10 connections) vs
 *   oauth2-mock-server, a minimal OAuth mock that signs the same kind of token and checks nothing.
 *   The tenant does more per request (Entra's client authentication and scope rules, oidc-provider,
 *   token shaping, events); the ratio says what that fidelity costs, or that it costs nothing.
 * - Click-to-token time of an MSAL.js sign-in (popup, sign-in page, token redemption) in Chromium,
 *   compared with MSAL's silent refresh-token renewal on the same page.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { OAuth2Server } from 'oauth2-mock-server';
import { startTenant } from '../servers/tenant/main.ts';
import { chromiumArgs, chromiumPath } from '../src/config/chromium.ts';
import { loadLabConfig } from '../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxApps, sandboxUsers } from '../src/config/sandbox.ts';
import { fixtureSpaPage } from '../tests/fixtures/msal-spa/bundle.ts';
import { median, printRatio } from './report.ts';

const DURATION_SECONDS = 4;
const CONNECTIONS = 10;
const SIGN_INS = 5;

async function tokensPerSecond(url: string, body: string): Promise<number> {
  const options = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    connections: CONNECTIONS,
  };
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT, keep-alive sockets
  const result = await autocannon({ ...options, duration: DURATION_SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.average;
}

async function clientCredentials(config: ReturnType<typeof loadLabConfig>): Promise<void> {
  const mock = new OAuth2Server();
  await mock.issuer.keys.generate('RS256');
  await mock.start(0, 'localhost');
  try {
    const baseline = await tokensPerSecond(
      `${mock.issuer.url}/token`,
      new URLSearchParams({ grant_type: 'client_credentials', scope: config.defaultScope }).toString(),
    );
    const subject = await tokensPerSecond(
      config.tenant.token,
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: config.ids.daemonClientId,
        client_secret: sandboxApps.daemon.sandboxSecret,
        scope: config.defaultScope,
      }).toString(),
    );
    printRatio(
      `Client Credentials tokens per second (${CONNECTIONS} connections, ${DURATION_SECONDS} s each)`,
      { label: 'oauth2-mock-server', value: baseline, unit: 'tokens/s' },
      { label: 'sandbox tenant', value: subject, unit: 'tokens/s' },
      'higher',
    );
  } finally {
    await mock.stop();
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
    await clientCredentials(config);
    await clickToToken(config);
  } finally {
    await tenant.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
