/**
 * `node scripts/capture-legs.ts`: runs both flows against the sandbox tenant and the sample API and
 * writes every HTTP leg to `content/captures/{flow}.json`, which the guide pages show. Nothing on
 * those pages is typed by hand: re-run this when the tenant or the API changes
 * (tests/e2e/guides-captures.spec.ts says when).
 *
 * - Authorization Code + PKCE: a scripted browser-like client sends the protocol parameters MSAL.js
 *   sends (PKCE S256, state, nonce, an Origin header on the token request), follows every redirect,
 *   signs in as Alice on the tenant's own page and consents, then calls the API.
 * - Client Credentials: the lab's real daemon run (MSAL Node, certificate), exactly as the widget
 *   runs it, then the API calls it makes.
 * - Workload identity federation: the same daemon as a CI job (its token from the workload issuer,
 *   MSAL Node's clientAssertion), what Entra reads from the issuer, then the API call.
 *
 * - Web app: a scripted browser signs Alice in through the confidential web app, whose server
 *   redeems the code with its own credential and calls the API.
 *
 * `node scripts/capture-legs.ts workload-identity` captures only the flows named.
 *
 * Tokens, codes, verifiers, passwords, secrets and client assertions are shortened or masked; the
 * decoded header and claims of each token are kept, since they are what the pages teach. Origins
 * are rewritten to the default ports, so the files do not depend on who captured them.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labConfigFromEnv } from '../src/config/env.ts';
import { type LabConfig, loadLabConfig } from '../src/config/lab.ts';
import { captureAuthCodePkce } from './capture/authCodePkce.ts';
import { captureClientCredentials } from './capture/clientCredentials.ts';
import { captureOnBehalfOf } from './capture/onBehalfOf.ts';
import { withDefaultOrigins } from './capture/recorder.ts';
import { captureWebApp } from './capture/webApp.ts';
import { captureWorkloadIdentity } from './capture/workloadIdentity.ts';
import { backendServers, startServers } from './lib/lab-servers.ts';

export const CAPTURE_DIR = join('content', 'captures');

const CAPTURES = {
  'auth-code-pkce': captureAuthCodePkce,
  'client-credentials': captureClientCredentials,
  'workload-identity': captureWorkloadIdentity,
  'on-behalf-of': captureOnBehalfOf,
  'web-app': captureWebApp,
} as const;
type CapturedFlow = keyof typeof CAPTURES;

export async function writeCaptures(
  config: LabConfig,
  flows: readonly CapturedFlow[] = Object.keys(CAPTURES) as CapturedFlow[],
): Promise<string[]> {
  const defaults = loadLabConfig({ LAB_MODE: 'sandbox' });
  await mkdir(CAPTURE_DIR, { recursive: true });
  const written: string[] = [];
  for (const flow of flows) {
    const capture = await CAPTURES[flow](config);
    const file = join(CAPTURE_DIR, `${capture.flow}.json`);
    await writeFile(file, `${JSON.stringify(withDefaultOrigins(capture, config, defaults), null, 2)}\n`);
    written.push(file);
  }
  // The repository's formatter owns JSON layout; without this, `biome check` fails after a re-capture.
  execFileSync(join('node_modules', '.bin', 'biome'), ['format', '--write', ...written], { stdio: 'ignore' });
  return written;
}

if (import.meta.main) {
  const config = labConfigFromEnv();
  if (config.mode !== 'sandbox') {
    console.error('Captures come from the sandbox tenant only: unset LAB_MODE (or set LAB_MODE=sandbox) and run again.');
    process.exit(1);
  }
  // Reuse a running lab when there is one; otherwise start the tenant and the API for the capture.
  const running = await fetch(config.tenant.discovery, { signal: AbortSignal.timeout(1_000) })
    .then(() => [])
    .catch(() => startServers(backendServers, config));
  try {
    const named = process.argv.slice(2);
    const unknown = named.filter((flow) => !(flow in CAPTURES));
    if (unknown.length) throw new Error(`No capture for ${unknown.join(', ')}; choose from ${Object.keys(CAPTURES).join(', ')}.`);
    const flows = named.length ? (named as CapturedFlow[]) : undefined;
    for (const file of await writeCaptures(config, flows)) console.log(`wrote ${file}`);
  } finally {
    await Promise.all(running.map((server) => server.close()));
  }
}
