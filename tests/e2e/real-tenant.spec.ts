/**
 * The whole lab in real-tenant mode, switched by environment only: `node scripts/start.ts` with
 * LAB_MODE=real and the ENTRA_* values of a second tenant (tests/support/rehearsal-tenant.ts)
 * served over HTTPS at https://login.entra-lab.test:{port}, in the real MSAL.js and Chromium. The
 * sandbox lab of playwright.config.ts runs meanwhile; this lab has its own ports and build folder.
 *
 * What the test adds is test-environment DNS and TLS (the `.test` resolver preload and
 * NODE_EXTRA_CA_CERTS for the lab's Node process; a host-resolver rule and the certificate's SPKI
 * pin for Chromium), none of it lab configuration. One sign-in, several checks: CI time matters.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type Browser, chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../src/config/chromium.ts';
import { type LabConfig, loadLabConfig } from '../../src/config/lab.ts';
import { rehearsalTenant, sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { collectConsoleErrors } from '../support/page-checks.ts';
import {
  childProcessTestEnv,
  chromiumRehearsalArgs,
  portsEnv,
  type RehearsalTenant,
  rehearsalEnv,
  startRehearsalTenant,
} from '../support/rehearsal-tenant.ts';
import { completeSandboxSignIn } from '../support/sandbox-sign-in.ts';
import { rehearsalPorts } from '../support/test-ports.ts';

const ports = rehearsalPorts('e2e');
/** The reader's `.env` for their "own" tenant, plus where this second lab listens and builds. */
const labEnv = { ...rehearsalEnv(ports.tenant), ...portsEnv(ports), LAB_SITE_OUT_DIR: '.lab/site-real-tenant-e2e' };
const lab: LabConfig = loadLabConfig(labEnv);

let rehearsal: RehearsalTenant;
let labProcess: ChildProcess | undefined;
let labOutput = '';
let browser: Browser;

/** The test runner's environment without any lab setting, so only `labEnv` configures the lab. */
function environmentWithoutLabSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(LAB_|ENTRA_)/.test(entry[0])),
  );
}

/** Starts `node scripts/start.ts` and resolves once it prints "Ready"; rejects with its output if it exits first. */
async function startLab(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      labOutput += chunk.toString();
      if (/^Ready in /m.test(labOutput)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${labOutput}`)));
  });
  return child;
}

test.beforeAll(async () => {
  // The first run builds the site for this configuration (into its own folder); later runs reuse it.
  test.setTimeout(480_000);
  rehearsal = await startRehearsalTenant(ports);
  labProcess = await startLab({ ...environmentWithoutLabSettings(), ...labEnv, ...(await childProcessTestEnv(rehearsal)) });
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...chromiumRehearsalArgs(rehearsal)] });
});

test.afterAll(async () => {
  await browser?.close();
  if (labProcess && labProcess.exitCode === null) {
    const exited = new Promise((resolve) => labProcess?.once('exit', resolve));
    labProcess.kill('SIGTERM');
    await exited;
  }
  await rehearsal?.close();
});

test('LAB_MODE=real against a second tenant: popup sign-in on its pages, token verified with its JWKS, API 200, app-only token', async () => {
  test.setTimeout(120_000);
  // The start-up banner names the real tenant, and no sandbox tenant was started.
  expect(labOutput).toContain(`Entra Flows Lab — real tenant ${rehearsalTenant.tenantId}`);
  expect(labOutput).not.toMatch(/^ {2}tenant /m);

  const context = await browser.newContext({ baseURL: lab.siteOrigin });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  const requests: string[] = [];
  context.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));

  // Authorization Code + PKCE with MSAL.js in a popup, on the second tenant's own sign-in page.
  await page.goto('/tools/sign-in/');
  const signIn = page.locator('sign-in-widget');
  const popupButton = signIn.getByRole('button', { name: 'Sign in with a popup' });
  await expect(popupButton).toBeEnabled();
  const [popup] = await Promise.all([context.waitForEvent('page'), popupButton.click()]);
  await popup.waitForURL((url) => url.origin === new URL(lab.tenant.authority).origin);
  await completeSandboxSignIn(popup, 'alice');
  await expect(signIn.locator('[data-part="who"]')).toContainText(sandboxUsers.alice.preferredUsername);

  // The decoder checked the signature with the keys the second tenant publishes.
  const decoder = signIn.locator('token-decoder');
  await expect(decoder.locator('output')).toContainText('Signature valid');
  await expect(decoder.locator('[data-part="signature"]')).toContainText(lab.tenant.jwks);
  await expect(decoder.locator('tr[data-claim="iss"] .value')).toHaveText(lab.tenant.issuer);
  await expect(decoder.locator('tr[data-claim="aud"] .value')).toHaveText(rehearsalTenant.apiClientId);
  await expect(decoder.locator('tr[data-claim="tid"] .value')).toHaveText(rehearsalTenant.tenantId);

  // The API (real mode) accepts the user's token: issuer, audience and keys of the second tenant.
  await page.goto('/tools/api-caller/');
  const caller = page.locator('api-caller');
  await caller.getByRole('button', { name: 'Call API' }).click();
  await expect(caller.locator('[data-part="response-status"]')).toHaveText(/^200 /);
  const body = JSON.parse((await caller.locator('[data-part="response-body"]').textContent()) as string);
  expect(body.caller).toMatchObject({ kind: 'user', oid: sandboxUsers.alice.oid });

  // Client Credentials: the daemon (MSAL Node, server-side) with the second tenant's own secret.
  await page.goto('/tools/client-credentials/');
  const daemon = page.locator('client-credentials-run');
  await daemon.getByLabel('Client secret').check();
  await daemon.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(daemon.locator('li[data-step="token-response"]')).toHaveAttribute('data-http', '200');
  await expect(daemon.locator('li[data-step="api-call"]')).toHaveAttribute('data-http', '200');
  await expect(daemon.locator('li[data-step="token-request"]')).toContainText(lab.tenant.token);
  const appOnly = daemon.locator('token-decoder').nth(1);
  await expect(appOnly.locator('tr[data-claim="tid"] .value')).toHaveText(rehearsalTenant.tenantId);
  await expect(appOnly.locator('tr[data-claim="roles"]')).toContainText(sandboxApps.daemon.grantedAppRoles[0]);
  await expect(appOnly.locator('output')).toContainText('Signature valid');

  // Nothing a user enters as a secret reached the browser.
  expect(requests.join('\n')).not.toContain(rehearsalTenant.daemonSecret);
  expect(await page.content()).not.toContain(rehearsalTenant.daemonSecret);
  expect(errors).toEqual([]);
  await context.close();
});
